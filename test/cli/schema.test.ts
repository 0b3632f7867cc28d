import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioSchemaText } from '../../src/cli/schema.js';
import { starterScenario } from '../../src/cli/init.js';
import { validate } from './json-schema-lite.js';
import { ROOT, dtrain, scratch } from './run-dtrain.js';

const SCHEMA_FILE = join(ROOT, 'schema', 'scenario.schema.json');
const SCENARIOS = join(ROOT, 'scenarios');
const BUNDLED = readdirSync(SCENARIOS).filter((file) => file.endsWith('.yaml')).sort();

describe('dtrain schema', () => {
  it('the committed schema/scenario.schema.json is the generated one (run `npm run schema` after changing the zod schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(scenarioSchemaText());
  });

  it('prints the schema to stdout, or writes it with --out', () => {
    const printed = dtrain(['schema']);
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(scenarioSchemaText());
    const out = join(scratch(), 's.json');
    expect(dtrain(['schema', '--out', out]).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(scenarioSchemaText());
  });

  it('--out - prints it to stdout, as - does for every output, and writes no file named -', () => {
    const dir = scratch();
    const printed = dtrain(['schema', '--out', '-'], { cwd: dir });
    expect(printed.stderr).toBe('');
    expect(printed.status).toBe(0);
    expect(printed.stdout).toBe(scenarioSchemaText());
    expect(readdirSync(dir)).toEqual([]);
  });

  it('unit fields take a number or a string with a unit the loader accepts', () => {
    const schema = JSON.parse(scenarioSchemaText()) as { properties: { cluster: { properties: Record<string, object> } } };
    const retry = schema.properties.cluster.properties.retryMs!;
    expect(retry).toMatchObject({ anyOf: [{ type: 'number', minimum: 0 }, { type: 'string' }] });
    const check = (value: unknown) => validate(retry as Record<string, unknown>, value);
    for (const ok of [100, '100', '250ms', '2s', '1.5m', '1h', ' 2 S ', '1e3ms']) expect(check(ok), String(ok)).toEqual([]);
    for (const bad of [-1, '2 parsecs', 'fast', '']) expect(check(bad), String(bad)).not.toEqual([]);
  });

  it('every bundled scenario names the schema on its first line and is valid under it', () => {
    const schema = JSON.parse(scenarioSchemaText()) as Record<string, unknown>;
    for (const file of BUNDLED) {
      const text = readFileSync(join(SCENARIOS, file), 'utf8');
      expect(text.split('\n')[0], file).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
      expect(validate(schema, parse(text)), file).toEqual([]);
    }
  });

  it('the starter scenario of dtrain init is valid under the schema; a typo is not', () => {
    const schema = JSON.parse(scenarioSchemaText()) as Record<string, unknown>;
    const starter = parse(starterScenario({ name: 'x', file: 'x.yaml', schemaPath: './s.json' })) as Record<string, unknown>;
    expect(validate(schema, starter)).toEqual([]);
    expect(validate(schema, { ...starter, roundz: 3 })).toEqual(['$: additional property roundz']);
  });
});
