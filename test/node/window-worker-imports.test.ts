/**
 * The timeline helper thread (src/node/window-worker.ts) starts while the main thread prepares
 * the data, and round 1 waits for its first round: every module it loads is on that path.
 * zod alone was about 90 ms of the thread's start-up, and it needs none of the scenario's
 * validation, so its module graph holds the maths and nothing else. This test follows the
 * worker's imports (all but `import type`, which compile to nothing) and lists the packages
 * they reach.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
/** `import … from '…'` and `export … from '…'`, not `import type` / `export type` */
const VALUE_IMPORT = /^(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;

/** The packages a module's value imports reach, following its relative imports. */
function packagesReached(entry: string): { modules: number; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(VALUE_IMPORT)) {
      const spec = match[1]!;
      if (spec.startsWith('.')) visit(normalize(join(dirname(file), spec.replace(/\.js$/, '.ts'))));
      else packages.add(spec);
    }
  };
  visit(join(SRC, entry));
  return { modules: seen.size, packages: [...packages].sort() };
}

describe('the timeline helper thread', () => {
  it('loads the round maths and seedrandom, no zod and no scenario validation', () => {
    const { modules, packages } = packagesReached('node/window-worker.ts');
    expect(packages).toEqual(['node:worker_threads', 'seedrandom']);
    expect(modules).toBeGreaterThan(20); // the walk did follow the imports
  });

  it('the walk sees a package imported by a module several imports away', () => {
    // load.ts imports no zod itself; src/scenario/schema.ts, which it reaches, does
    expect(packagesReached('scenario/load.ts').packages).toContain('zod');
  });
});
