/**
 * Cluster nodes (SPEC §3): each field comes from the node, else `cluster.defaults`, else the
 * built-in default; `count: N` expands a node into `id-1 … id-N`; ids must be unique after
 * expansion (the later one is reported); `latency` is required from the node or the defaults.
 * `slowdown` (SPEC §6.4) is optional (null: none) and resolved like latency, once per place
 * it is written, so a `count` group and the nodes taking the defaults share one spec.
 */
import type { ScenarioContext } from './context.js';
import { compactString } from '../text/compact-string.js';
import { formatPath, type PathSegment } from './field-path.js';
import { resolveLatency, type TraceLibrary } from './resolve-latency.js';
import { MAX_TOTAL_NODES, NODE_DEFAULTS, type RawNode, type RawNodeFields } from './schema.js';
import type { LatencySpec, NodeSpec } from './types.js';

const NODES_PATH: PathSegment[] = ['cluster', 'nodes'];

/** Latency (or slowdown) from `cluster.defaults`: absent, failed (already reported) or resolved. */
type DefaultLatency = { state: 'absent' } | { state: 'failed' } | { state: 'ok'; latency: LatencySpec };

/**
 * `rawNodes[i]` is undefined when node i did not parse, and `parsedDefaults` when
 * `cluster.defaults` did not (their issues are already recorded).
 */
export function resolveNodes(
  ctx: ScenarioContext,
  parsedDefaults: RawNodeFields | undefined,
  rawNodes: readonly (RawNode | undefined)[],
  traces: TraceLibrary,
): NodeSpec[] | undefined {
  const total = rawNodes.reduce((sum, node) => sum + (node?.count ?? 1), 0);
  if (total > MAX_TOTAL_NODES) {
    ctx.report(NODES_PATH, `at most ${MAX_TOTAL_NODES} nodes after count expansion`, `${total}`, 'value', 'field.range');
    return undefined;
  }
  const defaults = parsedDefaults ?? {};
  const fallback: DefaultLatency = parsedDefaults === undefined ? { state: 'failed' } : defaultLatency(defaults, traces);
  const fallbackSlowdown: DefaultLatency = parsedDefaults === undefined ? { state: 'failed' } : defaultSlowdown(defaults, traces);
  const nodes: NodeSpec[] = [];
  const owners = new Map<string, number>();
  let complete = true;
  rawNodes.forEach((raw, index) => {
    if (raw === undefined) {
      complete = false;
      return;
    }
    const path = [...NODES_PATH, index];
    const latency = nodeLatency(ctx, raw, path, fallback, traces);
    if (latency === undefined) complete = false;
    const slowdown = nodeSlowdown(raw, path, fallbackSlowdown, traces);
    if (slowdown === undefined) complete = false;
    // every output names nodes by these ids: held one byte a character when they can be
    const id = compactString(raw.id);
    const ids = raw.count === undefined ? [id] : Array.from({ length: raw.count }, (_, k) => `${id}-${k + 1}`);
    const clash = ids.find((id) => owners.has(id));
    if (clash !== undefined) {
      const also = formatPath([...NODES_PATH, owners.get(clash)!]);
      ctx.report([...path, 'id'], 'a node id not used by an earlier node', `${JSON.stringify(clash)} again (also ${also})`, 'value', 'field.conflict');
      complete = false;
    }
    for (const id of ids) {
      if (!owners.has(id)) owners.set(id, index);
      if (latency !== undefined && slowdown !== undefined) nodes.push(nodeSpec(id, raw, defaults, latency, slowdown));
    }
  });
  return complete ? nodes : undefined;
}

function defaultLatency(defaults: RawNodeFields, traces: TraceLibrary): DefaultLatency {
  if (defaults.latency === undefined) return { state: 'absent' };
  const latency = resolveLatency(defaults.latency, ['cluster', 'defaults', 'latency'], traces);
  return latency === undefined ? { state: 'failed' } : { state: 'ok', latency };
}

function defaultSlowdown(defaults: RawNodeFields, traces: TraceLibrary): DefaultLatency {
  if (defaults.slowdown === undefined) return { state: 'absent' };
  const slowdown = resolveLatency(defaults.slowdown, ['cluster', 'defaults', 'slowdown'], traces, 'slowdown');
  return slowdown === undefined ? { state: 'failed' } : { state: 'ok', latency: slowdown };
}

/** The node's slowdown, else the defaults', else null (none); undefined when it failed (reported). */
function nodeSlowdown(raw: RawNode, path: PathSegment[], fallback: DefaultLatency, traces: TraceLibrary): LatencySpec | null | undefined {
  if (raw.slowdown !== undefined) return resolveLatency(raw.slowdown, [...path, 'slowdown'], traces, 'slowdown');
  if (fallback.state === 'ok') return fallback.latency;
  return fallback.state === 'absent' ? null : undefined;
}

function nodeLatency(
  ctx: ScenarioContext,
  raw: RawNode,
  path: PathSegment[],
  fallback: DefaultLatency,
  traces: TraceLibrary,
): LatencySpec | undefined {
  if (raw.latency !== undefined) return resolveLatency(raw.latency, [...path, 'latency'], traces);
  if (fallback.state === 'ok') return fallback.latency;
  if (fallback.state === 'absent') {
    ctx.report([...path, 'latency'], 'a latency (on the node or in cluster.defaults)', 'nothing', 'value', 'field.type');
  }
  return undefined;
}

function nodeSpec(id: string, raw: RawNode, defaults: RawNodeFields, latency: LatencySpec, slowdown: LatencySpec | null): NodeSpec {
  return {
    id,
    latency,
    cores: raw.cores ?? defaults.cores ?? NODE_DEFAULTS.cores,
    msPerSample: raw.msPerSample ?? defaults.msPerSample ?? NODE_DEFAULTS.msPerSample,
    parallelFraction: raw.parallelFraction ?? defaults.parallelFraction ?? NODE_DEFAULTS.parallelFraction,
    ioMsPerBatch: raw.ioMsPerBatch ?? defaults.ioMsPerBatch ?? NODE_DEFAULTS.ioMsPerBatch,
    bandwidthBps: raw.bandwidth ?? defaults.bandwidth ?? NODE_DEFAULTS.bandwidthBps,
    labelNoise: raw.labelNoise ?? defaults.labelNoise ?? NODE_DEFAULTS.labelNoise,
    dataShare: raw.dataShare ?? defaults.dataShare ?? NODE_DEFAULTS.dataShare,
    slowdown,
    stepOverheadMs: raw.stepOverheadMs ?? defaults.stepOverheadMs ?? NODE_DEFAULTS.stepOverheadMs,
  };
}
