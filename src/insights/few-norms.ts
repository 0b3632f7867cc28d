/**
 * S4 weights that rest on fewer than MIN_NORMS gradient norms. Under the `volatility`
 * aggregation with `cv`, a node's volatility is the coefficient of variation of its last
 * `s4.window` norms, from 2 entries on; a CV of 2 values is |a − b| / (a + b), almost pure
 * noise, yet it can hand most of the weight to one of several identical nodes (issue 12:
 * up to 88 % in round 2). Flagged: a round in which some participant's volatility came from
 * fewer than MIN_NORMS norms. Rounds with a single participant, or in which no participant had 2 norms yet use equal weights
 * and are not flagged; `relchange` compares two norms by definition and is not flagged either.
 * A node's norm count is replayed from the records: one per round it took part in, at most
 * `s4.window` (the history S4 keeps).
 */
import { detectorOf, type Insight, type InsightScannerFactory } from './types.js';

export const MIN_NORMS = 3;

export const scanFewNorms: InsightScannerFactory = (strategy, scenario) => {
  const { s4 } = scenario.pipeline;
  const applies = strategy.aggregation === 'volatility' && s4.volatility === 'cv';
  const seen = new Map<string, number>();
  const rounds: number[] = [];
  let fewest = Infinity;
  return {
    round(round) {
      if (!applies) return;
      let roundFewest = Infinity;
      let participants = 0;
      for (const node of round.nodes) {
        if (!node.participated) continue;
        participants += 1;
        const norms = Math.min(s4.window, (seen.get(node.id) ?? 0) + 1);
        seen.set(node.id, norms);
        if (norms >= 2 && norms < roundFewest) roundFewest = norms;
      }
      // a lone participant gets all the weight whatever its volatility
      if (participants >= 2 && roundFewest < MIN_NORMS) {
        rounds.push(round.round);
        fewest = Math.min(fewest, roundFewest);
      }
    },
    finish: () => (rounds.length === 0 ? [] : [{ kind: 'fewNorms', strategy: strategy.name, rounds, fewestNorms: fewest } satisfies Insight]),
  };
};

export const detectFewNorms = detectorOf(scanFewNorms);
