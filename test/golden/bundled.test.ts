/**
 * Every bundled scenario against its committed golden (test/golden/<name>.json, recorded with
 * `dtrain simulate scenarios/<name>.yaml --expect test/golden/<name>.json --update` on wasm):
 * the project's own regression check, in process (runScenario + the checker).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.js';
import { checkAgainstGolden } from '../../src/golden/check.js';
import { formatOutcome } from '../../src/golden/messages.js';
import { parseReport } from '../../src/golden/report-file.js';
import { scenarioHash } from '../../src/golden/scenario-hash.js';
import { DEFAULT_TOLERANCES } from '../../src/golden/tolerances.js';
import { toJsonReport } from '../../src/report/json.js';
import { loadScenario } from '../../src/node/load.js';

const ROOT = join(import.meta.dirname, '..', '..');
const NAMES = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();

describe('bundled scenarios match their golden files', () => {
  it('every bundled scenario has a golden file and every golden file a scenario', () => {
    const goldens = readdirSync(join(ROOT, 'test', 'golden')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    expect(goldens).toEqual(NAMES);
  });

  for (const name of NAMES) {
    it(`${name}`, async () => {
      const scenario = await loadScenario(join(ROOT, 'scenarios', `${name}.yaml`));
      const result = await runScenario(scenario, { backend: 'wasm' });
      const run = parseReport(toJsonReport(result, { version: 'test', trace: false, timing: false, scenarioHash: scenarioHash(scenario) }), 'run');
      const golden = parseReport(readFileSync(join(ROOT, 'test', 'golden', `${name}.json`), 'utf8'), `${name}.json`);
      const outcome = checkAgainstGolden(run, golden, { tolerances: { ...DEFAULT_TOLERANCES }, anyBackend: false });
      // the checker's own message on failure says which round / node / field moved
      expect(outcome.status, formatOutcome(outcome, `${name}.json`, '').text).toBe('ok');
    });
  }
});
