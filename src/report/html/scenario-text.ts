/**
 * The resolved scenario in short plain words for the report's scenario tables: latency
 * processes, datasets, partitions, bandwidths. Pure and locale-independent.
 */
import type {
  DatasetSpec, LatencyProcess, LatencySpec, PartitionSpec, StrategySpec,
} from '../../scenario/types.js';
import { formatDuration } from '../format.js';
import type { PathDisplay } from './path-display.js';

/** Bits per second with an SI prefix: 1e9 → `1 Gbps`, 2.5e6 → `2.5 Mbps`. */
export function formatBandwidth(bps: number): string {
  const units: Array<[number, string]> = [[1e9, 'Gbps'], [1e6, 'Mbps'], [1e3, 'kbps']];
  for (const [scale, unit] of units) {
    if (bps >= scale) return `${Number((bps / scale).toPrecision(6))} ${unit}`;
  }
  return `${bps} bps`;
}

function describeProcess(process: LatencyProcess, showPath: PathDisplay): string {
  switch (process.kind) {
    case 'constant': return `constant ${formatDuration(process.valueMs)}`;
    case 'uniform': return `uniform ${formatDuration(process.minMs)} – ${formatDuration(process.maxMs)}`;
    case 'normal': return `normal mean ${formatDuration(process.meanMs)}, std ${formatDuration(process.stdMs)}`;
    case 'lognormal': return `lognormal median ${formatDuration(process.medianMs)}, σ ${process.sigma}`;
    case 'spikes':
      return `spikes ${formatDuration(process.baseMs)}, ${formatDuration(process.spikeMs)} with p ${process.probability}`;
    case 'burst':
      return `burst good ${formatDuration(process.goodMs)} / bad ${formatDuration(process.badMs)} `
        + `(toBad ${process.toBad}, toGood ${process.toGood})`;
    case 'periodic':
      return `periodic ${formatDuration(process.baseMs)} ± ${formatDuration(process.amplitudeMs)}, `
        + `period ${formatDuration(process.periodMs)}`;
    case 'trace': return `trace ${showPath(process.file)}${process.loop ? ' (loop)' : ''}`;
    case 'phases':
      return process.phases
        .map((phase) => `${describeLatency(phase.latency, showPath)}${phase.untilMs === null ? '' : ` until ${formatDuration(phase.untilMs)}`}`)
        .join(' → ');
  }
}

/** `constant 5.0 ms, loss 2%, down 10.000 s – 15.000 s` */
export function describeLatency(latency: LatencySpec, showPath: PathDisplay): string {
  const parts = [describeProcess(latency.process, showPath)];
  if (latency.loss > 0) parts.push(`loss ${Number((latency.loss * 100).toPrecision(6))}%`);
  for (const down of latency.down) parts.push(`down ${formatDuration(down.fromMs)} – ${formatDuration(down.toMs)}`);
  return parts.join(', ');
}

export function describeDataset(dataset: DatasetSpec, showPath: PathDisplay): string {
  switch (dataset.kind) {
    case 'builtin': return dataset.name;
    case 'blobs':
      return `blobs: ${dataset.samples} samples, ${dataset.features} features, ${dataset.classes} classes, spread ${dataset.spread}`;
    case 'csv': return `csv ${showPath(dataset.file)}`;
  }
}

export function describePartition(partition: PartitionSpec): string {
  switch (partition.kind) {
    case 'iid': return 'iid';
    case 'dirichlet': return `dirichlet α = ${partition.alpha}`;
    case 'shards': return `${partition.shards} shards per node`;
  }
}

export function describeStrategy(strategy: StrategySpec): string {
  return `${strategy.name} (batch ${strategy.batch}, resources ${strategy.resources}, aggregation ${strategy.aggregation})`;
}
