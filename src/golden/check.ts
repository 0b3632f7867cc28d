/**
 * A golden check (issue 5): is this run the golden run? First the metadata — a golden
 * recorded for another scenario or on another backend is reported as such, not as a
 * regression — then every value (compare.ts). A different dtrain version is only a note:
 * a version bump that changes nothing must not fail every golden.
 */
import { compareReports, type Comparison } from './compare.js';
import type { Report } from './report-file.js';
import type { Tolerances } from './tolerances.js';

export type MetadataProblem =
  | { kind: 'scenario'; goldenHash: string; runHash: string }
  | { kind: 'backend'; strategy: string; golden: string; run: string };

export type Note =
  | { kind: 'version'; golden: string; run: string }
  | { kind: 'noHash'; which: 'run' | 'golden' }
  | { kind: 'crossBackend'; golden: string; run: string };

export type CheckOutcome =
  | { status: 'ok'; compared: number; notes: Note[] }
  | { status: 'mismatch'; problems: MetadataProblem[]; notes: Note[] }
  | { status: 'regression'; comparison: Comparison; notes: Note[] };

export interface CheckOptions {
  tolerances: Tolerances;
  /** compare floats across backends instead of refusing (the tolerances absorb float32 differences) */
  anyBackend: boolean;
}

/** Before a run: does the golden belong to the scenario whose hash is `runHash`? */
export function scenarioProblem(golden: Report, runHash: string): MetadataProblem | undefined {
  const goldenHash = golden.scenario.hash;
  return goldenHash === undefined || goldenHash === runHash ? undefined : { kind: 'scenario', goldenHash, runHash };
}

type BackendProblem = Extract<MetadataProblem, { kind: 'backend' }>;

function backendProblems(run: Report, golden: Report): BackendProblem[] {
  const problems: BackendProblem[] = [];
  for (const goldenRun of golden.runs) {
    const runRun = run.runs.find((r) => r.strategy.name === goldenRun.strategy.name);
    if (runRun !== undefined && runRun.backend !== goldenRun.backend) {
      problems.push({ kind: 'backend', strategy: goldenRun.strategy.name, golden: goldenRun.backend, run: runRun.backend });
    }
  }
  return problems;
}

export function checkAgainstGolden(run: Report, golden: Report, options: CheckOptions): CheckOutcome {
  const notes: Note[] = [];
  if (run.tool.version !== golden.tool.version) notes.push({ kind: 'version', golden: golden.tool.version, run: run.tool.version });
  const runHash = run.scenario.hash;
  if (golden.scenario.hash === undefined) notes.push({ kind: 'noHash', which: 'golden' });
  else if (runHash === undefined) notes.push({ kind: 'noHash', which: 'run' });
  const scenario = runHash === undefined ? undefined : scenarioProblem(golden, runHash);
  if (scenario !== undefined) return { status: 'mismatch', problems: [scenario], notes };
  const backends = backendProblems(run, golden);
  if (backends.length > 0) {
    if (!options.anyBackend) return { status: 'mismatch', problems: backends.slice(0, 1), notes };
    notes.push({ kind: 'crossBackend', golden: backends[0]!.golden, run: backends[0]!.run });
  }
  const comparison = compareReports(run, golden, options.tolerances);
  if (comparison.differences.length > 0) return { status: 'regression', comparison, notes };
  return { status: 'ok', compared: comparison.compared, notes };
}
