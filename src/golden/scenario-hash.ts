/**
 * The scenario hash recorded in JSON reports (`scenario.hash`), golden files and sweep run
 * keys: sha256 of the canonical JSON of the *resolved* scenario, so a comment, key order or
 * unit spelling (`2s` vs `2000`) does not change it, but any value that can change a result
 * (defaults included) does.
 *
 * Left out, because they cannot change a result and would tie the hash to one machine:
 * `file` (the path as typed), `description`, and the absolute paths of trace and CSV files.
 * A trace's samples are part of the resolved scenario already; a CSV dataset is represented
 * by the sha256 of its content instead of its path: the hash taken of the bytes read when the
 * scenario was loaded (the file is not read again, so it is the content the run trains on).
 *
 * A trace's samples are hashed as the list of objects they once were held as,
 * `[{"latencyMs":5,"timeMs":0},{"latencyMs":null,"timeMs":50},…]`, so that hashes written into
 * goldens and reports stay what they were; that text is written from the columns in pieces.
 * The text is written for every node that replays the trace, though: when that would write more
 * than REPEATED_TRACE_SAMPLES samples in all, the trace stands as `{"sha256": …}`, the sha256 of
 * its samples' text, instead (32,768 nodes replaying an hour of 100 ms pings took over ten
 * minutes to hash, and could not be interrupted meanwhile).
 */
import { baseName } from '../scenario/file-name.js';
import type { LatencySpec, NodeSpec, Scenario, TraceSamples } from '../scenario/types.js';
import { Sha256Text } from '../text/sha256.js';
import { CanonicalPieces, canonicalNumber, writeCanonicalJson } from './canonical-json.js';

/** Samples of a piece of a trace's text: ~35 characters each, a piece of ~70 KB. */
const SAMPLES_A_PIECE = 2048;

/**
 * A trace whose samples, written once for each node replaying it, would add up to more than
 * this many stands in the hash as the sha256 of its samples' text: about 300 MB of text, 0.3 s
 * of hashing in Node. Below it (every bundled scenario, and 16,384 nodes replaying 512 samples)
 * the hash is what it always was.
 */
export const REPEATED_TRACE_SAMPLES = 2 ** 23;

/** The samples' canonical text: a list of `{latencyMs, timeMs}` in key order, without the objects. */
export function traceSamplesText({ timesMs, latenciesMs }: TraceSamples): CanonicalPieces {
  return new CanonicalPieces((emit) => {
    let text = '[';
    for (let k = 0; k < timesMs.length; k++) {
      // a lost sample's NaN is written null, as the canonical text writes every NaN
      text += `${k === 0 ? '' : ','}{"latencyMs":${canonicalNumber(latenciesMs[k]!)},"timeMs":${canonicalNumber(timesMs[k]!)}}`;
      if ((k + 1) % SAMPLES_A_PIECE === 0) {
        emit(text);
        text = '';
      }
    }
    emit(`${text}]`);
  });
}

/** A trace's samples as hashed: their text, or for a trace replayed too often the sha256 of it. */
type HashedSamples = CanonicalPieces | { sha256: string };

function hashedSamples(samples: TraceSamples, written: number): HashedSamples {
  const text = traceSamplesText(samples);
  if (written <= REPEATED_TRACE_SAMPLES) return text;
  const hash = new Sha256Text();
  text.write((piece) => hash.update(piece));
  return { sha256: hash.hex() };
}

/**
 * A spec as hashed (a trace's samples as their text or its sha256: no longer a LatencySpec);
 * `texts`: each trace's samples as hashed, one for all the specs naming its file; `written`:
 * how many of each trace's samples the nodes would write in all.
 */
function canonicalLatency(latency: LatencySpec, texts: Map<TraceSamples, HashedSamples>, written: ReadonlyMap<TraceSamples, number>): object {
  const { process } = latency;
  if (process.kind === 'trace') {
    let samples = texts.get(process.samples);
    if (samples === undefined) {
      samples = hashedSamples(process.samples, written.get(process.samples) ?? 0);
      texts.set(process.samples, samples);
    }
    return { ...latency, process: { ...process, file: baseName(process.file), samples } };
  }
  if (process.kind === 'phases') {
    const phases = process.phases.map((phase) => ({ ...phase, latency: canonicalLatency(phase.latency, texts, written) }));
    return { ...latency, process: { ...process, phases } };
  }
  return latency;
}

/**
 * A node as hashed: the node itself unless a latency or slowdown names a file (no copy of
 * 131,072 nodes); then one copy of each spec for all the nodes sharing it, so that the hash
 * writes the text of a trace's samples once (canonical-json.ts).
 */
function canonicalNodes(nodes: readonly NodeSpec[]): object[] {
  const specs = new Map<LatencySpec, object>();
  const texts = new Map<TraceSamples, HashedSamples>();
  const written = samplesWritten(nodes);
  const canonical = (spec: LatencySpec): object => {
    let found = specs.get(spec);
    if (found === undefined) {
      found = canonicalLatency(spec, texts, written);
      specs.set(spec, found);
    }
    return found;
  };
  return nodes.map((node) => {
    const latency = canonical(node.latency);
    const slowdown = node.slowdown == null ? node.slowdown : canonical(node.slowdown);
    return latency === node.latency && slowdown === node.slowdown ? node : { ...node, latency, ...(node.slowdown == null ? {} : { slowdown }) };
  });
}

/** How many of each trace's samples the canonical text would hold: its samples, for every node and phase replaying it. */
function samplesWritten(nodes: readonly NodeSpec[]): Map<TraceSamples, number> {
  const tracesOf = new Map<LatencySpec, TraceSamples[]>();
  const traces = (spec: LatencySpec): TraceSamples[] => {
    let found = tracesOf.get(spec);
    if (found === undefined) {
      const { process } = spec;
      found = process.kind === 'trace' ? [process.samples] : process.kind === 'phases' ? process.phases.flatMap((phase) => traces(phase.latency)) : [];
      tracesOf.set(spec, found);
    }
    return found;
  };
  const written = new Map<TraceSamples, number>();
  for (const node of nodes) {
    for (const spec of node.slowdown == null ? [node.latency] : [node.latency, node.slowdown]) {
      for (const samples of traces(spec)) written.set(samples, (written.get(samples) ?? 0) + samples.timesMs.length);
    }
  }
  return written;
}

/** The scenario as hashed: machine-independent, result-relevant fields only. */
export function canonicalScenario(scenario: Scenario): unknown {
  const { file: _file, description: _description, ...rest } = scenario;
  const dataset = scenario.data.dataset;
  return {
    ...rest,
    data: {
      ...scenario.data,
      dataset: dataset.kind === 'csv' ? { kind: 'csv', sha256: dataset.sha256 } : dataset,
    },
    cluster: {
      ...scenario.cluster,
      nodes: canonicalNodes(scenario.cluster.nodes),
    },
  };
}

/** sha256 (64 hex digits) of the canonical resolved scenario. */
export function scenarioHash(scenario: Scenario): string {
  // in pieces: at scale the text is longer than one string (canonical-json.ts)
  const hash = new Sha256Text();
  writeCanonicalJson(canonicalScenario(scenario), (piece) => hash.update(piece));
  return hash.hex();
}
