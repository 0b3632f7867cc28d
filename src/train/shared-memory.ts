/**
 * Memory a host's helper threads can read without a copy of their own, where the platform has
 * shared memory (a browser page without cross-origin isolation has none: plain memory there).
 * The training set is a run's largest array; it is generated into such memory and arranged in
 * place (prepare.ts).
 */
export function shareable(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** Whether `buffer` is what `shareable` gives on this platform. */
export function isShareable(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === 'function' ? buffer instanceof SharedArrayBuffer : true;
}
