/**
 * The host seam (src/host.ts): the core — every folder typechecked by tsconfig.core.json —
 * runs without Node. `npm test` typechecks it with a browser worker's library and no Node
 * types; these tests keep that check honest: it is part of `npm test`, it covers every folder
 * that is not host code, and it does fail on a `node:` import, Buffer, process or setImmediate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
/** Folders of host and edge code: Node's host, the command line, sweeps and studies (workers and files). */
const HOST_FOLDERS = ['cli', 'node', 'study', 'sweep'];

function coreConfig(): ts.ParsedCommandLine {
  const path = join(ROOT, 'tsconfig.core.json');
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, path);
}

/** Every folder of src/ holding a .ts file, relative to src/ (`sim/latency`). */
function sourceFolders(dir = SRC): string[] {
  const entries = readdirSync(dir, { withFileTypes: true });
  const here = dir !== SRC && entries.some((entry) => entry.isFile() && entry.name.endsWith('.ts')) ? [relative(SRC, dir)] : [];
  return [...here, ...entries.filter((entry) => entry.isDirectory()).flatMap((entry) => sourceFolders(join(dir, entry.name)))];
}

describe('the core typechecks without Node', () => {
  it('is part of npm test', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test).toContain('tsc -p tsconfig.core.json');
  });

  it('uses a browser worker\'s library and no ambient types', () => {
    const { options } = coreConfig();
    expect(options.lib).toEqual(['lib.es2022.d.ts', 'lib.webworker.d.ts']);
    expect(options.types).toEqual([]);
    expect(options.noEmit).toBe(true);
  });

  it('covers every folder of src/ but the host folders, and none of those', () => {
    const coreFolders = new Set(coreConfig().fileNames.map((file) => relative(SRC, dirname(file))));
    const unclassified = sourceFolders().filter((folder) => !coreFolders.has(folder) && !HOST_FOLDERS.includes(folder.split('/')[0]!));
    expect(unclassified).toEqual([]);
    expect(HOST_FOLDERS.filter((folder) => [...coreFolders].some((core) => core === folder || core.startsWith(`${folder}/`)))).toEqual([]);
  });

  it('core files name no node: module, import.meta or createRequire (which the typecheck lets through)', () => {
    const offending = coreConfig().fileNames.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return /['"]node:|import\.meta|createRequire/.test(text) ? [relative(ROOT, file)] : [];
    });
    expect(offending).toEqual([]);
  });

  it('rejects a node: import, Buffer, process and setImmediate (a probe file under the core settings)', () => {
    const probe = join(ROOT, 'test', 'fixtures', 'core-probe', 'uses-node.ts');
    const program = ts.createProgram([probe], coreConfig().options);
    const problems = ts.getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName === probe)
      .map((diagnostic) => {
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start!);
        return `${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n').split('.')[0]}`;
      });
    expect(problems).toEqual([
      "3: Cannot find module 'node:fs' or its corresponding type declarations",
      "5: Cannot find name 'Buffer'",
      "5: Cannot find name 'process'",
      "6: Cannot find name 'setImmediate'",
    ]);
  });
});
