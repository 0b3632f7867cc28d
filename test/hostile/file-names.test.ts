/**
 * A scenario file's name is the user's text too: one holding an ESC sequence or a newline
 * must be printed as escapes (`\e`, `\n`) in every issue line and error, never raw, so that
 * it can neither restyle the terminal nor forge an extra line of output.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_DIR, runCli, STACK_TRACE } from './cli.js';

const HOSTILE_NAME = 'red\u001b[31m\nforged.yaml';
const SHOWN = 'red\\e[31m\\nforged.yaml';

function hostileCopy(caseName: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dtrain-file-name-'));
  copyFileSync(join(HOSTILE_DIR, 'cases', caseName), join(dir, HOSTILE_NAME));
  return dir;
}

describe('scenario file names with control characters', () => {
  it('validate shows the name escaped in each issue line', async () => {
    const dir = hostileCopy('yaml-duplicate-key.yaml');
    const result = await runCli(['validate', HOSTILE_NAME], { cwd: dir });
    expect(result.stderr).toBe(`${SHOWN}:3:1  rounds: expected each key at most once in a map, found rounds again (first at line 1)\n1 problem found\n`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });

  it('simulate shows the name escaped in the error header and the issue lines', async () => {
    const dir = hostileCopy('yaml-tabs.yaml');
    const result = await runCli(['simulate', HOSTILE_NAME, '--quiet'], { cwd: dir });
    expect(result.stderr).toBe([
      `error: ${SHOWN}: 2 problems`,
      `${SHOWN}:3:1  expected spaces for indentation, found a tab`,
      `${SHOWN}:4:1  expected spaces for indentation, found a tab`,
      '',
    ].join('\n'));
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.status).toBe(2);
  });

  it('a valid file is ok under its escaped name; a missing one cannot be read, escaped too', async () => {
    const dir = hostileCopy('../../../scenarios/quickstart.yaml');
    const result = await runCli(['validate', HOSTILE_NAME, 'gone\u001b]0;title\u0007.yaml'], { cwd: dir });
    expect(result.stdout).toBe(`${SHOWN}: ok\n`);
    expect(result.stderr).toBe("error: cannot read scenario file 'gone\\e]0;title\\x07.yaml': no such file\n1 problem found\n");
    expect(result.status).toBe(2);
  });
});
