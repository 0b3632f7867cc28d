#!/usr/bin/env node
/**
 * Builds the playground (`dtrain playground`) into dist/playground/, run by `npm run build`
 * after tsc: esbuild bundles the page (playground/main.ts → main.js) and the simulator worker
 * (src/browser/worker.ts → worker.js) for the browser; the page's static files
 * (playground/*.html, *.css, images) are copied; TF.js's wasm binaries are copied beside the
 * worker (it loads them from its own folder); bundle.json carries the files a scenario may
 * name (the bundled scenarios, their traces, the shipped datasets) and the versions the JSON
 * report records. Nothing is fetched from anywhere at run time but this folder.
 *
 *   node scripts/build-playground.mjs [--out DIR]
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Marks a folder as a playground build (`dtrain playground --build DIR` may replace one). */
export const BUILD_MARKER = '.dtrain-playground';
/** The wasm binaries the single-threaded backend loads (plain and SIMD; the threaded one is never used). */
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
/** Static files of the page copied as they are (file-hint.js: a classic script that needs no bundling). */
const STATIC = /\.(html|css|svg|png|ico|txt)$|^file-hint\.js$/;
/** The picker's order: the first scenario a visitor sees, then the rest alphabetically. */
const FIRST_SCENARIO = 'quickstart';

/**
 * The marker's text: a line saying what it is, then the build's own files, one a line
 * (`dtrain playground --build` replaces or removes those and leaves every other file alone).
 */
export function markerText(files) {
  return `${MARKER_HEADER}\n${[...files].sort().join('\n')}\n`;
}
export const MARKER_HEADER = 'a dtrain playground build; dtrain playground --build replaces the files listed below and leaves other files alone';

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

/** The first line of a scenario's description, for the picker. */
function firstLine(text) {
  return typeof text === 'string' ? (text.trim().split('\n')[0] ?? '') : '';
}

/**
 * bundle.json's content: the versions the CLI writes in a JSON report's `tool` and `run`
 * blocks (the Node.js version is the one building the page, see docs/playground.md), every
 * file a bundled scenario may name, keyed by its path in the repository, and the scenarios.
 */
export function collectBundle(root = ROOT) {
  const files = {};
  const add = (path) => {
    files[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
  };
  const scenarioFiles = filesUnder(join(root, 'scenarios'), (name) => name.endsWith('.yaml')).sort();
  for (const path of scenarioFiles) add(path);
  for (const path of filesUnder(join(root, 'scenarios', 'traces'), (name) => /\.(csv|txt)$/.test(name)).sort()) add(path);
  for (const path of filesUnder(join(root, 'data', 'datasets'), (name) => name.endsWith('.csv')).sort()) add(path);
  const scenarios = scenarioFiles
    .filter((path) => dirname(path) === join(root, 'scenarios'))
    .map((path) => {
      const yaml = readFileSync(path, 'utf8');
      const name = relative(join(root, 'scenarios'), path).replace(/\.yaml$/, '');
      return { name, file: `scenarios/${name}.yaml`, description: firstLine(parse(yaml)?.description), yaml };
    })
    .sort((a, b) => (a.name === FIRST_SCENARIO ? -1 : b.name === FIRST_SCENARIO ? 1 : a.name.localeCompare(b.name)));
  return {
    meta: {
      version: readJson(join(root, 'package.json')).version,
      node: process.version,
      tfjs: readJson(join(root, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json')).version,
    },
    files,
    scenarios,
  };
}

function sizeOf(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((total, entry) => {
    const path = join(dir, entry.name);
    return total + (entry.isDirectory() ? sizeOf(path) : statSync(path).size);
  }, 0);
}

/** Host code that must never reach the browser: Node's host, the command line, sweeps and studies. */
const NODE_ONLY = /^src\/(node|cli|sweep|study)\/|^src\/(cli|index|output-file|version)\.ts$/;

/**
 * What of the repository's own code and of Node's built-ins a bundle pulled in that a browser
 * cannot run: `[]` when it is clean. `metafile` is esbuild's.
 */
export function nodeOnlyInputs(metafile) {
  const bad = [];
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (NODE_ONLY.test(path)) bad.push(path);
    for (const imported of input.imports) {
      if (imported.path.startsWith('node:')) bad.push(`${path} → ${imported.path}`);
    }
  }
  return bad;
}

/**
 * Builds into a folder beside `out` and swaps it in at the end, so a failed build (a syntax
 * error while someone edits) leaves the previous one in place, and a server or a test reading
 * `out` never sees it half written.
 */
export async function buildPlayground(target = join(ROOT, 'dist', 'playground')) {
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await buildInto(staging);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { out: target, bytes: sizeOf(target) };
}

async function buildInto(out) {
  const { build } = await import('esbuild');
  mkdirSync(out, { recursive: true });
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    absWorkingDir: ROOT,
  };
  const bundles = [await build({ ...common, entryPoints: [join(ROOT, 'src', 'browser', 'worker.ts')], outfile: join(out, 'worker.js') })];
  const ui = join(ROOT, 'playground', 'main.ts');
  if (existsSync(ui)) bundles.push(await build({ ...common, entryPoints: [ui], outfile: join(out, 'main.js') }));
  const bad = bundles.flatMap((bundle) => nodeOnlyInputs(bundle.metafile));
  if (bad.length > 0) throw new Error(`the playground bundles code that only runs in Node:\n  ${bad.join('\n  ')}`);
  for (const path of filesUnder(join(ROOT, 'playground'), (name) => STATIC.test(name))) {
    const to = join(out, relative(join(ROOT, 'playground'), path));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(path, to);
  }
  const wasmDir = join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const file of WASM_FILES) copyFileSync(join(wasmDir, file), join(out, file));
  writeFileSync(join(out, 'bundle.json'), JSON.stringify(collectBundle()));
  writeFileSync(join(out, BUILD_MARKER), markerText(filesUnder(out, (name) => name !== BUILD_MARKER).map((path) => relative(out, path).split('\\').join('/'))));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--out');
  const { out, bytes } = await buildPlayground(at > 0 ? process.argv[at + 1] : undefined);
  process.stdout.write(`playground: ${relative(process.cwd(), out) || '.'} (${(bytes / 1024 / 1024).toFixed(1)} MB)\n`);
}
