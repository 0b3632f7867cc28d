/**
 * An example dtrain plug-in (see docs/plugins.md): a batch stage that gives the full B/2 only
 * to nodes whose S1 efficiency is at least the round's median, and B/4 to the others, plus a
 * preset that runs it with the baseline's resources and a plain mean of the updates.
 *
 *   dtrain simulate scenarios/quickstart.yaml --plugin examples/plugins/median-split.mjs \
 *     --strategy median-split,sync-sgd
 */

/** The median (mean of the two middle values for an even count). */
function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export default function register(dtrain) {
  dtrain.defineStage({
    kind: 'batch',
    name: 'median-split',
    summary: 'B/2 for nodes at or above the median efficiency, B/4 for the others',
    // view: the same round view the built-in batch stages get (docs/plugins.md lists it);
    // options.working: whether anything will show the working (false in most runs)
    decide(view, options) {
      const B = view.s2.standardBatch;
      const e = view.efficiency.map((node) => node.efficiency);
      const m = median(e);
      const batches = e.map((ei) => Math.floor(ei >= m ? B / 2 : B / 4));
      if (options?.working === false) return { batches, working: [] };
      // the working: what `dtrain explain` shows for each node (numbers, words or null)
      const working = e.map((ei) => ({ median: m, half: ei >= m ? 'B/2' : 'B/4' }));
      return { batches, working };
    },
  });

  dtrain.definePreset({
    name: 'median-split',
    summary: 'median-split batches, base resources, plain mean',
    batch: 'median-split',
    resources: 'fixed',
    aggregation: 'mean',
  });
}
