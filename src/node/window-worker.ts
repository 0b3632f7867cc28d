/**
 * The window helper thread (window-thread.ts): builds its own copy of the run's network from
 * the setting it is started with, then answers each start time with that round's S1 windows
 * (run/observe.ts drawWindows), its column transferred, not copied; null where the window is
 * not all in reach, or the draw failed, so that the round draws it itself.
 *
 * Runs only from dist/ (a worker needs a .js entry point).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildNetwork, type NetworkSetting } from '../run/network.js';
import { drawWindows } from '../run/observe.js';
import { LatencyGuard } from '../run/time-guard.js';

const port = parentPort;
if (port === null) throw new Error('window-worker.js must run as a worker thread');
const setting = workerData as NetworkSetting;
const guard = new LatencyGuard(setting, buildNetwork(setting));

port.on('message', (startMs: number) => {
  let values: Float64Array | null = null;
  try {
    values = drawWindows(setting.pipeline.s1, guard, startMs);
  } catch {
    values = null;
  }
  // drawWindows makes a plain ArrayBuffer, never a shared one
  port.postMessage(values, values === null ? [] : [values.buffer as ArrayBuffer]);
});
