/**
 * The host for Node (src/host.ts): files through node:fs with bounded, regular-only reads,
 * paths through node:path, the shipped datasets from the package's data/datasets/, a turn of
 * the event loop through setImmediate, and the engines including the worker-thread one. The
 * CLI and the public API (src/index.ts) use it unless given another host.
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DtrainError, formatIssue } from '../errors.js';
import type { EngineLoader, Host, ShippedDataset } from '../host.js';
import { decodeText, MAX_DATA_FILE_BYTES } from '../scenario/text-file.js';
import { useSha256, type Sha256 } from '../text/sha256.js';
import type { BuiltinDatasetName } from '../scenario/types.js';
import { readFileBounded, withNearFile } from './read-file.js';
import { loadTfByRequire } from './tf-packages.js';
import { windowPrefetchStarter } from './window-thread.js';
import { yieldTurn } from './yield-turn.js';

// every Node program that runs on this host loads TF.js by require (tf-packages.ts: faster)
loadTfByRequire();
/** node:crypto's sha-256: the same function as the core's own, many times faster (text/sha256.ts). */
export function nodeCryptoSha256(): Sha256 {
  const hash = createHash('sha256');
  return { update: (bytes) => void hash.update(bytes), hex: () => hash.digest('hex') };
}

// every Node program that runs on this host hashes with it
useSha256(nodeCryptoSha256);

/**
 * This module sits two levels below the package root both as `src/node/host.ts` (vitest) and
 * as `dist/node/host.js` (built CLI), so one relative URL finds the shipped datasets in both.
 */
const SHIPPED_DIR = new URL('../../data/datasets/', import.meta.url);

export function shippedDatasetPath(name: string): string {
  return fileURLToPath(new URL(`${name}.csv`, SHIPPED_DIR));
}

/** A shipped dataset's text: read like any data file (bounded, regular only, UTF-8). */
function shippedDataset(name: BuiltinDatasetName): ShippedDataset {
  const file = shippedDatasetPath(name);
  const read = readFileBounded(file, MAX_DATA_FILE_BYTES, { regularOnly: true });
  if (!read.ok) throw new DtrainError('data.notFound', `cannot read dataset ${file}: ${read.problem}`);
  const text = decodeText(read.bytes, { quoteBytes: false });
  if (text.ok) return { file, text: text.text };
  const at = 'line' in text ? { line: text.line, column: text.column } : { line: 1, column: 1 };
  throw new DtrainError('data.invalid', `dataset ${formatIssue({ file, ...at, path: '', expected: 'a UTF-8 text file', found: text.problem })}`);
}

/** The engines Node offers; each module is imported only when its engine is asked for. */
const ENGINES: ReadonlyMap<string, EngineLoader> = new Map<string, EngineLoader>([
  // the default: a second thread joins large rounds (nodes × parameters; see fast-engine.ts)
  ['fast', async () => {
    const [{ createFastEngine }, { helperStarter }] = await Promise.all([import('../train/fast-engine.js'), import('./engine-helper.js')]);
    return (options) => createFastEngine(options, { startHelper: helperStarter(options) });
  }],
  ['reference', async () => (await import('../train/reference-engine.js')).createReferenceEngine],
  // worker threads: the fast engine's maths on 2 threads (runs from dist/ only)
  ['parallel', async () => (await import('./parallel-engine.js')).createParallelEngine],
]);

export const nodeHost: Host = {
  // the files a scenario names: a missing one's message offers a close name
  readFile: (path, maxBytes, options) => withNearFile(path, readFileBounded(path, maxBytes, options)),
  scenarioFolder: (file) => dirname(resolve(file)),
  resolvePath: (folder, written) => resolve(folder, written),
  shippedDataset,
  yieldTurn,
  breathe: yieldTurn,
  engines: ENGINES,
  startWindowPrefetch: windowPrefetchStarter(),
};
