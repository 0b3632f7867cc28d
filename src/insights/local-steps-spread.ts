/**
 * Local work that differs in steps across the participants of a round. Averaging models that
 * took different numbers of local SGD steps optimises a mixture of the nodes' objectives
 * rather than the global one: FedNova's "objective inconsistency" (Wang et al., 2020), which
 * comes from heterogeneous step counts τ_i. Different batch sizes at the same number of
 * steps are not that: each update is still one (noisier or less noisy) estimate per step, so
 * with `localSteps: 1` everywhere this never fires. A participant's steps are those its
 * timeline shows, else the scenario's `model.localSteps`. Run-level: listed once with every
 * round it held in and its widest gap.
 */
import type { NodeRoundRecord } from '../sim/records.js';
import { detectorOf, type InsightScannerFactory, type NodeValue } from './types.js';

interface Spread {
  round: number;
  fewest: NodeValue;
  most: NodeValue;
}

export const scanLocalStepsSpread: InsightScannerFactory = (strategy, scenario) => {
  const stepsOf = (node: NodeRoundRecord): number => node.timeline?.steps.length ?? scenario.model.localSteps;
  const spreads: Spread[] = [];
  return {
    round(round) {
      let fewest: NodeValue | null = null;
      let most: NodeValue | null = null;
      for (const node of round.nodes) {
        if (!node.participated) continue;
        const steps = stepsOf(node);
        if (fewest === null || steps < fewest.value) fewest = { nodeId: node.id, value: steps };
        if (most === null || steps > most.value) most = { nodeId: node.id, value: steps };
      }
      if (fewest !== null && most !== null && most.value > fewest.value) spreads.push({ round: round.round, fewest, most });
    },
    finish() {
      if (spreads.length === 0) return [];
      // the widest gap by ratio; a participant with 0 steps (none completed) makes any gap the widest
      const ratio = (s: Spread): number => (s.fewest.value === 0 ? Infinity : s.most.value / s.fewest.value);
      const widest = spreads.reduce((best, spread) => (ratio(spread) > ratio(best) ? spread : best));
      return [{
        kind: 'localStepsSpread', strategy: strategy.name, rounds: spreads.map((s) => s.round),
        maxRound: widest.round, fewest: widest.fewest, most: widest.most,
      }];
    },
  };
};

export const detectLocalStepsSpread = detectorOf(scanLocalStepsSpread);
