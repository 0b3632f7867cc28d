/**
 * The playground's Web Worker entry (bundled by scripts/build-playground.mjs as worker.js):
 * it loads the files shipped with dtrain from the build folder (bundle.json), starts TF.js on
 * the wasm backend with its .wasm files from the same folder, says `ready`, then answers the
 * page's messages with a session (session.ts). Everything is fetched from the page's own
 * origin, relative to this script: no CDN, nothing else on the network.
 */
import { loadTf } from '../train/backend.js';
import { createBrowserHost } from './host.js';
import type { BundledScenario, FromWorker, ToWorker } from './protocol.js';
import { createSession, errorText, type SessionMeta } from './session.js';

/** What the build writes beside worker.js (scripts/build-playground.mjs). */
export interface Bundle {
  meta: SessionMeta;
  /** repository path → text: scenarios/*.yaml, scenarios/traces/*, data/datasets/*.csv */
  files: Record<string, string>;
  /** the bundled scenarios, in the order the picker lists them */
  scenarios: BundledScenario[];
}

/** The worker's global scope, as far as used (typed here: the DOM and WebWorker libraries disagree on `self`). */
interface WorkerScope {
  location: { href: string };
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

const post = (message: FromWorker): void => scope.postMessage(message);

// Messages sent before `ready` wait here, then go to the session in order.
const early: ToWorker[] = [];
scope.onmessage = (event: MessageEvent<ToWorker>) => early.push(event.data);

async function start(): Promise<void> {
  const response = await fetch(new URL('bundle.json', scope.location.href));
  if (!response.ok) throw new Error(`bundle.json: HTTP ${response.status}`);
  const bundle = (await response.json()) as Bundle;

  const tf = await loadTf();
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The single-threaded SIMD build, as Node runs it: the same maths as the CLI's wasm backend.
  // (Threads would need a cross-origin-isolated page, and could change the sums' order.)
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setWasmPaths(new URL('./', scope.location.href).href);

  const host = createBrowserHost({ files: new Map(Object.entries(bundle.files)) });
  const session = createSession({
    host, post, meta: bundle.meta, scenarios: bundle.scenarios, backend: 'wasm', now: () => performance.now(),
  });
  // Start the backend now, so the first run does not pay for it and a failure shows at once.
  const { initBackend } = await import('../train/backend.js');
  const backend = await initBackend('wasm');
  scope.onmessage = (event: MessageEvent<ToWorker>) => session.handle(event.data);
  post({ type: 'ready', backend, version: bundle.meta.version, tfjs: bundle.meta.tfjs, scenarios: bundle.scenarios });
  for (const message of early.splice(0)) session.handle(message);
}

start().catch((error: unknown) => post({ type: 'error', message: `the simulator could not start: ${errorText(error)}` }));
