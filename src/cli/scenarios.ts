/**
 * `dtrain scenarios`: the bundled teaching scenarios with their descriptions (each file's
 * `name` and `description` fields), and how to run one.
 */
import { TERMINAL_WIDTH, wrapParts } from '../report/wrap.js';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { maxOf } from '../extremes.js';
import { DEFAULT_SCENARIO } from './simulate.js';

export interface ScenarioEntry {
  name: string;
  /** as shown: relative to the working directory when inside it, else absolute */
  path: string;
  description: string;
}

function shownPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** The `.yaml` files of `dir`, sorted by file name, with their name and description. */
export function readScenarioEntries(dir: string, cwd: string): ScenarioEntry[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const doc = (parse(readFileSync(path, 'utf8')) ?? {}) as { name?: unknown; description?: unknown };
      return {
        name: typeof doc.name === 'string' ? doc.name : basename(file, '.yaml'),
        path: shownPath(path, cwd),
        description: typeof doc.description === 'string' ? doc.description.replace(/\s+/g, ' ').trim() : '',
      };
    });
}

/** Aligned columns: name, path, description; then how to run one. Ends with a newline. */
const DESCRIPTION_INDENT = '      ';

/**
 * One line per scenario (name, file), its description below it, wrapped at the terminal's
 * 80 columns: the descriptions say what a scenario shows on average over seeds, which takes
 * a few sentences.
 */
export function renderScenarioList(entries: readonly ScenarioEntry[]): string {
  const nameWidth = maxOf(entries.map((e) => e.name.length));
  const rows = entries.map((e) => {
    const head = `  ${e.name.padEnd(nameWidth)}  ${e.path}`;
    if (e.description === '') return head;
    const words = e.description.split(' ');
    words[0] = DESCRIPTION_INDENT + words[0]!;
    return `${head}\n${wrapParts(words, ' ', TERMINAL_WIDTH, DESCRIPTION_INDENT)}`;
  });
  const example = entries[0] === undefined ? '' : `\nrun one:    dtrain simulate ${entries[0].path}\nexplain it: dtrain explain ${entries[0].path}\n`;
  return `bundled scenarios\n${rows.join('\n')}\n${example}`;
}

function scenarios(): void {
  const dir = join(DEFAULT_SCENARIO, '..');
  process.stdout.write(renderScenarioList(readScenarioEntries(dir, process.cwd())));
}

export function registerScenarios(program: Command): void {
  program
    .command('scenarios')
    .description('list the bundled scenarios with their descriptions')
    .addHelpText('after', '\nExample:\n  $ dtrain scenarios')
    .action(scenarios);
}
