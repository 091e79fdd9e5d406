import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';
import { exitCodes, UsageError } from './errors.ts';

/** Builds the `onesim` program; each command lives in its own file under cli/commands/. */
export function buildProgram(): Command {
  const program = new Command('onesim')
    .description('Simulate, attack and benchmark the ONE decentralized AI-compute protocol')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code (0 ok, 1 check failed, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return exitCodes.badInput;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`onesim: ${error.message}\n`);
      return exitCodes.badInput;
    }
    throw error;
  }
}
