/**
 * A study's stored run: the compact record kept instead of the full JSON report (a sweep's
 * per-node rounds are most of its bytes and a study reads none of them). One file per run,
 * `<first 16 hex digits of the run key>.json`, written atomically. It holds the run's summary
 * and per-round aggregates as columns (one array per field), which is all every study metric
 * needs and is enough to recompute each of them later, for another --target too.
 *
 * `minWeightShare` is the round's lowest participant weight times the number of participants
 * (1 = an equal share, 0.5 = half of it); null in a skipped round. `samples` counts the samples
 * trained up to the end of the round (Σ participants' batch × localSteps).
 */

export const RECORD_VERSION = 1;

export const ROUND_FIELDS = ['round', 'endMs', 'accuracy', 'loss', 'globalBatch', 'effectiveParticipants', 'skipped', 'samples', 'minWeightShare'] as const;
export type RoundField = (typeof ROUND_FIELDS)[number];

export interface RunSummaryFigures {
  finalAccuracy: number | null;
  bestAccuracy: number | null;
  simulatedMs: number | null;
  samplesTrained: number | null;
  timeToTargetMs: number | null;
}

export interface RoundColumns {
  round: number[];
  endMs: Array<number | null>;
  accuracy: Array<number | null>;
  loss: Array<number | null>;
  globalBatch: Array<number | null>;
  effectiveParticipants: Array<number | null>;
  skipped: boolean[];
  samples: number[];
  minWeightShare: Array<number | null>;
}

export interface StudyRecord {
  studyRecord: typeof RECORD_VERSION;
  key: string;
  strategy: string;
  seed: number;
  summary: RunSummaryFigures;
  rounds: RoundColumns;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

interface ReportNode { participated?: unknown; batch?: unknown; weight?: unknown }
export interface ReportRound { round?: unknown; endMs?: unknown; accuracy?: unknown; loss?: unknown; globalBatch?: unknown; effectiveParticipants?: unknown; skipped?: unknown; nodes?: unknown }

function lowestShare(nodes: readonly ReportNode[]): number | null {
  let count = 0;
  let lowest = Infinity;
  for (const node of nodes) {
    if (node.participated !== true) continue;
    count += 1;
    lowest = Math.min(lowest, num(node.weight) ?? 0);
  }
  return count === 0 ? null : lowest * count;
}

/**
 * A run's compact record, built a round at a time from the report's rounds (each as the JSON
 * report writes it: roundFieldsToJson and the nodes' nodeToJson), so a worker can build it as
 * the run goes without the report ever being one string, and a stored report gives the same.
 */
export class StudyRecordBuilder {
  private readonly columns: RoundColumns = { round: [], endMs: [], accuracy: [], loss: [], globalBatch: [], effectiveParticipants: [], skipped: [], samples: [], minWeightShare: [] };
  private samples = 0;

  constructor(private readonly key: string, private readonly localSteps: number) {}

  round(round: ReportRound): void {
    const nodes = Array.isArray(round.nodes) ? (round.nodes as ReportNode[]) : [];
    const columns = this.columns;
    let batch = 0;
    for (const node of nodes) if (node.participated === true) batch += num(node.batch) ?? 0;
    this.samples += batch * this.localSteps;
    columns.round.push(num(round.round) ?? columns.round.length + 1);
    columns.endMs.push(num(round.endMs));
    columns.accuracy.push(num(round.accuracy));
    columns.loss.push(num(round.loss));
    columns.globalBatch.push(num(round.globalBatch));
    columns.effectiveParticipants.push(num(round.effectiveParticipants));
    columns.skipped.push(round.skipped === true);
    columns.samples.push(this.samples);
    columns.minWeightShare.push(round.skipped === true ? null : lowestShare(nodes));
  }

  /** The record, given the run's strategy, seed and its report's `summary`. */
  finish(strategy: string, seed: number, summary: Record<string, unknown>): StudyRecord {
    return {
      studyRecord: RECORD_VERSION,
      key: this.key,
      strategy,
      seed,
      summary: {
        finalAccuracy: num(summary.finalAccuracy),
        bestAccuracy: num(summary.bestAccuracy),
        simulatedMs: num(summary.simulatedMs),
        samplesTrained: num(summary.samplesTrained),
        timeToTargetMs: num(summary.timeToTargetMs),
      },
      rounds: this.columns,
    };
  }
}

/** Compact: one line per column, so the file stays small and still reads in an editor. */
export function recordText(record: StudyRecord): string {
  const rounds = ROUND_FIELDS.map((field) => `    ${JSON.stringify(field)}: ${JSON.stringify(record.rounds[field])}`).join(',\n');
  const head = { studyRecord: record.studyRecord, key: record.key, strategy: record.strategy, seed: record.seed, summary: record.summary };
  const text = JSON.stringify(head, null, 2);
  return `${text.slice(0, -2)},\n  "rounds": {\n${rounds}\n  }\n}\n`;
}

const isNumberOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

/** The record in `text` if it is the complete record of run `key`, else undefined (the run is done again). */
export function parseRecord(text: string, key: string): StudyRecord | undefined {
  let data: Partial<StudyRecord>;
  try {
    data = JSON.parse(text) as Partial<StudyRecord>;
  } catch {
    return undefined;
  }
  if (data?.studyRecord !== RECORD_VERSION || data.key !== key || typeof data.strategy !== 'string' || typeof data.seed !== 'number') return undefined;
  const summary = data.summary as unknown as Record<string, unknown> | undefined;
  if (summary === undefined || summary === null) return undefined;
  for (const field of ['finalAccuracy', 'bestAccuracy', 'simulatedMs', 'samplesTrained', 'timeToTargetMs']) if (!isNumberOrNull(summary[field])) return undefined;
  const rounds = data.rounds as unknown as Record<string, unknown> | undefined;
  if (rounds === undefined || rounds === null) return undefined;
  const length = Array.isArray(rounds.round) ? rounds.round.length : -1;
  for (const field of ROUND_FIELDS) {
    const column = rounds[field];
    if (!Array.isArray(column) || column.length !== length) return undefined;
    const ok = field === 'skipped' ? column.every((v) => typeof v === 'boolean') : column.every(isNumberOrNull);
    if (!ok) return undefined;
  }
  return data as StudyRecord;
}
