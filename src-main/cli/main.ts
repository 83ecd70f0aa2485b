// Entry point of the `quire` command line: dispatches to one module per command and turns errors into words.
import { GgufFormatError } from '../../engine/errors.js';
import { UsageError } from './usage-error.js';
import { commands } from './commands/index.js';

function help(): string {
  const lines = ['usage: quire <command> [options]', '', 'commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `quire <command> --help` for the options of one command.');
  return lines.join('\n');
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 failed, 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`quire: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    await command.run(rest);
    return Number(process.exitCode ?? 0) || 0;                // a command that reports a failure without throwing
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`quire ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof GgufFormatError) {
      process.stderr.write(`quire ${name}: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`quire ${name}: ${message}\n`);
    return 1;
  }
}
