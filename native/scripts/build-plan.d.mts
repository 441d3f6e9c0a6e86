// Declarations of build-plan.mjs, for native/test.
export interface CudaPlan {
  cuda: boolean;
  architectures: string | null;
  reason: string;
}
export declare const fullArchitectures: string;
export declare function findNvcc(env?: NodeJS.ProcessEnv): string | null;
export declare function nvccRelease(versionText: string | null | undefined): string | null;
export declare function gpuComputeCaps(): string[];
export declare function nvccMachineCodes(nvcc: string): number[];
export declare function cudaPlan(inputs: { env: NodeJS.ProcessEnv; nvcc: string | null; gpuCaps: string[]; supported?: number[] }): CudaPlan;
export declare function buildPlan(env?: NodeJS.ProcessEnv): CudaPlan & { nvcc: string | null; nvccRelease: string | null; node: string };
