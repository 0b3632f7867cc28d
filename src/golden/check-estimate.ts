/**
 * What `dtrain check RUN GOLDEN` costs, from the two files' sizes (the limits' estimate for a
 * command that runs nothing): both reports are read whole, parsed into objects and compared
 * value by value. Measured 2026-12-05 on 131,072-node reports (`/usr/bin/time`): two of 353 MB
 * peaked at 2.99 GB and took 50 s on a busy machine, two of 470 MB 3.37 GB and 79 s: about 4.2
 * and 3.5 bytes of memory per byte read, 71 ns per byte. Counted as 4.2 B (the larger) and 75 ns.
 */
import { count, sum, type CostPart, type RunEstimate } from '../limits/estimate.js';
import { formatBytes } from '../scenario/text-file.js';

const CHECK_BASE_BYTES = 64 * 1024 ** 2;
const CHECK_START_SECONDS = 0.3;
const MEMORY_PER_REPORT_BYTE = 4.2;
const SECONDS_PER_REPORT_BYTE = 75e-9;

export function estimateCheck(runBytes: number, goldenBytes: number): RunEstimate {
  const report = (what: string, bytes: number): string => `${what} (${formatBytes(bytes)}), read and parsed`;
  const memoryParts: CostPart[] = [
    { what: 'Node.js', value: CHECK_BASE_BYTES },
    { what: report('the run report', runBytes), value: runBytes * MEMORY_PER_REPORT_BYTE },
    { what: report('the golden file', goldenBytes), value: goldenBytes * MEMORY_PER_REPORT_BYTE },
  ];
  const timeParts: CostPart[] = [
    { what: 'starting Node.js', value: CHECK_START_SECONDS },
    { what: `reading, parsing and comparing ${count(runBytes + goldenBytes)} bytes of reports`, value: (runBytes + goldenBytes) * SECONDS_PER_REPORT_BYTE },
  ];
  return {
    jsonFlag: null, memoryBytes: sum(memoryParts), seconds: sum(timeParts), jsonBytes: 0, outputs: [], simulatedMs: 0, unboundedBy: null, memoryParts, timeParts,
  };
}
