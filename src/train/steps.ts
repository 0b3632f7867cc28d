/**
 * A long computation written as a generator that yields between its steps, so that one body
 * serves a caller that wants the result at once and a host that must stay responsive while it
 * runs: generating and arranging a large dataset takes seconds (200,000 × 1,000 blobs, 18 s),
 * during which the event loop, and so a Ctrl-C, would wait.
 */
export type Steps<T> = Generator<void, T, void>;

/** The result, without stopping between the steps. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** The result, with `turn()` awaited between the steps (a host's turn of its event loop). */
export async function runStepsWithTurns<T>(steps: Steps<T>, turn: () => Promise<void>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await turn();
  }
}

/**
 * runStepsWithTurns, asking `stop()` before the first step and after each turn: true abandons
 * the steps (undefined), so that a host's stop request made before or during them (a Ctrl-C)
 * is acted on at once.
 */
export async function runStepsUntil<T>(steps: Steps<T>, turn: () => Promise<void>, stop: () => boolean): Promise<T | undefined> {
  if (stop()) return undefined;
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await turn();
    if (stop()) {
      steps.return(undefined as never);
      return undefined;
    }
  }
}
