/**
 * `--plugin FILE` (SPEC §7.3): an ES module whose default export (or `register` export) is a
 * function that receives the plug-in API and defines stages and presets with it:
 *
 *   export default function (dtrain) { dtrain.defineStage({ kind: 'batch', … }); dtrain.definePreset({ … }); }
 *
 * The API is an object handed in rather than an import, so a plug-in file anywhere on disk
 * works without dtrain being installed beside it, and it defines into the registry of the
 * command that loads it (a registry is a value, not module state). Only the command line
 * loads plug-ins: a scenario file never names or runs code.
 *
 * Every failure is a DtrainError (exit 2) naming the file as the user gave it.
 */
import { realpathSync, type Stats, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DtrainError } from '../errors.js';
import { RegistryError, type PresetDefinition, type StageDefinition, type StageRegistry } from '../pipeline/stage-registry.js';
import { didYouMean } from '../scenario/suggest.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { describeValue, guardPreset, guardStage, isInstance, parkSignalListeners, thrownMessage } from './plugin-guard.js';
import { fileProblem } from './read-file.js';

/** What a plug-in's function receives. */
export interface PluginApi {
  defineStage(stage: StageDefinition): void;
  definePreset(preset: PresetDefinition): void;
}

/** A plug-in module's default export (or its `register` export). */
export type DtrainPlugin = (dtrain: PluginApi) => void | Promise<void>;

const EXTENSIONS = new Set(['.mjs', '.js']);

/** Per registry: which plug-in defined each name (`batch:foo`, `preset:bar`); unlisted names are built in. */
const owners = new WeakMap<StageRegistry, Map<string, string>>();

function ownersOf(registry: StageRegistry): Map<string, string> {
  let map = owners.get(registry);
  if (map === undefined) {
    map = new Map();
    owners.set(registry, map);
  }
  return map;
}

function fail(source: string, problem: string, hint?: string): DtrainError {
  return new DtrainError('plugin.invalid', `${source}: ${problem}`, hint === undefined ? {} : { hint });
}

/** The module's real path: a regular file with a JavaScript module's extension. */
function modulePath(file: string, source: string): string {
  let real: string;
  let stat: Stats;
  try {
    real = realpathSync(resolve(file));
    stat = statSync(real);
  } catch (error) {
    throw fail(source, `cannot read the plug-in: ${fileProblem(error)}`);
  }
  if (!stat.isFile()) throw fail(source, `cannot read the plug-in: ${stat.isDirectory() ? 'a directory' : 'not a regular file'}`);
  if (!EXTENSIONS.has(extname(real).toLowerCase())) {
    throw fail(source, 'not a JavaScript module (a plug-in is an ES module file ending in .mjs or .js)');
  }
  return real;
}

/** A syntax error of the file itself, not one its code threw while running (JSON.parse…). */
function isParseError(thrown: unknown): boolean {
  if (!isInstance(thrown, SyntaxError)) return false;
  let stack: string;
  try {
    stack = String((thrown as SyntaxError).stack);
  } catch {
    // a stack getter that throws is the plug-in's own code: not the loader's syntax error
    return false;
  }
  const firstFrame = stack.split('\n').find((line) => /^\s+at /.test(line));
  return firstFrame === undefined || firstFrame.includes('node:internal');
}

async function importModule(path: string, source: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (thrown) {
    if (isParseError(thrown)) throw fail(source, `not a JavaScript module dtrain can load (${thrownMessage(thrown)})`);
    throw fail(source, `the plug-in threw while loading: ${thrownMessage(thrown)}`);
  }
}

const USAGE = 'a plug-in exports its function: export default function (dtrain) { dtrain.defineStage({ … }) } (or export function register(dtrain) { … })';

function pluginFunction(module: Record<string, unknown>, source: string): DtrainPlugin {
  const candidate = typeof module.default === 'function' ? module.default : module.register;
  if (typeof candidate === 'function') return candidate as DtrainPlugin;
  const found = module.default !== undefined ? `its default export is ${describeValue(module.default)}`
    : module.register !== undefined ? `its register export is ${describeValue(module.register)}`
      : 'it has neither a default export nor a register export';
  throw fail(source, `exports no plug-in function: ${found}`, USAGE);
}

/** The registry's refusal, worded for the plug-in: whose name it collides with. */
function refusal(error: RegistryError, source: string, key: string, what: string, registry: StageRegistry): DtrainError {
  if (error.code !== 'registry.duplicate') return fail(source, error.message);
  const owner = ownersOf(registry).get(key);
  if (owner === undefined) return fail(source, `${what} is built in and a plug-in cannot replace it; choose another name`);
  if (owner === source) return fail(source, `${what} is defined twice`);
  return fail(source, `${what} is already defined by ${owner}`);
}

function apiFor(registry: StageRegistry, source: string, state: { open: boolean; defined: number }): PluginApi {
  const define = (key: string, what: string, add: () => void): void => {
    if (!state.open) throw fail(source, `${what} was defined after the plug-in's function returned; define everything while it runs`);
    try {
      add();
    } catch (error) {
      if (error instanceof RegistryError) throw refusal(error, source, key, what, registry);
      throw error;
    }
    ownersOf(registry).set(key, source);
    state.defined += 1;
  };
  return Object.freeze({
    defineStage(input: StageDefinition): void {
      const stage = guardStage(input, source);
      define(`${stage.kind}:${stage.name}`, `the ${stage.kind} stage '${escapeForTerminal(stage.name)}'`, () => registry.defineStage(stage));
    },
    definePreset(input: PresetDefinition): void {
      const preset = guardPreset(input, source);
      for (const kind of ['batch', 'resources', 'aggregation'] as const) {
        const pick = preset[kind];
        if (registry.has(kind, pick)) continue;
        const known = registry.names(kind);
        const match = didYouMean(pick, known);
        const suggestion = match === undefined ? `the ${kind} stages are ${known.join(', ')}` : `did you mean ${match}?`;
        throw fail(source, `the preset '${escapeForTerminal(preset.name)}' names the ${kind} stage '${escapeForTerminal(pick)}', which is not defined (${suggestion})`);
      }
      define(`preset:${preset.name}`, `the preset '${escapeForTerminal(preset.name)}'`, () => registry.definePreset(preset));
    },
  });
}

async function loadPlugin(file: string, registry: StageRegistry, path: string): Promise<void> {
  const source = `--plugin ${escapeForTerminal(file)}`;
  const register = pluginFunction(await importModule(path, source), source);
  const state = { open: true, defined: 0 };
  try {
    await register(apiFor(registry, source, state));
  } catch (thrown) {
    if (isInstance(thrown, DtrainError)) throw thrown;
    throw fail(source, `the plug-in threw while registering: ${thrownMessage(thrown)}`);
  } finally {
    state.open = false;
  }
  if (state.defined === 0) throw fail(source, 'the plug-in defined no stage and no preset', USAGE);
}

/**
 * Load each plug-in, in order, into `registry`. A file given twice is loaded once. The first
 * failure stops the loading (later plug-ins may build on earlier ones' stages).
 */
export async function loadPlugins(files: readonly string[], registry: StageRegistry): Promise<StageRegistry> {
  // A plug-in's own code runs now, and code that never yields would keep a JS signal handler
  // from ever running: while plug-ins load, SIGINT and SIGTERM keep their default (end the process).
  const parked = parkSignalListeners();
  try {
    const loaded = new Set<string>();
    for (const file of files) {
      const path = modulePath(file, `--plugin ${escapeForTerminal(file)}`);
      if (loaded.has(path)) continue;
      loaded.add(path);
      await loadPlugin(file, registry, path);
    }
  } finally {
    parked();
  }
  return registry;
}
