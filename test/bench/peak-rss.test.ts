// The bench's peak RSS of a run it starts is the run's own, not the starting process's.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const peakRss = fileURLToPath(new URL('../../bench/peak-rss.mjs', import.meta.url));
const CHILD = `import(${JSON.stringify(peakRss)}).then(({ peakRssMB }) => process.stdout.write(String(peakRssMB())))`;

describe.runIf(existsSync('/proc/self/status'))('peakRssMB', () => {
  it('a child started by a process holding 300 MB reports its own peak, not the parent\'s', () => {
    const held = new Float64Array(300 * 131072).fill(1); // 300 MiB touched
    const parentMB = process.memoryUsage().rss / 2 ** 20;
    const child = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8' });
    expect(child.status).toBe(0);
    const childMB = Number(child.stdout);
    expect(parentMB).toBeGreaterThan(300);
    // a Node process that loads one module peaks at some tens of MB
    expect(childMB).toBeGreaterThan(10);
    expect(childMB).toBeLessThan(parentMB - 250);
    expect(held[held.length - 1]).toBe(1);
  });
});
