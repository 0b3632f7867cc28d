/**
 * The playground's build (scripts/build-playground.mjs): the browser bundles hold no host
 * code of Node (src/node, src/cli, sweeps, studies, node: modules) — the build fails if they
 * do — and the build folder has what the page needs.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { buildPlayground, nodeOnlyInputs } from '../../scripts/build-playground.mjs';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the playground build', () => {
  it('bundles the worker and the page with nothing Node-only, and writes the wasm binaries, bundle.json and the marker', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dtrain-pg-build-')), 'site');
    const { bytes } = (await buildPlayground(out)) as { bytes: number };
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['.dtrain-playground', 'index.html', 'main.js', 'worker.js', 'bundle.json', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']));
    expect(files).not.toContain('tfjs-backend-wasm-threaded-simd.wasm');
    // the marker lists the build's own files, which --build DIR may replace (and no others)
    expect(readFileSync(join(out, '.dtrain-playground'), 'utf8').split('\n').slice(1, -1)).toEqual(files.filter((name) => name !== '.dtrain-playground').sort());
    expect(bytes).toBeLessThan(15 * 1024 * 1024);
    const bundle = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8')) as { meta: Record<string, string> };
    expect(bundle.meta).toEqual({
      version: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      node: process.version,
      tfjs: (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs-core', 'package.json'), 'utf8')) as { version: string }).version,
    });
  });

  it('the page\'s script holds no scenario parser, stage registry or simulator: the worker answers what the page shows', async () => {
    const result = await build({
      entryPoints: [join(ROOT, 'playground', 'main.ts')], bundle: true, write: false, metafile: true, minify: true, platform: 'browser',
      format: 'esm', absWorkingDir: ROOT, logLevel: 'silent', outfile: 'main.js', define: { 'process.env.NODE_ENV': '"production"' },
    });
    const inputs = Object.keys(result.metafile.inputs);
    // (the share link's size limit is the scenario reader's constant: that module, not the parser)
    const core = inputs.filter((path) => /node_modules\/(zod|yaml)\/|^src\/(scenario|pipeline|run|sim|train|report|explain)\//.test(path));
    expect(core).toEqual(['src/scenario/text-file.ts']);
    expect(inputs).toEqual(expect.arrayContaining(['playground/main.ts', 'src/errors.ts']));
    // the editor is most of it (0.46 MB when zod and yaml left; it was 1.04 MB with them)
    expect(result.outputFiles[0]!.contents.length).toBeLessThan(600 * 1024);
  });

  it('the check finds Node-only code in a bundle (a probe importing the Node host)', async () => {
    const result = await build({
      stdin: { contents: "import { nodeHost } from './src/node/host.ts'; console.log(nodeHost);", resolveDir: ROOT, loader: 'ts' },
      bundle: true, write: false, metafile: true, platform: 'browser', format: 'esm', absWorkingDir: ROOT, logLevel: 'silent',
      external: ['node:*'],
    });
    const bad = nodeOnlyInputs(result.metafile) as string[];
    expect(bad).toEqual(expect.arrayContaining(['src/node/host.ts', 'src/node/host.ts → node:path']));
  });
});
