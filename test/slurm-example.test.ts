/**
 * The README's Slurm job array is the file `npm run test:slurm` submits (byte for byte), both
 * shell scripts pass shellcheck, each array task runs its own shard of the study the integration
 * script compares with, and the integration script stays out of `npm test` but in CI after it.
 * The Slurm run itself needs root and apt: scripts/test-slurm.sh, not this file.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../scripts/docs.mjs';
import { ensureShellcheck } from './export/shellcheck.js';

const JOB_SCRIPT = 'examples/slurm/study-array.sbatch';
const TEST_SCRIPT = 'scripts/test-slurm.sh';
const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');
const DIR = mkdtempSync(join(tmpdir(), 'dtrain-slurm-example-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env }, cwd: options.cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status, stdout, stderr });
    });
  });
}

/** The fenced block right after `<!-- file: PATH -->` in a markdown text, without its fences. */
function fileBlock(markdown: string, path: string): string | null {
  const marker = `<!-- file: ${path} -->\n\`\`\`sh\n`;
  const start = markdown.indexOf(marker);
  if (start < 0) return null;
  const end = markdown.indexOf('\n```\n', start + marker.length);
  return end < 0 ? null : markdown.slice(start + marker.length, end + 1);
}

describe("the README's Slurm example", () => {
  it('shows the job script byte for byte, once', () => {
    const readme = read('README.md');
    expect(readme.split(`<!-- file: ${JOB_SCRIPT} -->`).length).toBe(2);
    expect(fileBlock(readme, JOB_SCRIPT)).toBe(read(JOB_SCRIPT));
  });

  it('the comparison finds a block that differs by one byte', () => {
    const readme = read('README.md').replace('#SBATCH --array=1-4\n', '#SBATCH --array=1-5\n');
    expect(fileBlock(readme, JOB_SCRIPT)).not.toBe(read(JOB_SCRIPT));
  });

  it('each array task runs shard i of n of the study that test:slurm compares with, in the submit directory', async () => {
    // a stand-in npx that prints its working directory and arguments, one per line
    const bin = join(DIR, 'bin');
    const submit = join(DIR, 'submit dir');
    for (const dir of [bin, submit]) rmSync(dir, { recursive: true, force: true });
    await run('mkdir', ['-p', bin, submit]);
    writeFileSync(join(bin, 'npx'), '#!/bin/sh\npwd\nprintf "%s\\n" "$@"\n');
    chmodSync(join(bin, 'npx'), 0o755);
    const env = { PATH: `${bin}:/usr/bin:/bin`, SLURM_SUBMIT_DIR: submit, SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_CPUS_PER_TASK: '2' };
    const ran = await run('bash', [join(REPO_ROOT, JOB_SCRIPT)], { env, cwd: DIR });
    expect(ran.stderr).toBe('');
    expect(ran.status).toBe(0);
    const studyArgs = /^study_args=\((.*)\)$/m.exec(read(TEST_SCRIPT))?.[1]?.replaceAll("'", '').split(' ');
    expect(studyArgs).toEqual(['scenarios/quickstart.yaml', '--seeds', '1..10', '--strategy', 's1s4,sync-sgd', '--baseline', 'sync-sgd']);
    expect(ran.stdout.split('\n')).toEqual([submit, 'dtrain', 'study', ...studyArgs!, '--jobs', '2', '--shard', '3/4', '--out', 'study-part-3', '']);
  });

  it('both shell scripts pass shellcheck', async () => {
    const shellcheck = await ensureShellcheck();
    const checked = await run(shellcheck, ['--severity=style', join(REPO_ROOT, JOB_SCRIPT), join(REPO_ROOT, TEST_SCRIPT)]);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  }, 600_000);

  it('npm run test:slurm runs the integration script; npm test does not, CI does after it', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['test:slurm']).toBe(`bash ${TEST_SCRIPT}`);
    expect(scripts.test).not.toContain('slurm');
    const ci = read('.ci/run').split('\n');
    expect(ci.indexOf('npm run test:slurm')).toBeGreaterThan(ci.indexOf('npm test'));
    expect(ci.indexOf('npm test')).toBeGreaterThan(-1);
  });
});
