#!/usr/bin/env node
/**
 * `npm run fuzz -- --runs 10000 [--seed S]`: the property tests with more cases than CI
 * runs. N cases for the planning property, N / 25 for the full TF.js runs. Without --seed a
 * fresh one is drawn and printed, so that a failure can be replayed (FUZZ_SEED / FUZZ_PATH).
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
function option(name, fallback) {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`fuzz: ${name} needs a whole number, found '${args[index + 1] ?? ''}'`);
    process.exit(2);
  }
  return value;
}

const runs = option('--runs', 10_000);
const seed = option('--seed', Math.floor(Math.random() * 2 ** 31));
console.error(`fuzz: ${runs} planning cases and ${Math.ceil(runs / 25)} full runs, seed ${seed}`);
const result = spawnSync('npx', ['vitest', 'run', 'test/properties'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
});
process.exit(result.status ?? 1);
