// Types for scripts/build-kernels.mjs, so test/train/gradient-kernel.test.ts can compile the .wat in-process.
export function compileWat(name: string, text: string): Promise<Buffer>;
export function bytesModule(watName: string, bytes: Buffer): string;
