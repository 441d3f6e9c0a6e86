// Types of python-package.mjs for the TypeScript tests that use it.
export declare const pythonPackageSource: string;
export declare function installPythonPackage(site: string, options: { version: string; protocol: number }): string;
