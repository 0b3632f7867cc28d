import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { scenarioJsonSchema, sectionSchemas, strategyPickSchema } from '../../src/scenario/schema.js';
import { resolveStrategyNames } from '../../src/scenario/strategy-names.js';

/** The built-in registry plus a `median` aggregation stage and a `robust` preset using it. */
function extendedRegistry() {
  const registry = createStageRegistry();
  registry.defineStage({
    kind: 'aggregation', name: 'median', summary: 'median (test stage)',
    weigh: (participants) => ({ weights: participants.map(() => 1 / participants.length), volatilities: participants.map(() => null), working: [] }),
  });
  registry.definePreset({ name: 'robust', summary: 'test preset', batch: 'efficiency', resources: 'pressure', aggregation: 'median' });
  return registry;
}

describe('strategy names come from the registry passed in', () => {
  it('--strategy resolves a preset and a stage pick the registry defines, and names a pick equal to a preset after it', () => {
    const registry = extendedRegistry();

    expect(resolveStrategyNames(['robust', 'fixed/fixed/median'], registry)).toEqual([
      { name: 'robust', batch: 'efficiency', resources: 'pressure', aggregation: 'median' },
      { name: 'fixed/fixed/median', batch: 'fixed', resources: 'fixed', aggregation: 'median' },
    ]);
    expect(resolveStrategyNames(['efficiency/pressure/median'], registry)[0]!.name).toBe('robust');
  });

  it("an unknown name lists the registry's presets and stages, with a did-you-mean among them", () => {
    let error: unknown;
    try {
      resolveStrategyNames(['robst'], extendedRegistry());
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(DtrainError);
    expect((error as DtrainError).message).toBe(
      "unknown strategy 'robst': expected one of s1s4, sync-sgd, fedavg, lb-bsp, robust or stage picks efficiency|fixed|proportional|balanced/pressure|fixed|cores/volatility|mean|samples|batch|median — did you mean robust?",
    );
  });

  it('the default registry does not know a name another registry defines', () => {
    expect(() => resolveStrategyNames(['robust'])).toThrow("unknown strategy 'robust'");
  });

  it("the scenario's strategy: accepts the registry's names only", () => {
    expect(strategyPickSchema(extendedRegistry()).safeParse('robust').success).toBe(true);
    expect(strategyPickSchema(extendedRegistry()).safeParse({ batch: 'fixed', resources: 'fixed', aggregation: 'median' }).success).toBe(true);
    expect(strategyPickSchema(createStageRegistry()).safeParse('robust').success).toBe(false);
    expect(strategyPickSchema(createStageRegistry()).safeParse({ batch: 'fixed', resources: 'fixed', aggregation: 'median' }).success).toBe(false);
  });

  it('the section schemas are built once for a set of names, again when a registry gains a stage', () => {
    const registry = createStageRegistry();
    const builtin = sectionSchemas(registry);
    expect(sectionSchemas(createStageRegistry())).toBe(builtin);
    expect(builtin.strategy.safeParse('robust').success).toBe(false);

    registry.defineStage({ kind: 'aggregation', name: 'median', summary: 'median (test stage)', weigh: (participants) => ({ weights: participants.map(() => 1), volatilities: participants.map(() => null), working: [] }) });
    registry.definePreset({ name: 'robust', summary: 'test preset', batch: 'efficiency', resources: 'pressure', aggregation: 'median' });
    const extended = sectionSchemas(registry);
    expect(extended).not.toBe(builtin);
    expect(extended.strategy.safeParse('robust').success).toBe(true);
    expect(extended.compare.safeParse([{ batch: 'fixed', resources: 'fixed', aggregation: 'median' }]).success).toBe(true);
    expect(sectionSchemas(extendedRegistry())).toBe(extended);
    expect(sectionSchemas(createStageRegistry())).toBe(builtin);
  });

  it("dtrain schema's JSON Schema lists the registry's presets and stages", () => {
    const text = JSON.stringify(scenarioJsonSchema(extendedRegistry()));
    const builtin = JSON.stringify(scenarioJsonSchema());

    expect(text).toContain('"enum":["s1s4","sync-sgd","fedavg","lb-bsp","robust"]');
    expect(text).toContain('"enum":["volatility","mean","samples","batch","median"]');
    expect(builtin).toContain('"enum":["s1s4","sync-sgd","fedavg","lb-bsp"]');
    expect(builtin).not.toContain('"robust"');
  });
});
