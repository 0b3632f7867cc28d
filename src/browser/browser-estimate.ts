/**
 * What the browser host costs before any scenario data, as the pre-run estimate shows it. In a
 * tab the worker has already loaded TF.js before Run can be pressed, so no start-up time is
 * counted; the base memory is the tab's simulator and TF.js (the same 200 MiB the CLI assumes:
 * nothing here measures a tab). The tab runs one engine in one Web Worker and starts no helper
 * thread, so a large round counts no second TF.js. Every other part of the estimate is the
 * core's own.
 */
import { BASE_MEMORY_BYTES, type HostBase } from '../limits/estimate.js';

export const BROWSER_BASE: HostBase = { memory: 'the simulator and TF.js in this tab', memoryBytes: BASE_MEMORY_BYTES, start: null, startSeconds: 0, helperThread: false, windowHelper: false, youngGenerationBytes: 0 };

/**
 * What the page says the compute time assumes (the core's nominal speed for model maths,
 * deliberately on the high side; measured, a browser often runs faster).
 */
export const TIME_ASSUMPTION = 'the compute time assumes a nominal 24 GFLOP/s for each node\'s first local step and 20 GFLOP/s for later ones (plus a few µs a node, a layer and a step), and errs on the high side (in a browser a run often takes less); Pause and Reset stop it at any round';
