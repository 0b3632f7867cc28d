import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';

describe('scenarioJsonSchema', () => {
  it('describes the input file: strict top level, cluster required, durations as number or string', () => {
    const schema = scenarioJsonSchema() as {
      type: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };

    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['cluster']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual([
      'name', 'description', 'seed', 'rounds', 'targetAccuracy', 'strategy', 'compare', 'data', 'model', 'pipeline', 'cluster',
    ]);
    expect(schema.properties.cluster!.properties!.retryMs).toEqual({
      description: 'a duration (ms, or a string like 250ms, 2s, 1.5m)',
      anyOf: [
        { type: 'number', minimum: 0 },
        { type: 'string', pattern: String.raw`^\s*\+?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*([mM][sS]|[sS]|[mM]|[mM][iI][nN]|[hH])?\s*$` },
      ],
    });
  });
});
