/**
 * Reading a JSON report (SPEC §4, §6.5: schema version 2) as the input of a golden check: a run's
 * `--json` output or a golden file, which is the same format (plus `scenario.hash`). Only
 * the structure the check walks is validated; every field keeps its value as written. A file
 * that cannot be checked — not JSON, another schema version, not a report — is a user error
 * (exit 2), never a regression.
 */
import { z } from 'zod';
import { DtrainError } from '../errors.js';
import { formatPath, type PathSegment } from '../scenario/field-path.js';
import { SCHEMA_VERSION } from '../report/json.js';
import { NODE_FIELDS, ROUND_FIELDS, SUMMARY_FIELDS } from './tolerances.js';

const NodeShape = z.looseObject({ id: z.string() });
const RoundShape = z.looseObject({ round: z.number(), nodes: z.array(NodeShape) });
const RunShape = z.looseObject({
  strategy: z.looseObject({ name: z.string() }),
  backend: z.string(),
  rounds: z.array(RoundShape),
  summary: z.looseObject({}),
});
const ReportShape = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
  scenario: z.looseObject({ name: z.string(), hash: z.string().optional() }),
  runs: z.array(RunShape),
});

export type ReportNode = z.infer<typeof NodeShape>;
export type ReportRound = z.infer<typeof RoundShape>;
export type ReportRun = z.infer<typeof RunShape>;
export type Report = z.infer<typeof ReportShape>;

/** What a report file is to the check: the golden, or the run compared with it (their hints differ). */
export type ReportRole = 'golden' | 'run';

/** How to get a report this dtrain reads, by role; the golden's path goes into the command. */
function rerecordHint(label: string, role: ReportRole): string {
  return role === 'golden'
    ? `re-record the golden with this dtrain: dtrain simulate SCENARIO --expect ${label} --update`
    : 'run the scenario again with this dtrain: dtrain simulate SCENARIO --json FILE';
}

/**
 * Why another schema version cannot be compared. Version 1 predates time model v2 (SPEC §6):
 * its times come from a server that foresaw failures, so no value of it is a regression test
 * of this dtrain.
 */
function versionMessage(label: string, version: unknown): string {
  if (version === 1) {
    return `${label} has schema version 1, recorded before the time model changed (drops are now learnt when they happen, `
      + `and the JSON has new fields); this dtrain reads schema version ${SCHEMA_VERSION}`;
  }
  // JSON.parse reads 2e400 as Infinity, which JSON.stringify would show as null
  const shown = typeof version === 'number' && !Number.isFinite(version) ? 'a number too large to read' : JSON.stringify(version);
  return `${label} has schema version ${shown}; this dtrain reads schema version ${SCHEMA_VERSION}`;
}

/** Parse report text; `label` names the file in messages. Throws DtrainError (exit 2). */
export function parseReport(text: string, label: string, role: ReportRole = 'golden'): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error: say where, never what (the file may be a secret)
    throw new DtrainError('golden.unreadable', `${label} is not JSON${jsonErrorPlace(text, (error as Error).message)}`);
  }
  const version = data !== null && typeof data === 'object' ? (data as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version === undefined) {
    throw new DtrainError('golden.unreadable', `${label} is not a dtrain JSON report (it has no schemaVersion)`);
  }
  if (version !== SCHEMA_VERSION) {
    throw new DtrainError('golden.schemaVersion', versionMessage(label, version), { hint: rerecordHint(label, role) });
  }
  const parsed = ReportShape.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = formatPath(issue.path as PathSegment[]) || 'the top level';
    throw new DtrainError('golden.unreadable', `${label} is not a dtrain JSON report: unexpected value at ${where}`);
  }
  const compound = firstCompoundField(parsed.data);
  if (compound !== undefined) {
    throw new DtrainError('golden.unreadable', `${label} is not a dtrain JSON report: unexpected value at ${formatPath(compound)}`);
  }
  return parsed.data;
}

/** ` (line L, column C)` when V8 names the offset of the error, else ''. */
function jsonErrorPlace(text: string, message: string): string {
  const match = /at position (\d+)/.exec(message);
  if (match === null) return '';
  const before = text.slice(0, Number(match[1])).split('\n');
  return ` (line ${before.length}, column ${before[before.length - 1]!.length + 1})`;
}

const STAGE_FIELDS = ['batch', 'resources', 'aggregation'];
const isCompound = (value: unknown): boolean => value !== null && typeof value === 'object';

function compoundIn(record: Record<string, unknown>, fields: ReadonlyArray<string>, at: PathSegment[]): PathSegment[] | undefined {
  const field = fields.find((name) => Object.hasOwn(record, name) && isCompound(record[name]));
  return field === undefined ? undefined : [...at, field];
}

/**
 * The compared fields hold numbers, strings, booleans or null in every report dtrain writes;
 * a crafted `{ "toString": 1 }` in their place would break the comparison's messages.
 */
function firstCompoundField(report: Report): PathSegment[] | undefined {
  const nodeFields = NODE_FIELDS.map((spec) => spec.field);
  const roundFields = ['startMs', ...ROUND_FIELDS.map((spec) => spec.field)];
  const summaryFields = SUMMARY_FIELDS.map((spec) => spec.field);
  for (let r = 0; r < report.runs.length; r++) {
    const run = report.runs[r]!;
    const at: PathSegment[] = ['runs', r];
    const found = compoundIn(run.strategy, STAGE_FIELDS, [...at, 'strategy']) ?? compoundIn(run.summary, summaryFields, [...at, 'summary']);
    if (found !== undefined) return found;
    for (let k = 0; k < run.rounds.length; k++) {
      const round = run.rounds[k]!;
      const inRound = compoundIn(round, roundFields, [...at, 'rounds', k]);
      if (inRound !== undefined) return inRound;
      for (let n = 0; n < round.nodes.length; n++) {
        const inNode = compoundIn(round.nodes[n]!, nodeFields, [...at, 'rounds', k, 'nodes', n]);
        if (inNode !== undefined) return inNode;
      }
    }
  }
  return undefined;
}
