/**
 * What reaches the terminal from users' and shared files, end to end through bin/ (run
 * `npm run build` first): control and bidi characters are shown as escapes in `check`
 * output and in error messages; colour follows --no-color > --color > NO_COLOR >
 * FORCE_COLOR > terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/options.js';
import { toJsonReport } from '../../src/report/json.js';
import { tinyResult } from '../report/fixtures.js';
import { STACK_TRACE } from '../hostile/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'dtrain.js');
const SCENARIO = join(ROOT, 'test', 'sweep', 'fixtures', 'tiny.yaml');
/** Raw C0 controls (newline and tab aside), DEL, C1 controls, bidi overrides and isolates. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const ANSI = /\u001b\[/;

function dtrain(args: string[], env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: merged as NodeJS.ProcessEnv });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('useColor: --no-color > --color > NO_COLOR > FORCE_COLOR > terminal', () => {
  it('the flags win over the environment and the terminal', () => {
    expect(useColor({ color: false }, { FORCE_COLOR: '1' }, true)).toBe(false);
    expect(useColor({ color: true }, { NO_COLOR: '1' }, false)).toBe(true);
  });

  it('NO_COLOR (set, not empty) wins over FORCE_COLOR and the terminal', () => {
    expect(useColor({}, { NO_COLOR: '1', FORCE_COLOR: '1' }, true)).toBe(false);
    expect(useColor({}, { NO_COLOR: '' }, true)).toBe(true);
  });

  it('FORCE_COLOR other than 0 or false colours output that is not a terminal', () => {
    expect(useColor({}, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColor({}, { FORCE_COLOR: '' }, false)).toBe(true);
    expect(useColor({}, { FORCE_COLOR: '0' }, true)).toBe(true);
    expect(useColor({}, { FORCE_COLOR: '0' }, false)).toBe(false);
    expect(useColor({}, { FORCE_COLOR: 'false' }, false)).toBe(false);
  });

  it('without flags or environment: colour exactly on a terminal', () => {
    expect(useColor({}, {}, true)).toBe(true);
    expect(useColor({}, {}, false)).toBe(false);
  });
});

describe('dtrain simulate colour flags (stdout is a pipe here)', () => {
  const QUICK = ['simulate', SCENARIO, '--rounds', '1', '--quiet', '--no-insights', '--no-limits'];

  it('--color and FORCE_COLOR=1 colour the summary; plain otherwise', () => {
    expect(dtrain(QUICK).stdout).not.toMatch(ANSI);
    expect(dtrain([...QUICK, '--color']).stdout).toMatch(ANSI);
    expect(dtrain(QUICK, { FORCE_COLOR: '1' }).stdout).toMatch(ANSI);
    expect(dtrain(QUICK, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
  });

  it('--no-color wins over --color in either order', () => {
    expect(dtrain([...QUICK, '--color', '--no-color']).stdout).not.toMatch(ANSI);
    expect(dtrain([...QUICK, '--no-color', '--color']).stdout).not.toMatch(ANSI);
  });

  it('the help states the precedence', () => {
    // commander wraps option descriptions: compare with the line breaks folded
    const help = dtrain(['simulate', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--no-color > --color > NO_COLOR > FORCE_COLOR > stdout is a terminal');
  });
});

describe('names from shared files are escaped on the terminal', () => {
  it('dtrain check prints a golden\'s ESC/OSC strategy name and version as escapes', () => {
    // Arrange: run and golden agree; the golden came from someone else's machine
    const dir = mkdtempSync(join(tmpdir(), 'dtrain-escape-'));
    const result = tinyResult();
    result.runs[0]!.strategy = { ...result.runs[0]!.strategy, name: 's1s4\u001b]0;owned\u0007\u202e' };
    const options = { trace: false, timing: false, scenarioHash: 'h' };
    writeFileSync(join(dir, 'run.json'), toJsonReport(result, { ...options, version: '0.1.0' }));
    writeFileSync(join(dir, 'golden.json'), toJsonReport(result, { ...options, version: '0.1.0\u001b[2J' }));

    // Act
    const check = dtrain(['check', join(dir, 'run.json'), join(dir, 'golden.json')]);

    // Assert
    expect(check.status).toBe(0);
    expect(check.stdout).not.toMatch(RAW_CONTROL);
    expect(check.stderr).not.toMatch(RAW_CONTROL);
    expect(check.stdout).toContain('(s1s4\\e]0;owned\\x07\\u{202e}, sync-sgd · 2 rounds · backend cpu)');
    expect(check.stderr).toBe('note: golden was recorded with dtrain 0.1.0\\e[2J, this is dtrain 0.1.0\n');
  });

  it('an error naming a file with escapes and a bidi override shows them as escapes, no stack', () => {
    // Act
    const run = dtrain(['simulate', 'no\u001b[31mne\u202e.yaml']);

    // Assert
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: cannot read scenario file 'no\\e\[31mne\\u\{202e\}\.yaml': /);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
