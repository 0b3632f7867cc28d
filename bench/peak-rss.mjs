// This process's peak resident set size, in MB (MiB).
//
// On Linux, getrusage's ru_maxrss (process.resourceUsage().maxRSS) of a process started by
// another counts the starting process's RSS at the fork: the kernel keeps the larger of the old
// and the new memory's high-water marks across exec. `npm run bench` starts every scenario run
// from a process that has already run the engine benchmarks, so each child reported at least
// that process's 417 MB whatever it used itself. VmHWM in /proc/self/status is the high-water
// mark of this program's memory alone, as /usr/bin/time reports for a command started from a
// small shell. Elsewhere (no /proc) maxRSS is all there is.
import { readFileSync } from 'node:fs';

export function peakRssMB() {
  try {
    const hwm = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm !== null) return Number(hwm[1]) / 1024;
  } catch {
    // no /proc: not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
