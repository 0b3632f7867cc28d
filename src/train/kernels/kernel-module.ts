/**
 * The engine's WebAssembly kernels compiled from the bytes their generated modules hold
 * (`*-wasm.ts`, base64), by every kernel alike.
 */

/** A kernel module from its bytes, or null where this runtime cannot run them (no WebAssembly, or no SIMD). */
export function compileKernel(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  return typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
}

/** compileKernel of bytes written in base64. */
export function kernelFromBase64(text: string): WebAssembly.Module | null {
  return compileKernel(Uint8Array.from(atob(text), (char) => char.charCodeAt(0)));
}
