import { DtrainError } from '../../src/errors.js';

/** The DtrainError that `fn` throws (any other outcome fails the test). */
export function thrown(fn: () => unknown): DtrainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DtrainError) return error;
    throw error;
  }
  throw new Error('expected a DtrainError');
}
