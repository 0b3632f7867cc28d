#!/usr/bin/env node
// npm run docs            rewrite every command excerpt in README.md and docs/*.md from real output
// npm run docs -- --check  exit 1 listing every excerpt that no longer matches (and every broken link)
//
// An excerpt in the markdown is
//   <!-- excerpt: ID -->
//   ```text
//   $ dtrain …
//   …output…
//   ```
//   <!-- /excerpt -->
// and its commands live only in EXCERPTS below. Each runs the built CLI (node bin/dtrain.js, so
// `npm run build` first) with NO_COLOR=1 and COLUMNS=80 in the repository root, with paths
// relative to it. An excerpt whose commands write files (scratch: true) runs instead in a
// scratch directory of its own whose entries link to the repository's (scenarios/, test/,
// docs/, …): the paths read the same, and what it writes never lands in the checkout.
// Trimming (first lines, a range between two patterns) is done here, on the real output.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const COLUMNS = 80;

// Top-level entries a command may name by a repository-relative path.
const LINKED = ['scenarios', 'test', 'docs', 'data', 'schema', 'bench', 'package.json'];

const QUICKSTART = 'scenarios/quickstart.yaml';
const SWEEP_GRID = `--set pipeline.s1.thresholdMs=20,50 --set seed=1..2 --strategy s1s4,sync-sgd`;

/**
 * Every excerpt, by id: { scratch?: true (it writes files), steps: [...] }; a step is
 *   cmd     the command line as shown (`dtrain …` runs the built CLI; `head -n N FILE`, `ls DIR`
 *           and `cat FILE` are done here, so nothing depends on the host's tools)
 *   hidden  run it (setup) but do not show it
 *   stream  'all' (stdout and stderr as a terminal shows them, the default) or 'stdout'
 *   exit    the expected exit code (default 0): a different one fails the generation
 *   lines   which output lines to keep: { head: N } | { tail: N } | { from: RegExp, to?: RegExp,
 *           inclusive?: boolean } (to is excluded unless inclusive) | a list of these; dropped
 *           lines are shown as one `…` line
 */
const run = (...steps) => ({ steps });
const scratch = (...steps) => ({ scratch: true, steps });

export const EXCERPTS = {
  // README.md
  'simulate-quickstart-quiet': run({ cmd: 'dtrain simulate --quiet' }),
  'scenarios-list': run({ cmd: 'dtrain scenarios' }),

  // docs/scenario-reference.md
  'validate-bad': run({ cmd: 'dtrain validate docs/examples/bad.yaml', exit: 2 }),
  'init': scratch({ cmd: 'dtrain init my-scenario.yaml' }, { cmd: 'dtrain validate my-scenario.yaml' }),
  'schema-head': run({ cmd: 'dtrain schema', lines: { head: 12 } }),

  // docs/commands.md
  'help': run({ cmd: 'dtrain --help' }),
  'help-simulate': run({ cmd: 'dtrain simulate --help' }),
  'help-validate': run({ cmd: 'dtrain validate --help' }),
  'help-explain': run({ cmd: 'dtrain explain --help' }),
  'help-check': run({ cmd: 'dtrain check --help' }),
  'help-sweep': run({ cmd: 'dtrain sweep --help' }),
  'help-merge': run({ cmd: 'dtrain merge --help' }),
  'help-init': run({ cmd: 'dtrain init --help' }),
  'help-schema': run({ cmd: 'dtrain schema --help' }),

  // docs/output.md
  'simulate-two-rounds': run({
    cmd: `dtrain simulate ${QUICKSTART} --rounds 2`,
    lines: [{ from: /^dtrain/, to: /^== sync-sgd/ }, { from: /^summary/ }],
  }),
  'simulate-large-cluster': run({
    cmd: 'dtrain simulate scenarios/large-cluster.yaml --rounds 1 --strategy s1s4',
    lines: { from: /^round 1/, to: /^$/ },
  }),
  'json-head': scratch(
    { cmd: `dtrain simulate ${QUICKSTART} --rounds 1 --quiet --json run.json`, hidden: true },
    { cmd: 'head -n 24 run.json' },
  ),
  'reports': scratch(
    { cmd: `dtrain simulate ${QUICKSTART} --rounds 3 --quiet --report run.html --timeline run.trace.json --csv run-csv` },
    { cmd: 'ls run-csv' },
    { cmd: 'head -n 3 run-csv/rounds.csv' },
    { cmd: 'head -n 3 run-csv/nodes.csv' },
  ),

  // docs/regression-and-sweeps.md
  'golden-ok': run({ cmd: `dtrain simulate ${QUICKSTART} --quiet --expect test/golden/quickstart.json` }),
  'golden-failed': scratch(
    { cmd: `dtrain simulate ${QUICKSTART} --quiet --backend cpu --json run-cpu.json`, hidden: true },
    { cmd: 'dtrain check run-cpu.json test/golden/quickstart.json --any-backend --tolerance loss=1e-9,weight=1e-9', exit: 1 },
  ),
  'sweep': scratch(
    { cmd: `dtrain sweep ${QUICKSTART} ${SWEEP_GRID} --jobs 2 --out results`, stream: 'stdout' },
    { cmd: 'ls results' },
    { cmd: 'head -n 3 results/summary.csv' },
  ),
  'sweep-bad-path': scratch({ cmd: `dtrain sweep ${QUICKSTART} --set pipeline.s1.treshold=5 --out results`, exit: 2 }),
  'sweep-merge': scratch(
    { cmd: `dtrain sweep ${QUICKSTART} ${SWEEP_GRID} --jobs 1 --shard 1/2 --out part-1`, hidden: true },
    { cmd: `dtrain sweep ${QUICKSTART} ${SWEEP_GRID} --jobs 1 --shard 2/2 --out part-2`, hidden: true },
    { cmd: 'dtrain merge part-1 part-2 --out results' },
  ),

  // docs/study.md
  'study': scratch({
    cmd: `dtrain study ${QUICKSTART} --seeds 1..5 --strategy s1s4,lb-bsp,sync-sgd --baseline sync-sgd --jobs 2 --out study`,
    stream: 'stdout',
    lines: [{ from: /^study/, to: /^samples trained/ }, { from: /^lb-bsp − sync-sgd/ }],
  }),
  'study-files': scratch(
    { cmd: `dtrain study ${QUICKSTART} --seeds 1..2 --strategy s1s4,sync-sgd --jobs 2 --out study`, hidden: true },
    { cmd: 'head -n 3 study/summary.csv' },
  ),
  'study-bad-baseline': scratch({ cmd: `dtrain study ${QUICKSTART} --seeds 1..5 --strategy s1s4,lb-bsp --baseline sync-sgd --out study`, exit: 2 }),

  // docs/explain-and-insights.md
  'explain-round': run({ cmd: `dtrain explain ${QUICKSTART} --round 14 --node c` }),
  'explain-list': run({ cmd: `dtrain explain ${QUICKSTART}` }),
  'simulate-insights': run({ cmd: `dtrain simulate ${QUICKSTART}`, lines: { from: /^insights/ } }),

  // docs/hostile-input-and-limits.md
  'validate-hostile': run({ cmd: 'dtrain validate docs/examples/hostile.yaml', exit: 2 }),
  'limits-refused': run({ cmd: 'dtrain simulate docs/examples/huge-batch.yaml', exit: 2 }),
  'diverged': run({ cmd: 'dtrain simulate docs/examples/diverge.yaml --quiet', exit: 1 }),

  // docs/calibrate.md (only --from: --measure prints this host's timings, which vary)
  'calibrate-from': run({ cmd: 'dtrain calibrate examples/calibrate-cluster.yaml --from examples/steps.csv' }),
  'calibrate-bad': run({ cmd: 'dtrain calibrate examples/calibrate-cluster.yaml --from docs/examples/bad-steps.csv', exit: 2 }),
  'help-calibrate': run({ cmd: 'dtrain calibrate --help' }),

  // docs/export.md
  'export-csv': scratch(
    { cmd: `dtrain export latency ${QUICKSTART} --node b --duration 60s --format csv --out b.csv` },
    { cmd: 'head -n 6 b.csv' },
  ),
  'help-export': run({ cmd: 'dtrain export latency --help' }),
  'export-netem': run({ cmd: `dtrain export latency ${QUICKSTART} --node c --duration 60s --format netem`, lines: { head: 16 } }),
};

/** The markdown files that may hold excerpts and whose links are checked. */
export function docFiles(root = REPO_ROOT) {
  const files = [join(root, 'README.md')];
  const docs = join(root, 'docs');
  if (existsSync(docs)) {
    for (const name of readdirSync(docs).sort()) if (name.endsWith('.md')) files.push(join(docs, name));
  }
  return files;
}

const OPEN = /^<!-- excerpt: ([A-Za-z0-9_-]+) -->$/;
const CLOSE = '<!-- /excerpt -->';

/** The excerpts of one markdown text: id, the lines between the markers, where they are. */
export function findExcerpts(text, file = '<text>') {
  const lines = text.split('\n');
  const found = [];
  const problems = [];
  for (let i = 0; i < lines.length; i++) {
    const m = OPEN.exec(lines[i]);
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] !== CLOSE && !OPEN.test(lines[j])) j++;
    if (j >= lines.length || lines[j] !== CLOSE) {
      problems.push(`${file}:${i + 1}: excerpt ${m[1]} has no ${CLOSE}`);
      continue;
    }
    found.push({ id: m[1], start: i + 1, end: j, body: lines.slice(i + 1, j).join('\n') });
    i = j;
  }
  return { found, problems };
}

/** Split a shown command into argv: spaces separate, single or double quotes group. */
export function splitCommand(cmd) {
  const argv = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m;
  while ((m = re.exec(cmd)) !== null) argv.push(m[1] ?? m[2] ?? m[3]);
  return argv;
}

function runProcess(argv, cwd, stream) {
  // stdout and stderr share one file, so their lines keep the order a terminal would show.
  const captureDir = mkdtempSync(join(tmpdir(), 'dtrain-docs-out-'));
  const outFile = join(captureDir, 'out');
  const errFile = join(captureDir, 'err');
  const out = openSync(outFile, 'w');
  const err = stream === 'all' ? out : openSync(errFile, 'w');
  const closeAll = () => {
    closeSync(out);
    if (err !== out) closeSync(err);
  };
  let child;
  try {
    child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'dtrain.js'), ...argv], {
      cwd,
      stdio: ['ignore', out, err],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: tmpdir(),
        NO_COLOR: '1',
        COLUMNS: String(COLUMNS),
        LANG: 'C.UTF-8',
        TZ: 'UTC',
      },
    });
  } catch (e) {
    closeAll();
    rmSync(captureDir, { recursive: true, force: true });
    throw e;
  }
  return new Promise((resolvePromise, reject) => {
    child.on('error', (e) => {
      closeAll();
      rmSync(captureDir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code, signal) => {
      closeAll();
      const text = readFileSync(outFile, 'utf8');
      const errText = err !== out ? readFileSync(errFile, 'utf8') : '';
      rmSync(captureDir, { recursive: true, force: true });
      resolvePromise({ code: code ?? (signal ? 128 : 1), text, errText });
    });
  });
}

function builtin(argv, cwd) {
  const [name, ...rest] = argv;
  if (name === 'head' && rest[0] === '-n' && rest.length === 3) {
    const lines = readFileSync(join(cwd, rest[2]), 'utf8').split('\n');
    return lines.slice(0, Number(rest[1])).join('\n') + '\n';
  }
  if (name === 'cat' && rest.length === 1) return readFileSync(join(cwd, rest[0]), 'utf8');
  if (name === 'ls' && rest.length === 1) {
    return readdirSync(join(cwd, rest[0])).filter((n) => !n.startsWith('.')).sort().join('\n') + '\n';
  }
  throw new Error(`unsupported command in an excerpt: ${argv.join(' ')} (use dtrain, head -n N FILE, cat FILE or ls DIR)`);
}

/** Keep the selected lines; each run of dropped lines becomes one `…`. */
export function selectLines(lines, spec) {
  if (!spec) return lines;
  const specs = Array.isArray(spec) ? spec : [spec];
  const keep = new Array(lines.length).fill(false);
  for (const s of specs) {
    if ('head' in s) for (let i = 0; i < Math.min(s.head, lines.length); i++) keep[i] = true;
    else if ('tail' in s) for (let i = Math.max(0, lines.length - s.tail); i < lines.length; i++) keep[i] = true;
    else {
      const from = lines.findIndex((l) => s.from.test(l));
      if (from < 0) throw new Error(`no output line matches ${s.from}`);
      let to = lines.length;
      if (s.to) {
        const rel = lines.slice(from + 1).findIndex((l) => s.to.test(l));
        if (rel < 0) throw new Error(`no output line after ${s.from} matches ${s.to}`);
        to = from + 1 + rel + (s.inclusive ? 1 : 0);
      }
      for (let i = from; i < to; i++) keep[i] = true;
    }
  }
  // Trailing blank lines are not output worth showing, kept or dropped.
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  const out = [];
  for (let i = 0; i <= last; i++) {
    if (keep[i]) out.push(lines[i]);
    else if (out[out.length - 1] !== '…') out.push('…');
  }
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
  return out;
}

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-docs-'));
  for (const name of LINKED) {
    if (existsSync(join(REPO_ROOT, name))) symlinkSync(join(REPO_ROOT, name), join(dir, name));
  }
  return dir;
}

/** Run one excerpt's commands and return the text that belongs between its fences. */
export async function renderExcerpt(id, excerpt = EXCERPTS[id]) {
  if (!excerpt) throw new Error(`unknown excerpt ${id}`);
  const scratchDir = excerpt.scratch ? sandbox() : null;
  const cwd = scratchDir ?? REPO_ROOT;
  try {
    const shown = [];
    for (const step of excerpt.steps) {
      const argv = splitCommand(step.cmd);
      let text;
      if (argv[0] === 'dtrain') {
        const r = await runProcess(argv.slice(1), cwd, step.stream ?? 'all');
        const expected = step.exit ?? 0;
        if (r.code !== expected) {
          throw new Error(`excerpt ${id}: \`${step.cmd}\` exited ${r.code}, expected ${expected}\n${r.text}${r.errText}`);
        }
        text = r.text;
      } else {
        text = builtin(argv, cwd);
      }
      if (step.hidden) continue;
      for (const p of [cwd, REPO_ROOT]) {
        if (text.includes(p)) throw new Error(`excerpt ${id}: \`${step.cmd}\` prints a machine-specific path (${p}); choose a command whose output does not`);
      }
      const lines = text.replace(/\n$/, '').split('\n').map((l) => l.replace(/\s+$/, ''));
      const kept = selectLines(lines, step.lines);
      shown.push([`$ ${step.cmd}`, ...kept].join('\n'));
    }
    const body = shown.join('\n\n');
    const fence = body.includes('```') ? '````' : '```';
    return `${fence}text\n${body}\n${fence}`;
  } finally {
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  }
}

async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---- links ----------------------------------------------------------------------------------

/** GitHub's heading anchor: lower case, punctuation dropped, spaces → hyphens. */
export function slug(heading) {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

export function anchorsOf(text) {
  const anchors = new Set();
  const seen = new Map();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
  return anchors;
}

/** Every relative link in the given markdown files that points to no file or no anchor. */
export function checkLinks(files, root = REPO_ROOT) {
  const broken = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let fenced = false;
    text.split('\n').forEach((line, i) => {
      if (/^(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return;
      const noCode = line.replace(/`[^`]*`/g, '');
      for (const m of noCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
        const [pathPart, anchor] = target.split('#');
        const dest = pathPart === '' ? file : resolve(dirname(file), decodeURIComponent(pathPart));
        const where = `${relative(root, file)}:${i + 1}`;
        if (!existsSync(dest)) {
          broken.push(`${where}: ${target} → no such file`);
          continue;
        }
        if (anchor !== undefined) {
          if (!dest.endsWith('.md') || statSync(dest).isDirectory()) {
            broken.push(`${where}: ${target} → an anchor into a file that is not markdown`);
          } else if (!anchorsOf(readFileSync(dest, 'utf8')).has(anchor)) {
            broken.push(`${where}: ${target} → no heading #${anchor} in ${relative(root, dest)}`);
          }
        }
      }
    });
  }
  return broken;
}

// ---- the run ----------------------------------------------------------------------------------

/**
 * Generate every excerpt used in `files` and compare (check) or rewrite them.
 * Returns { stale: [{ id, file, line }], problems: [string], rewritten: [file], brokenLinks: [string] }.
 */
export async function runDocs({ check = false, files = docFiles(), excerpts = EXCERPTS, jobs = Math.max(2, Math.min(4, availableParallelism())), root = REPO_ROOT } = {}) {
  const problems = [];
  const perFile = [];
  const used = new Set();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const { found, problems: p } = findExcerpts(text, relative(root, file));
    problems.push(...p);
    for (const e of found) {
      if (!Object.hasOwn(excerpts, e.id)) problems.push(`${relative(root, file)}:${e.start}: unknown excerpt ${e.id} (define it in scripts/docs.mjs)`);
      else used.add(e.id);
    }
    perFile.push({ file, text, found });
  }
  for (const id of Object.keys(excerpts)) {
    if (!used.has(id)) problems.push(`excerpt ${id} is defined in scripts/docs.mjs but used in no markdown file`);
  }
  const ids = [...used];
  const rendered = new Map();
  await pool(ids, jobs, async (id) => {
    try {
      rendered.set(id, await renderExcerpt(id, excerpts[id]));
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  });
  const stale = [];
  const rewritten = [];
  for (const { file, text, found } of perFile) {
    const lines = text.split('\n');
    let changed = false;
    for (const e of [...found].reverse()) {
      const fresh = rendered.get(e.id);
      if (fresh === undefined) continue;
      if (fresh !== e.body) {
        stale.push({ id: e.id, file: relative(root, file), line: e.start });
        lines.splice(e.start, e.end - e.start, fresh);
        changed = true;
      }
    }
    if (changed && !check) {
      writeFileSync(file, lines.join('\n'));
      rewritten.push(relative(root, file));
    }
  }
  stale.reverse();
  const brokenLinks = checkLinks(files, root);
  return { stale, problems, rewritten, brokenLinks };
}

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`usage: npm run docs [-- --check]   (unknown: ${unknown.join(' ')})\n`);
    process.exit(2);
  }
  const check = args.includes('--check');
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli.js'))) {
    process.stderr.write('error: dist/cli.js is missing; run npm run build first\n');
    process.exit(2);
  }
  const started = Date.now();
  const { stale, problems, rewritten, brokenLinks } = await runDocs({ check });
  for (const p of problems) process.stderr.write(`error: ${p}\n`);
  for (const b of brokenLinks) process.stderr.write(`broken link: ${b}\n`);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (check) {
    for (const s of stale) process.stderr.write(`stale excerpt: ${s.id} (${s.file}:${s.line})\n`);
    if (stale.length > 0) process.stderr.write(`${stale.length} stale excerpt(s); run npm run docs to regenerate them\n`);
    else if (problems.length === 0) process.stdout.write(`docs: every excerpt is up to date (${secs} s)\n`);
  } else {
    for (const f of rewritten) process.stdout.write(`rewrote ${f}\n`);
    process.stdout.write(`docs: ${stale.length} excerpt(s) regenerated (${secs} s)\n`);
  }
  const failed = problems.length > 0 || brokenLinks.length > 0 || (check && stale.length > 0);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
