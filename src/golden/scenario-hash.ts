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
 */
import { baseName } from '../scenario/file-name.js';
import type { LatencySpec, NodeSpec, Scenario } from '../scenario/types.js';
import { Sha256Text } from '../text/sha256.js';
import { writeCanonicalJson } from './canonical-json.js';

function canonicalLatency(latency: LatencySpec): LatencySpec {
  const { process } = latency;
  if (process.kind === 'trace') return { ...latency, process: { ...process, file: baseName(process.file) } };
  if (process.kind === 'phases') {
    const phases = process.phases.map((phase) => ({ ...phase, latency: canonicalLatency(phase.latency) }));
    return { ...latency, process: { ...process, phases } };
  }
  return latency;
}

/**
 * A node as hashed: the node itself unless a latency or slowdown names a file (no copy of
 * 131,072 nodes); then one copy of each spec for all the nodes sharing it, so that the hash
 * writes the text of a trace's samples once (canonical-json.ts).
 */
function canonicalNodes(nodes: readonly NodeSpec[]): NodeSpec[] {
  const specs = new Map<LatencySpec, LatencySpec>();
  const canonical = (spec: LatencySpec): LatencySpec => {
    let found = specs.get(spec);
    if (found === undefined) {
      found = canonicalLatency(spec);
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
