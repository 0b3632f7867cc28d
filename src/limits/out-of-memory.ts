/**
 * Running out of memory inside a run (past the estimate, or with --no-limits) is a known
 * failure, exit 1 with a hint, not a bug with a stack: V8 reports it as a RangeError.
 */
import { DtrainError } from '../errors.js';

const ALLOCATION = /allocation failed|Invalid (typed )?array length|Invalid string length|Array buffer allocation/i;

export function asKnownFailure(error: unknown): unknown {
  if (!(error instanceof RangeError) || !ALLOCATION.test(error.message)) return error;
  return new DtrainError('run.outOfMemory', `the run ran out of memory (${error.message})`, {
    exitCode: 1,
    hint: 'run fewer rounds or nodes, a smaller dataset or model, or leave out the output files',
  });
}
