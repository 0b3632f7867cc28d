/** `dtrain validate <files...>`: every problem of every file at once; exit 2 if any. */
import type { Command } from 'commander';
import { formatIssues } from '../errors.js';
import { collectScenarioIssues } from '../scenario/load.js';

function validate(files: string[]): void {
  let problems = 0;
  for (const file of files) {
    const issues = collectScenarioIssues(file);
    if (issues.length === 0) {
      process.stdout.write(`${file}: ok\n`);
    } else {
      problems += issues.length;
      process.stderr.write(`${formatIssues(issues)}\n`);
    }
  }
  if (problems > 0) {
    process.stderr.write(`${problems} problem${problems === 1 ? '' : 's'} found\n`);
    process.exitCode = 2;
  }
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check scenario files and print every problem at once (exit 2 if any)')
    .argument('<files...>', 'scenario YAML files')
    .addHelpText('after', '\nExample:\n  $ dtrain validate scenarios/*.yaml')
    .action(validate);
}
