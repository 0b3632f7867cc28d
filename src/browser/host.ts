/**
 * The host for a browser worker (src/host.ts), the playground's twin of src/node/host.ts.
 * A page has no file system: the files a scenario may name are the ones shipped with dtrain
 * (the bundled scenarios, their traces, the datasets), loaded once from the build folder
 * (bundle.json, same origin) into a read-only map keyed by the path the repository gives
 * them (`scenarios/traces/bursty_loss.csv`). Any other path reads as "no such file", so a
 * scenario naming one gets the located error `dtrain validate` gives for a missing file.
 * Paths are POSIX, relative to the repository root, `.` and `..` resolved.
 */
import { DtrainError } from '../errors.js';
import type { EngineLoader, Host, ShippedDataset } from '../host.js';
import { formatBytes, type BytesRead } from '../scenario/text-file.js';
import type { BuiltinDatasetName } from '../scenario/types.js';

/** `a/b/../c/./d` → `a/c/d`; a leading `/` is kept, `..` above the root is dropped. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `${absolute ? '/' : ''}${parts.join('/')}`;
}

export function folderOf(file: string): string {
  const normal = normalizePath(file);
  const slash = normal.lastIndexOf('/');
  if (slash < 0) return '.';
  return slash === 0 ? '/' : normal.slice(0, slash);
}

export function joinPath(folder: string, written: string): string {
  if (written.startsWith('/')) return normalizePath(written);
  return normalizePath(folder === '.' ? written : `${folder}/${written}`);
}

/**
 * A turn of the worker's event loop, so messages (pause, reset) are handled between rounds.
 * A MessageChannel message rather than setTimeout(0): nested timers are clamped to 4 ms.
 */
function macrotask(): Promise<void> {
  return new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      done();
    };
    channel.port2.postMessage(null);
  });
}

export interface BrowserHostOptions {
  /** path → the file's text, as bundle.json carries it */
  files: ReadonlyMap<string, string>;
  /** awaited between rounds; default: one macrotask */
  yieldTurn?: () => Promise<void>;
}

/** The datasets live where the repository keeps them. */
export function datasetFile(name: string): string {
  return `data/datasets/${name}.csv`;
}

export function createBrowserHost(options: BrowserHostOptions): Host {
  const encoder = new TextEncoder();
  const bytesOf = new Map<string, Uint8Array>();
  for (const [path, text] of options.files) bytesOf.set(normalizePath(path), encoder.encode(text));
  const folders = new Set<string>();
  for (const path of bytesOf.keys()) {
    for (let folder = folderOf(path); folder !== '.' && folder !== '/' && !folders.has(folder); folder = folderOf(folder)) folders.add(folder);
  }

  const readFile = (path: string, maxBytes: number): BytesRead => {
    const normal = normalizePath(path);
    if (folders.has(normal)) return { ok: false, problem: 'a directory' };
    const bytes = bytesOf.get(normal);
    if (bytes === undefined) return { ok: false, problem: 'no such file' };
    if (bytes.length > maxBytes) return { ok: false, problem: `a file of ${formatBytes(bytes.length)} (the limit is ${formatBytes(maxBytes)})` };
    return { ok: true, bytes };
  };

  const shippedDataset = (name: BuiltinDatasetName): ShippedDataset => {
    const file = datasetFile(name);
    const text = options.files.get(file);
    if (text === undefined) throw new DtrainError('data.notFound', `cannot read dataset ${file}: no such file`);
    return { file, text };
  };

  // The fast engine only: `reference` works too but is slow, `parallel` needs worker threads.
  const engines: ReadonlyMap<string, EngineLoader> = new Map<string, EngineLoader>([
    ['fast', async () => (await import('../train/fast-engine.js')).createFastEngine],
  ]);

  return {
    readFile,
    scenarioFolder: folderOf,
    resolvePath: joinPath,
    shippedDataset,
    yieldTurn: options.yieldTurn ?? macrotask,
    breathe: macrotask,
    engines,
  };
}
