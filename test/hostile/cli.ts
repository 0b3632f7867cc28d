/** Spawning the built CLI (bin/dtrain.js → dist/) from the hostile-input tests, several at a time. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'dtrain.js');
export const HOSTILE_DIR = import.meta.dirname;

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** added to the environment */
  env?: Record<string, string>;
  /** called once the process has started, e.g. to send it a signal later */
  onSpawn?: (pid: number) => void;
  /** called with each chunk of stderr as it arrives */
  onStderr?: (chunk: string, pid: number) => void;
  /** called with each chunk of stdout as it arrives */
  onStdout?: (chunk: string, pid: number) => void;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? HOSTILE_DIR,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(chunk, child.pid!);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk, child.pid!);
    });
    child.on('error', reject);
    child.on('spawn', () => options.onSpawn?.(child.pid!));
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Map `items` through `fn` with at most `limit` running at once; results in input order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Lines of a Node stack trace (`    at fn (file:1:2)`) or an uncaught error header. */
export const STACK_TRACE = /^\s+at .+[:(]|^(\w*Error|Node\.js v)/m;
