/**
 * The folders of src/ form layers: no two of them import each other, directly or through
 * others. The order, bottom to top, is written in docs/layout.md; this test reads every
 * relative import of src/ and fails on the first cycle between folders, naming it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const IMPORT = /(?:^|[^\w.])(?:import|export)\s*(?:[^'"]*?\sfrom\s*)?\(?\s*['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The folder of a file relative to src/; files directly in src/ are the entry points and are left out. */
function folderOf(file: string): string | null {
  const dir = relative(SRC, dirname(file));
  return dir === '' ? null : dir;
}

/** folder → the folders its files import. */
export function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (from === null) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = folderOf(normalize(join(dirname(file), match[1]!)));
      if (to === null || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** A cycle of folders, or null: depth-first search with the path kept. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (folder: string): string[] | null => {
    if (state.get(folder) === 'done') return null;
    if (state.get(folder) === 'open') return [...path.slice(path.indexOf(folder)), folder];
    state.set(folder, 'open');
    path.push(folder);
    for (const next of [...(graph.get(folder) ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(folder, 'done');
    return null;
  };
  for (const folder of [...graph.keys()].sort()) {
    const cycle = visit(folder);
    if (cycle !== null) return cycle;
  }
  return null;
}

describe('folder layers', () => {
  it('no folder of src/ imports a folder that imports it back, directly or through others', () => {
    expect(findCycle(folderGraph())).toBeNull();
  });

  it('the search finds a cycle when there is one', () => {
    const graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('the core layers sit below the hosts: pipeline imports neither scenario nor run', () => {
    const pipeline = folderGraph().get('pipeline') ?? new Set();
    expect([...pipeline].filter((folder) => ['scenario', 'run', 'cli', 'train'].includes(folder))).toEqual([]);
  });
});
