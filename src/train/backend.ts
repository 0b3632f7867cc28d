/**
 * TensorFlow.js loading and backend choice (SPEC §5 `--backend cpu|wasm`; issue S4 training).
 *
 * TF.js is imported lazily, inside these functions, so `dtrain --help` and `dtrain validate`
 * never pay for loading it. `auto` prefers the WebAssembly backend and falls back to the
 * pure-JS cpu backend; an explicit `wasm` that cannot start is a user-facing error.
 *
 * Console hygiene: tfjs warns through `backend_util.warn`, which is silent in production
 * mode. That covers the cpu backend's "looks like you are running TensorFlow.js in Node.js"
 * banner and the "Initialization of backend wasm failed" lines, so the CLI's output stays ours.
 */
import { DtrainError } from '../errors.js';

export type Tf = typeof import('@tensorflow/tfjs-core');
export type BackendPreference = 'auto' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'wasm', 'cpu'];

let tfPromise: Promise<Tf> | null = null;
let chosenBackend: string | null = null;

/** The TF.js packages the engines load: the core, its two backends, and the whole bundle (gradients). */
export type TfPackage = 'core' | 'wasm' | 'cpu' | 'all';
export type TfPackageLoader = (name: TfPackage) => Promise<unknown>;

/** By dynamic import, each specifier written out so that a bundler (the playground's) finds it. */
const importPackage: TfPackageLoader = (name) => {
  switch (name) {
    case 'core':
      return import('@tensorflow/tfjs-core');
    case 'wasm':
      return import('@tensorflow/tfjs-backend-wasm');
    case 'cpu':
      return import('@tensorflow/tfjs-backend-cpu');
    case 'all':
      return import('@tensorflow/tfjs');
  }
};
let loadPackage: TfPackageLoader = importPackage;

/**
 * How a host loads the TF.js packages, if not by dynamic import (Node: by require, see
 * src/node/tf-packages.ts). Set before the first load: a package loaded both ways would be one
 * module in Node, but not under a bundler.
 */
export function setTfPackageLoader(loader: TfPackageLoader): void {
  loadPackage = loader;
}

/**
 * TensorFlow.js's core, loaded once (production mode on, so tfjs prints nothing). The
 * engines use its ops and its cpu and wasm backends only: the whole @tensorflow/tfjs bundle
 * (layers, converter, data, WebGL) took about 0.3 s more to load in every process.
 */
export function loadTf(): Promise<Tf> {
  tfPromise ??= loadPackage('core').then((loaded) => {
    const tf = loaded as Tf;
    tf.enableProdMode();
    return tf;
  });
  return tfPromise;
}

let gradientsPromise: Promise<void> | null = null;

/**
 * TensorFlow.js's gradients (tf.grads and the like), for the engine that differentiates
 * through tfjs (the reference engine; the fast engines compute their gradients themselves).
 * tfjs-core registers none: the @tensorflow/tfjs bundle registers every op's on the same core
 * when it loads, so it is loaded here, once, when an engine first needs them.
 */
export function loadGradients(): Promise<void> {
  gradientsPromise ??= loadPackage('all').then(() => undefined);
  return gradientsPromise;
}

/** Registers and activates the wasm backend; false when either step fails. */
async function trySetWasm(tf: Tf, importWasm: () => Promise<unknown>): Promise<boolean> {
  try {
    await importWasm();
    if (!(await tf.setBackend('wasm'))) return false;
    await tf.ready();
    return tf.getBackend() === 'wasm';
  } catch {
    return false;
  }
}

/**
 * Activates a backend and returns its name (`wasm` or `cpu`), which goes into the JSON's
 * `backend` field. `importWasm` is replaceable only so that tests can simulate a failure.
 */
export async function initBackend(
  preference: BackendPreference,
  options: { importWasm?: () => Promise<unknown> } = {},
): Promise<string> {
  const tf = await loadTf();
  if (preference !== 'cpu') {
    if (await trySetWasm(tf, options.importWasm ?? (() => loadPackage('wasm')))) {
      chosenBackend = 'wasm';
      return chosenBackend;
    }
    if (preference === 'wasm') {
      throw new DtrainError('train.backendUnavailable', 'the wasm backend (@tensorflow/tfjs-backend-wasm) could not be started', {
        hint: 'use --backend cpu, or leave --backend out to fall back to cpu automatically',
      });
    }
  }
  // @tensorflow/tfjs-core alone registers no backend: the cpu one registers itself when loaded
  await loadPackage('cpu');
  if (!(await tf.setBackend('cpu'))) {
    throw new DtrainError('train.backendUnavailable', 'the cpu backend of TensorFlow.js could not be started', { exitCode: 1 });
  }
  await tf.ready();
  chosenBackend = 'cpu';
  return chosenBackend;
}

/** The backend chosen by the last `initBackend`, or null when none was chosen yet. */
export function currentBackend(): string | null {
  return chosenBackend;
}
