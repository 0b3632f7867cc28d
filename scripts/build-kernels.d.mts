// Types for scripts/build-kernels.mjs, so the kernels' tests can compile the .wat in-process.
export function compileWat(name: string, text: string): Promise<Buffer>;
export function bytesModule(watName: string, bytes: Buffer, sharedBytes?: Buffer | null): string;
export function kernelModule(watName: string, text: string): Promise<string>;
