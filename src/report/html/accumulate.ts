/**
 * The HTML report's per-node values gathered as the run goes (SPEC §9), for a run that does
 * not keep its node records: per round, each node's efficiency, batch and weight (24 bytes a
 * node), and per node its phase totals, summed in the order phaseTotalsMs sums them, so the
 * charts are the ones the records would give. Fed by runScenario's onSetting, onRound and
 * onRunEnd; `columns` goes to renderHtmlReport.
 */
import type { Scenario, StrategySpec } from '../../scenario/types.js';
import type { RoundRecord, RunSetting, StrategyRun } from '../../sim/records.js';
import { nodeRoundPhases, PHASE_KINDS, type PhaseKind, settingTransferTimes } from '../round-phases.js';
import type { RunColumns } from './chart-data.js';

interface Gathering {
  efficiency: Float64Array[];
  batch: Float64Array[];
  weight: Float64Array[];
  totals: Record<PhaseKind, Float64Array>;
}

export class HtmlColumnsStream {
  private own: readonly number[] | null = null;
  private current: Gathering | null = null;
  private readonly done: RunColumns[] = [];

  constructor(private readonly scenario: Scenario) {}

  /** The transfer times the `link` phase is split by, when the cluster has a server link. */
  setting(setting: RunSetting): void {
    this.own = settingTransferTimes(this.scenario, setting);
  }

  round(record: RoundRecord, _strategy: StrategySpec): void {
    const count = record.nodes.length;
    const gathering = this.current ??= this.start(count);
    const efficiency = new Float64Array(count);
    const batch = new Float64Array(count);
    const weight = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const node = record.nodes[i]!;
      efficiency[i] = node.efficiency;
      batch[i] = node.batch;
      weight[i] = node.weight;
      for (const phase of nodeRoundPhases(record, node, this.own === null ? null : this.own[i] ?? null)) {
        gathering.totals[phase.kind][i] += phase.endMs - phase.startMs;
      }
    }
    gathering.efficiency.push(efficiency);
    gathering.batch.push(batch);
    gathering.weight.push(weight);
  }

  runEnd(_run: StrategyRun): void {
    const gathering = this.current ?? this.start(this.scenario.cluster.nodes.length);
    const { totals } = gathering;
    this.done.push({
      efficiency: gathering.efficiency,
      batch: gathering.batch,
      weight: gathering.weight,
      phaseTotals: (i) => Object.fromEntries(PHASE_KINDS.map((kind) => [kind, totals[kind][i]!])) as Record<PhaseKind, number>,
    });
    this.current = null;
  }

  /** One per run ended, in order. */
  columns(): RunColumns[] {
    return this.done;
  }

  private start(count: number): Gathering {
    const totals = Object.fromEntries(PHASE_KINDS.map((kind) => [kind, new Float64Array(count)])) as Record<PhaseKind, Float64Array>;
    return { efficiency: [], batch: [], weight: [], totals };
  }
}
