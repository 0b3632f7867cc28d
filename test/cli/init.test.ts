import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaPathFrom, starterScenario } from '../../src/cli/init.js';
import { collectScenarioIssues } from '../../src/node/load.js';
import { ROOT, dtrain, scratch } from './run-dtrain.js';

describe('dtrain init', () => {
  it('writes a commented starter scenario.yaml that validates and runs', () => {
    const dir = scratch();
    const init = dtrain(['init'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toBe('wrote scenario.yaml · run it: dtrain simulate scenario.yaml\n');
    const file = join(dir, 'scenario.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schemaPathFrom(dir)}`);
    expect(existsSync(join(dir, schemaPathFrom(dir)))).toBe(true);
    expect(text).toContain('name: "scenario"\n');
    expect(collectScenarioIssues(file)).toEqual([]);
    const run = dtrain(['simulate', 'scenario.yaml', '--rounds', '2', '--quiet', '--backend', 'cpu'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('summary · scenario scenario · seed 1');
  });

  it('refuses to overwrite an existing file (exit 2) unless --force', () => {
    const dir = scratch();
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, 'keep me\n');
    const refused = dtrain(['init', 'mine.yaml'], { cwd: dir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      'error: mine.yaml already exists; dtrain init does not overwrite files\n'
      + 'hint: pass --force to replace it, or name a new file: dtrain init my-scenario.yaml\n',
    );
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    const forced = dtrain(['init', 'mine.yaml', '--force'], { cwd: dir });
    expect(forced.status).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('name: "mine"\n');
  });

  it('a missing directory is exit 2 and writes nothing', () => {
    const dir = scratch();
    const run = dtrain(['init', 'no/such/dir.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("error: init no/such/dir.yaml: directory 'no/such' does not exist\n");
  });

  it('a file name that YAML would read as a number, null or a boolean is still the name, a string', () => {
    const dir = scratch();
    for (const stem of ['123', 'null', '1e3', 'true', '.inf', '~', 'yes', '0x10']) {
      const file = `${stem}.yaml`;
      expect(dtrain(['init', file], { cwd: dir }).status, file).toBe(0);
      expect(collectScenarioIssues(join(dir, file)), file).toEqual([]);
      expect((parse(readFileSync(join(dir, file), 'utf8')) as { name: unknown }).name, file).toBe(stem);
    }
  });

  it('a line break in the file name stays inside the comments and the name: no line of YAML comes from it', () => {
    const dir = scratch();
    const file = 'x\nrounds: 7\nseed: 3\ny.yaml';
    const init = dtrain(['init', file], { cwd: dir });
    expect(init.status).toBe(0);
    expect(init.stdout).toBe('wrote x\\nrounds: 7\\nseed: 3\\ny.yaml · run it: dtrain simulate x\\nrounds: 7\\nseed: 3\\ny.yaml\n');
    const text = readFileSync(join(dir, file), 'utf8');
    expect(collectScenarioIssues(join(dir, file))).toEqual([]);
    expect(text.split('\n').filter((line) => /^(name|seed|rounds):/.test(line))).toEqual(['name: "x\\\\nrounds: 7\\\\nseed: 3\\\\ny"', 'seed: 1                       # every random stream derives from this', 'rounds: 20']);
    expect(text).toContain('\n#   dtrain simulate x\\nrounds: 7\\nseed: 3\\ny.yaml ');
    expect(parse(text)).toMatchObject({ name: 'x\\nrounds: 7\\nseed: 3\\ny', seed: 1, rounds: 20 });
  });

  it('- prints the starter on standard output and writes no file', () => {
    const dir = scratch();
    const init = dtrain(['init', '-'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toBe(starterScenario({ name: 'my-cluster', file: 'my-cluster.yaml', schemaPath: schemaPathFrom(dir) }));
    expect(init.stdout).not.toContain('dtrain simulate -');
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, 'my-cluster.yaml'), init.stdout);
    expect(collectScenarioIssues(join(dir, 'my-cluster.yaml'))).toEqual([]);
  });

  it("the schema path is relative to the new file's directory", () => {
    expect(schemaPathFrom(join(ROOT, 'scenarios'))).toBe('../schema/scenario.schema.json');
    expect(schemaPathFrom(ROOT)).toBe('./schema/scenario.schema.json');
  });
});
