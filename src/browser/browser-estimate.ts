/**
 * The pre-run estimate as it reads in the browser. `estimateRun` prices the CLI's process:
 * its base memory is "Node.js and TF.js" and its time starts with starting them. In a tab the
 * worker has already loaded TF.js before Run can be pressed, so that start costs the run
 * nothing, and the base memory is the tab's simulator and TF.js (the same 200 MiB assumed:
 * nothing here measures a tab). Every other part is the core's own and is kept as it is.
 */
import { BASE_MEMORY_BYTES, BASE_SECONDS, type CostPart, type RunEstimate } from '../limits/estimate.js';

/** The CLI's host-specific parts, by their words: a renamed part fails the playground's test. */
const NODE_MEMORY = 'Node.js and TF.js';
const NODE_START = 'starting Node.js and TF.js';
export const BROWSER_MEMORY = 'the simulator and TF.js in this tab';

/**
 * What the page says the compute time assumes (the core's nominal speed for model maths,
 * deliberately on the high side; measured, a browser often runs faster).
 */
export const TIME_ASSUMPTION = 'the compute time assumes a nominal 4 GFLOP/s for the model maths and errs on the high side (in a browser a run often takes less); Pause and Reset stop it at any round';

function sum(parts: readonly CostPart[]): number {
  let total = 0;
  for (const part of parts) total += part.value;
  return total;
}

export function inTheBrowser(estimate: RunEstimate): RunEstimate {
  const memoryParts = estimate.memoryParts.map((part) => (part.what === NODE_MEMORY && part.value === BASE_MEMORY_BYTES ? { ...part, what: BROWSER_MEMORY } : part));
  const timeParts = estimate.timeParts.filter((part) => !(part.what === NODE_START && part.value === BASE_SECONDS));
  return { ...estimate, memoryParts, timeParts, memoryBytes: sum(memoryParts), seconds: sum(timeParts) };
}
