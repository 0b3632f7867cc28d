/**
 * `dtrain schema [--out FILE]`: the JSON Schema of the scenario format, generated from the
 * zod schema (scenarioJsonSchema). The repository keeps a copy in schema/scenario.schema.json
 * (`npm run schema` regenerates it; a test checks it is current) that the bundled scenarios
 * name on their first line for YAML editors.
 */
import type { Command } from 'commander';
import { writeFileAtomic, type OutputTarget } from '../output-file.js';
import { createStageRegistry } from '../pipeline/stages/builtin.js';
import type { StageRegistry } from '../pipeline/stage-registry.js';
import { scenarioJsonSchema } from '../scenario/load.js';
import { OutputPlan } from './output-plan.js';
import { addPluginOption, commandRegistry, pluginInputs, type PluginFlags } from './plugin-option.js';

/**
 * The schema as written to stdout and to schema/scenario.schema.json: 2-space JSON and a
 * newline. Strategy names come from the registry, so a user's own stages appear in it.
 */
export function scenarioSchemaText(registry: StageRegistry = createStageRegistry()): string {
  return `${JSON.stringify(scenarioJsonSchema(registry), null, 2)}\n`;
}

async function schema(flags: { out?: string } & PluginFlags): Promise<void> {
  // `--out -` is standard output, as `-` is for every other command's outputs
  let target: OutputTarget | undefined;
  if (flags.out !== undefined) {
    const plan = new OutputPlan();
    target = plan.file('--out', flags.out, { dash: true });
    plan.checkInputs(pluginInputs(flags));
  }
  const text = scenarioSchemaText(await commandRegistry(flags));
  if (target === undefined) {
    process.stdout.write(text);
    return;
  }
  writeFileAtomic(target, text);
}

export function registerSchema(program: Command): void {
  const command = program
    .command('schema')
    .description('print the JSON Schema of the scenario file format (for editors and validators)')
    .option('-o, --out <file>', 'write it to a file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ dtrain schema > scenario.schema.json
  $ dtrain schema --out schema/scenario.schema.json

Editors with the YAML language server pick it up from a scenario's first line:
  # yaml-language-server: $schema=./scenario.schema.json`,
    )
    .action(schema);
  addPluginOption(command);
}
