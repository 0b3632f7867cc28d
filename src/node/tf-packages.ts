/**
 * Node loads TF.js's packages with `require`. They are CommonJS, and an `import` of a CommonJS
 * package first scans its whole source for the names it exports (Node's cjs-module-lexer):
 * for TF.js's bundles that took longer than loading them (core, wasm and cpu backends:
 * 230–340 ms by import, 88–106 ms by require, on this project's 2-core machine), in every
 * process and worker thread that trains. Both ways give the same module in Node, so a package
 * that something imports after all is still the one instance.
 */
import { createRequire } from 'node:module';
import { setTfPackageLoader, type TfPackage } from '../train/backend.js';

const require = createRequire(import.meta.url);

const SPECIFIERS: Record<TfPackage, string> = {
  core: '@tensorflow/tfjs-core',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
  all: '@tensorflow/tfjs',
};

/** Makes the engines of this process or thread load TF.js by require (call before any engine starts). */
export function loadTfByRequire(): void {
  setTfPackageLoader(async (name) => require(SPECIFIERS[name]) as unknown);
}
