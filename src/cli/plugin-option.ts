/**
 * `--plugin FILE` (repeatable) for every command that resolves strategy names: the one stage
 * registry such a command builds holds the built-in stages, then each plug-in's, in order.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import type { InputFile } from './output-plan.js';

export interface PluginFlags {
  plugin?: string[];
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function addPluginOption(command: Command): Command {
  return command.option('--plugin <file>', 'load your own stages and presets from this ES module (repeatable; see docs/plugins.md)', collect);
}

/** The --plugin files, among the files a command reads: no output of it may overwrite one. */
export function pluginInputs(flags: PluginFlags): InputFile[] {
  return (flags.plugin ?? []).map((path) => ({ what: 'the plug-in', path: resolve(path) }));
}

/** The built-in stages and presets, plus those of every --plugin. */
export async function commandRegistry(flags: PluginFlags): Promise<StageRegistry> {
  const registry = createStageRegistry();
  if (flags.plugin === undefined || flags.plugin.length === 0) return registry;
  const { loadPlugins } = await import('../node/plugins.js');
  return loadPlugins(flags.plugin, registry);
}
