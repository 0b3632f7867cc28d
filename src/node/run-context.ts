/**
 * The JSON's `run` block as the command line knows it (SPEC §6.5): the engine and backend asked
 * for, the Node.js and TensorFlow.js versions of this process, and what --seed, --rounds and
 * --strategy changed in the scenario — with the scenario file, what a rerun needs.
 */
import { createRequire } from 'node:module';
import type { RunContext } from '../report/json.js';

let tfjsVersion: string | undefined;

/** The installed TensorFlow.js version (its core's, the package the engines load), read once from its package.json. */
function installedTfjsVersion(): string | undefined {
  if (tfjsVersion === undefined) {
    const require = createRequire(import.meta.url);
    tfjsVersion = (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  }
  return tfjsVersion;
}

export interface RunContextFlags {
  engine?: string;
  backend?: string;
  seed?: number;
  rounds?: number;
  strategy?: readonly string[];
}

export function runContext(flags: RunContextFlags): RunContext {
  return {
    ...(flags.engine === undefined ? {} : { engine: flags.engine }),
    ...(flags.backend === undefined ? {} : { backend: flags.backend }),
    node: process.version,
    tfjs: installedTfjsVersion(),
    overrides: {
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
      ...(flags.strategy === undefined ? {} : { strategy: flags.strategy }),
    },
  };
}
