/**
 * Reading a JSON report (SPEC §4, schema version 1) as the input of a golden check: a run's
 * `--json` output or a golden file, which is the same format (plus `scenario.hash`). Only
 * the structure the check walks is validated; every field keeps its value as written. A file
 * that cannot be checked — not JSON, another schema version, not a report — is a user error
 * (exit 2), never a regression.
 */
import { z } from 'zod';
import { DtrainError } from '../errors.js';
import { formatPath, type PathSegment } from '../scenario/field-path.js';
import { SCHEMA_VERSION } from '../report/json.js';

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

const RERECORD_HINT = 're-record the golden with `dtrain simulate SCENARIO --expect FILE --update`';

/** Parse report text; `label` names the file in messages. Throws DtrainError (exit 2). */
export function parseReport(text: string, label: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DtrainError('golden.unreadable', `${label} is not JSON (${(error as Error).message})`);
  }
  const version = data !== null && typeof data === 'object' ? (data as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version === undefined) {
    throw new DtrainError('golden.unreadable', `${label} is not a dtrain JSON report (it has no schemaVersion)`);
  }
  if (version !== SCHEMA_VERSION) {
    throw new DtrainError(
      'golden.schemaVersion',
      `${label} has schema version ${JSON.stringify(version)}; this dtrain reads schema version ${SCHEMA_VERSION}`,
      { hint: RERECORD_HINT },
    );
  }
  const parsed = ReportShape.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = formatPath(issue.path as PathSegment[]) || 'the top level';
    throw new DtrainError('golden.unreadable', `${label} is not a dtrain JSON report: unexpected value at ${where}`);
  }
  return parsed.data;
}
