/** `dtrain validate <files...>`: every problem of every file at once; exit 2 if any. */
import type { Command } from 'commander';
import { formatIssues, formatIssuesCapped, isKnownError, type Issue } from '../errors.js';
import { collectScenarioIssues } from '../node/load.js';
import { escapeForTerminal, escapeLinesForTerminal } from '../text/terminal-escape.js';
import { addPluginOption, commandRegistry, type PluginFlags } from './plugin-option.js';

async function validate(files: string[], flags: { all?: boolean } & PluginFlags): Promise<void> {
  let problems = 0;
  const registry = await commandRegistry(flags);
  for (const file of files) {
    let issues: Issue[];
    try {
      issues = collectScenarioIssues(file, { registry });
    } catch (error) {
      // an unreadable file is one problem; the other files are still checked
      if (!isKnownError(error)) throw error;
      problems += 1;
      process.stderr.write(`error: ${error.message}\n${error.hint === undefined ? '' : `hint: ${escapeLinesForTerminal(error.hint)}\n`}`);
      continue;
    }
    if (issues.length === 0) {
      process.stdout.write(`${escapeForTerminal(file)}: ok\n`);
    } else {
      problems += issues.length;
      const text = flags.all === true ? formatIssues(issues) : formatIssuesCapped(issues, undefined, 'add --all to list them all');
      process.stderr.write(`${text}\n`);
    }
  }
  if (problems > 0) {
    process.stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
    process.exitCode = 2;
  }
}

export function registerValidate(program: Command): void {
  const command = program
    .command('validate')
    .description('check scenario files and print every problem at once (exit 2 if any)')
    .argument('<files...>', 'scenario YAML files')
    .option('--all', 'list every problem (default: the first 20 of each file)')
    .addHelpText('after', '\nExample:\n  $ dtrain validate scenarios/*.yaml')
    .action(validate);
  addPluginOption(command);
}
