import { describe, expect, it, vi } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { currentBackend, initBackend, loadTf } from '../../src/train/backend.js';

const FAILING_WASM = (): Promise<unknown> => Promise.reject(new Error('simulated: wasm binary missing'));

describe('initBackend', () => {
  // First in the file on purpose: vitest runs each test file in its own process, so this is
  // tfjs's first cpu tensor, the moment its "running TensorFlow.js in Node.js" banner fires.
  it('starts cpu and prints nothing to the console (no tfjs banner)', async () => {
    // Arrange
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // Act
      const name = await initBackend('cpu');
      const tf = await loadTf();
      tf.tensor1d([1, 2, 3]).dispose();
      // Assert
      expect(name).toBe('cpu');
      expect(tf.getBackend()).toBe('cpu');
      expect(currentBackend()).toBe('cpu');
      expect(warn).not.toHaveBeenCalled();
      expect(log).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });

  it('falls back to cpu under auto when wasm cannot be loaded', async () => {
    expect(await initBackend('auto', { importWasm: FAILING_WASM })).toBe('cpu');
    expect((await loadTf()).getBackend()).toBe('cpu');
  });

  it('fails with train.backendUnavailable when wasm is requested explicitly and cannot load', async () => {
    // Act
    const error = await initBackend('wasm', { importWasm: FAILING_WASM }).catch((e: unknown) => e);
    // Assert
    expect(error).toBeInstanceOf(DtrainError);
    expect((error as DtrainError).code).toBe('train.backendUnavailable');
    expect((error as DtrainError).exitCode).toBe(2);
  });

  it('reports the backend it activated under auto (wasm when it loads, else cpu)', async () => {
    const name = await initBackend('auto');
    expect(['wasm', 'cpu']).toContain(name);
    expect((await loadTf()).getBackend()).toBe(name);
  });

  it('imports tfjs once (loadTf is cached)', async () => {
    expect(await loadTf()).toBe(await loadTf());
  });
});
