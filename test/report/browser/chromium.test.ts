/**
 * How the browser test finds Chromium on a fresh clone: the one Debian installs, else one on
 * PATH, else an apt-get install when we are root, else a one-line failure saying how to
 * install it (never a skip).
 */
import { describe, expect, it, vi } from 'vitest';
import { CHROMIUM_PATH, type ChromiumHost, ensureChromium, INSTALL_HINT, planChromium } from './chromium.js';

function host(executables: string[], isRoot: boolean, pathDirs = ['/opt/bin', '/usr/bin']): ChromiumHost & { files: Set<string> } {
  const files = new Set(executables);
  return { files, isExecutable: (path) => files.has(path), pathDirs, isRoot };
}

describe('finding Chromium for the browser test', () => {
  it("Debian's /usr/bin/chromium comes first, then chromium on PATH in PATH order", () => {
    expect(planChromium(host([CHROMIUM_PATH, '/opt/bin/chromium'], false))).toEqual({ kind: 'found', path: CHROMIUM_PATH });
    expect(planChromium(host(['/usr/local/bin/chromium', '/opt/bin/chromium'], false, ['/opt/bin', '/usr/local/bin'])))
      .toEqual({ kind: 'found', path: '/opt/bin/chromium' });
  });

  it('missing: root with apt-get installs it; anyone else gets the one-line hint', () => {
    expect(planChromium(host(['/usr/bin/apt-get'], true))).toEqual({ kind: 'install' });
    expect(planChromium(host(['/usr/bin/apt-get'], false))).toEqual({ kind: 'missing', message: INSTALL_HINT });
    expect(planChromium(host([], true))).toEqual({ kind: 'missing', message: INSTALL_HINT });
    expect(INSTALL_HINT).not.toContain('\n');
    expect(INSTALL_HINT).toContain('apt-get install chromium');
  });

  it('ensureChromium installs once and returns the installed path', async () => {
    const machine = host(['/usr/bin/apt-get'], true);
    const install = vi.fn(async () => {
      machine.files.add(CHROMIUM_PATH);
    });

    await expect(ensureChromium(machine, install)).resolves.toBe(CHROMIUM_PATH);
    await expect(ensureChromium(machine, install)).resolves.toBe(CHROMIUM_PATH);
    expect(install).toHaveBeenCalledTimes(1);
  });

  it('ensureChromium fails (does not skip) when it cannot install, or the install did not help', async () => {
    const install = vi.fn(async () => {});

    await expect(ensureChromium(host([], false), install)).rejects.toThrow(INSTALL_HINT);
    expect(install).not.toHaveBeenCalled();
    await expect(ensureChromium(host(['/usr/bin/apt-get'], true), install))
      .rejects.toThrow(`apt-get finished but chromium is still not found; ${INSTALL_HINT}`);
  });
});
