/**
 * Finds Debian's shellcheck for the netem-script test: /usr/bin/shellcheck, then `shellcheck`
 * on PATH, or, when we are root and have apt-get, installs it once (under an flock(1) lock:
 * test files run in parallel forks). Otherwise the test fails with one line saying how to
 * install it — never a skip, which would hide a script that no longer passes.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const SHELLCHECK_PATH = '/usr/bin/shellcheck';
export const INSTALL_HINT = "shellcheck is missing (looked for /usr/bin/shellcheck and shellcheck on PATH): install Debian's package as root with `apt-get install shellcheck`, then run the tests again";
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const INSTALL_LOCK = join(tmpdir(), 'dtrain-shellcheck-install.lock');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function locate(): string | null {
  return isExecutable(SHELLCHECK_PATH) ? SHELLCHECK_PATH : onPath('shellcheck');
}

function aptInstall(): Promise<void> {
  const script = 'command -v shellcheck >/dev/null 2>&1 || [ -x /usr/bin/shellcheck ] || { apt-get install -y shellcheck || { apt-get update && apt-get install -y shellcheck; }; }';
  const command = onPath('flock') === null ? ['sh', '-c', script] : ['flock', INSTALL_LOCK, 'sh', '-c', script];
  return new Promise((resolve, reject) => {
    execFile(command[0]!, command.slice(1), { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(`installing shellcheck with apt-get failed (${stderr.trim().split('\n').pop() || error.message}); ${INSTALL_HINT}`));
    });
  });
}

/** shellcheck's path: found, or installed once when we can; a one-line error otherwise. */
export async function ensureShellcheck(): Promise<string> {
  const found = locate();
  if (found !== null) return found;
  if (process.getuid?.() !== 0 || onPath('apt-get') === null) throw new Error(INSTALL_HINT);
  await aptInstall();
  const installed = locate();
  if (installed === null) throw new Error(`apt-get finished but shellcheck is still not found; ${INSTALL_HINT}`);
  return installed;
}
