/**
 * What every strategy of a run shares (SPEC §2, §6.3): the model's size on the wire and each
 * node's transfer time, from the scenario and the data's shape alone; the sample counts come
 * from the data split when there is one.
 */
import type { Scenario } from '../scenario/types.js';
import type { RunSetting } from '../sim/records.js';
import { transferMs, wireBytes } from '../sim/time-model.js';
import { countParams } from '../train/params.js';

export function runSettingOf(
  scenario: Scenario, shape: { features: number; classes: number }, sampleCounts: RunSetting['sampleCounts'],
): RunSetting {
  const paramCount = countParams(shape.features, scenario.model.hidden, shape.classes);
  const bytes = wireBytes(scenario.model, paramCount);
  return {
    paramCount,
    modelBytes: bytes,
    transferMs: scenario.cluster.nodes.map((node) => transferMs(bytes, node.bandwidthBps)),
    sampleCounts,
  };
}
