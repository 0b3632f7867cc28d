#!/usr/bin/env node
/**
 * `npm run fuzz -- --runs 10000 [--seed S]`: the property tests with more cases than CI
 * runs. N cases for the planning property, N / 25 for the full TF.js runs, N / 100 random
 * command lines (cli-fuzz.test.ts: flags, values and paths). Without --seed a fresh one is
 * drawn and printed, so that a failure can be replayed (FUZZ_SEED / FUZZ_PATH, FUZZ_CASE).
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
function option(name, fallback) {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const text = args[index + 1] ?? '';
  // decimal digits only: `0x10` is not 16 here either
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) {
    console.error(`fuzz: ${name} needs a whole number, found '${args[index + 1] ?? ''}'`);
    process.exit(2);
  }
  return value;
}

const runs = option('--runs', 10_000);
const seed = option('--seed', Math.floor(Math.random() * 2 ** 31));
console.error(`fuzz: ${runs} planning cases, ${Math.ceil(runs / 25)} full runs and ${Math.ceil(runs / 100)} command lines, seed ${seed}`);
const result = spawnSync('npx', ['vitest', 'run', 'test/properties'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
});
process.exit(result.status ?? 1);
