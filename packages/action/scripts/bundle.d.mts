export const bundlePath: string;
export function bundleText(): Promise<string>;
