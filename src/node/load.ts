/**
 * The scenario loader (scenario/load.ts) on the Node host: what the CLI and the public API
 * call. The same functions and options, with `host` optional (default node/host.ts).
 */
import type { Issue } from '../errors.js';
import type { FileHost } from '../host.js';
import * as core from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { nodeHost } from './host.js';

type WithHost<T extends { host: FileHost }> = Omit<T, 'host'> & { host?: FileHost };
export type ScenarioTextOptions = WithHost<core.ScenarioTextOptions>;
export type FileOptions = WithHost<core.FileOptions>;

function onHost<T extends { host?: FileHost }>(options: T): T & { host: FileHost } {
  return { ...options, host: options.host ?? nodeHost };
}

/** Resolve scenario text; throws ScenarioError (exit 2) carrying every issue. */
export function parseScenarioText(text: string, file: string, options: ScenarioTextOptions = {}): Scenario {
  return core.parseScenarioText(text, file, onHost(options));
}

/** Every problem in a scenario, in file order; given only a file name it reads the file. */
export function collectScenarioIssues(file: string, options?: FileOptions): Issue[];
export function collectScenarioIssues(text: string, file: string, options?: ScenarioTextOptions): Issue[];
export function collectScenarioIssues(textOrFile: string, fileOrOptions?: string | FileOptions, options: ScenarioTextOptions = {}): Issue[] {
  if (typeof fileOrOptions !== 'string') return core.collectScenarioIssues(textOrFile, onHost(fileOrOptions ?? {}));
  return core.collectScenarioIssues(textOrFile, fileOrOptions, onHost(options));
}

/** Read and resolve a scenario file; relative paths inside start at its folder. */
export function loadScenario(file: string, options: FileOptions = {}): Promise<Scenario> {
  return core.loadScenario(file, onHost(options));
}
