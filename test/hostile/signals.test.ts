/**
 * Signals at any moment of a command end it with 130 and a word, never the shell's 143 with
 * none (Kubernetes and Slurm stop jobs with SIGTERM); and what commander itself prints about a
 * bad flag or command is escaped for the terminal like every other message.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, STACK_TRACE } from './cli.js';

const TINY = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-signals-'));
  copyFileSync(TINY, join(dir, 's.yaml'));
  return dir;
}

/** Preloaded into the CLI: writes CATCHING to stderr once the CLI's code catches SIGTERM. */
const PRELOAD = { NODE_OPTIONS: `--require ${join(ROOT, 'test', 'hostile', 'signals', 'catching.cjs')}` };
const CATCHING = '[catching SIGTERM]';

describe('a signal at any moment', () => {
  // Timed from the moment the CLI's code catches SIGTERM: before that, Node itself is still
  // starting (on a loaded machine that alone took over 150 ms), and no program can answer.
  it.each([0, 150, 300, 600])('SIGTERM %i ms after the process can catch it (while it loads, sets up, runs): exit 130, no stack', async (delayMs) => {
    let sent = false;
    const run = await runCli(['simulate', 's.yaml', '--rounds', '6000', '--quiet', '--no-progress'], {
      cwd: workspace(),
      env: PRELOAD,
      onStderr: (chunk, pid) => {
        if (sent || !chunk.includes(CATCHING)) return;
        sent = true;
        setTimeout(() => process.kill(pid, 'SIGTERM'), delayMs);
      },
    });
    expect(sent).toBe(true);
    expect(run.signal).toBeNull();
    expect(run.status).toBe(130);
    expect(run.stderr).toMatch(/SIGTERM: (stopped|stopping after the current round|stopping before the first round)/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

/** A folder holding s.yaml of 300,000 × 100 blobs: about 2 s of generating and arranging, during which memory grows by 120 MB. */
function bigDataWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-signals-'));
  writeFileSync(join(dir, 's.yaml'), [
    'name: big-data', 'seed: 1', 'rounds: 3',
    'data: { dataset: { blobs: { samples: 300000, features: 100, classes: 3, spread: 1 } } }',
    'model: { hidden: [4] }', 'cluster: { nodes: [ { id: n, count: 8, latency: { constant: 5 } } ] }', '',
  ].join('\n'));
  return dir;
}

/** SIGINT to `pid` once the generation is under way: 150 MB resident (the CLI starts at ~100 MB). */
function sigintOnceGenerating(pid: number, sent: () => void = () => {}): NodeJS.Timeout {
  const poll = setInterval(() => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    if (Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) < 150_000) return;
    clearInterval(poll);
    sent();
    process.kill(pid, 'SIGINT');
  }, 10);
  return poll;
}

describe('a signal while a large dataset is generated', () => {
  it('is answered at once, and the run stops while the data is still being made: exit 130, no round, nothing written', async () => {
    const dir = bigDataWorkspace();
    const times: Record<'signal' | 'answer' | 'exit', number> = { signal: 0, answer: 0, exit: 0 };
    let poll: NodeJS.Timeout | undefined;
    const run = await runCli(['simulate', 's.yaml', '--quiet', '--no-progress', '--backend', 'cpu', '--json', 'out.json', '--csv', 'csv'], {
      cwd: dir,
      onSpawn: (pid) => {
        poll = sigintOnceGenerating(pid, () => (times.signal = performance.now()));
      },
      onStderr: (chunk) => {
        if (chunk.includes('SIGINT:')) times.answer = performance.now();
      },
    });
    clearInterval(poll);
    times.exit = performance.now();
    expect(run.status).toBe(130);
    expect(run.stderr).toBe('\nSIGINT: stopping before the first round (send it again to quit now)\n'
      + 'interrupted: stopped before the first of 3 rounds of s1s4 finished; no round finished, so the outputs hold none\n');
    // answered while the data was still being made, not once it was ready (a turn every ~20 ms of it)
    expect(times.answer - times.signal).toBeLessThan(times.exit - times.answer);
    // stopped there: had the data been made whole, the run would have stopped at its first
    // round's boundary and written its outputs, holding no round
    expect(readdirSync(dir).sort()).toEqual(['s.yaml']);
  });
});

describe('a signal while explain prepares a large dataset', () => {
  it('stops the preparation there: exit 130, one message, nothing explained', async () => {
    const dir = bigDataWorkspace();
    let poll: NodeJS.Timeout | undefined;
    const run = await runCli(['explain', 's.yaml', '--round', '2', '--no-progress', '--backend', 'cpu'], {
      cwd: dir,
      onSpawn: (pid) => {
        poll = sigintOnceGenerating(pid);
      },
    });
    clearInterval(poll);
    expect(run.status).toBe(130);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/error: interrupted while preparing the data; nothing explained\nhint: run the same command again to explain it\n$/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('a signal after the run, while the tables are printed', () => {
  it('exits at once (130) instead of announcing a stop at a round boundary that will never come', async () => {
    let sent = false;
    const run = await runCli(['simulate', 's.yaml', '--rounds', '1500', '--no-progress'], {
      cwd: workspace(),
      onSpawn: (pid) => {
        const poll = setInterval(() => {
          if (!sent) return;
          clearInterval(poll);
          process.kill(pid, 'SIGTERM');
        }, 5);
      },
      onStdout: () => (sent = true),
    });
    expect(run.stderr).not.toMatch(/stopping (after the current|before the first) round/);
    expect([0, 130]).toContain(run.status);
    if (run.status === 130) expect(run.stderr).toContain('SIGTERM: stopped');
  });
});

describe("commander's own messages are escaped", () => {
  it('an unknown option with an escape sequence in its name', async () => {
    const run = await runCli(['simulate', 's.yaml', '--\u001b[31mred'], { cwd: workspace() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("error: unknown option '--\\e[31mred'");
    expect(run.stderr).not.toContain('\u001b');
  });

  it('an unknown command that would clear the screen', async () => {
    const run = await runCli(['\u001b[2Jsim'], { cwd: workspace() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("error: unknown command '\\e[2Jsim'");
    expect(run.stderr).not.toContain('\u001b');
  });

  it('dtrain init shows the file it wrote escaped', async () => {
    const dir = workspace();
    const run = await runCli(['init', '\u001b[1mnew.yaml'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('wrote \\e[1mnew.yaml · run it: dtrain simulate \\e[1mnew.yaml\n');
  });
});
