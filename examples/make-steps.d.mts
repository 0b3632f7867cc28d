// Types of make-steps.mjs for the TypeScript tests that import it.
export interface TrueValues {
  msPerSample: number;
  parallelFraction: number;
  stepOverheadMs: number;
}
export const TRUE_VALUES: Record<'a' | 'b' | 'gpu', TrueValues>;
export const BATCHES: number[];
export const THREADS: number[];
export const DEFAULT_SEED: number;
export const DEFAULT_NOISE: number;
export function trueStepMs(values: TrueValues, batch: number, threads: number): number;
export function makeSteps(options?: { seed?: number; noise?: number }): string;
