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
  | {
    kind: 'scenario';
    goldenHash: string;
    runHash: string;
    /** when the two seeds differ: both, and whether the seed is all that differs (known only before a run, from the scenario) */
    seeds?: { golden: number; run: number; only: boolean };
    /** when the scenarios' names differ: both */
    names?: { golden: string; run: string };
  }
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

/** A report's seed, when it has one (the shape does not require it). */
function seedOf(report: Report): number | undefined {
  const seed: unknown = (report.scenario as { seed?: unknown }).seed;
  return typeof seed === 'number' && Number.isFinite(seed) ? seed : undefined;
}

/**
 * Does the golden belong to the scenario whose hash is `runHash`? If not, what differs as far
 * as `run` shows it: its name, its seed and, before a run, the hash its scenario would have
 * with another seed, so that a user who passed --seed to play with the golden's scenario is
 * told that the seed is what differs.
 */
export function scenarioProblem(
  golden: Report,
  runHash: string,
  run?: { name: string; seed?: number; hashWithSeed?: (seed: number) => string },
): MetadataProblem | undefined {
  const goldenHash = golden.scenario.hash;
  if (goldenHash === undefined || goldenHash === runHash) return undefined;
  const problem: MetadataProblem = { kind: 'scenario', goldenHash, runHash };
  if (run === undefined) return problem;
  if (run.name !== golden.scenario.name) problem.names = { golden: golden.scenario.name, run: run.name };
  const goldenSeed = seedOf(golden);
  if (goldenSeed !== undefined && run.seed !== undefined && goldenSeed !== run.seed) {
    const only = run.hashWithSeed !== undefined && run.hashWithSeed(goldenSeed) === goldenHash;
    problem.seeds = { golden: goldenSeed, run: run.seed, only };
  }
  return problem;
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
  const runSeed = seedOf(run);
  const scenario = runHash === undefined ? undefined : scenarioProblem(golden, runHash, { name: run.scenario.name, ...(runSeed === undefined ? {} : { seed: runSeed }) });
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
