import { Command, CommanderError } from 'commander';
import { OnesimError } from '../protocol/errors.ts';
import { InfrastructureError, infrastructureErrorJson } from '../sim/infrastructureError.ts';
import { commandManifest, registerCommands } from './commands/index.ts';
import { exitCodes } from './errors.ts';
import { interruptExitCode } from './progress.ts';

const exitCodesHelp = `
Every command takes --help; with --json it prints one JSON object as the last line of stdout.

Exit codes:
  0    ok
  1    a check failed (an expectation, an invariant, a divergence, a verification)
  2    bad input (the message names the field and the value), or infrastructure that failed
       under the command (a dead RPC node, Anvil exiting, too few keys): one line on stderr,
       and the --json line carries an "error" field beside what was checked so far
  130  interrupted by Ctrl-C (SIGINT) after keeping finished results; 143 after SIGTERM,
       129 after SIGHUP (128 + the signal's number). serve-model and gateway stop on a signal
       and exit 0. A second signal quits at once; child processes (Anvil) never outlive onesim.
`;

/**
 * The command `argv` asks for (`onesim run …`, `onesim help run`), or null for the program's own
 * help: only that command's file is loaded (cli/commands/index.ts).
 */
function requestedCommand(argv: string[]): string | null {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return commandManifest.some((c) => c.name === name) ? name! : null;
}

/** Builds the `onesim` program with the command `argv` asks for; each lives in its own file under cli/commands/. */
export async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('onesim')
    .description('Simulate, attack and benchmark the ONE decentralized AI-compute protocol')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', exitCodesHelp)
    // A command's options stop at its subcommand, so `sweep merge … --json` reaches merge.
    .enablePositionalOptions()
    .exitOverride();
  await registerCommands(program, requestedCommand(argv));
  return program;
}

/** Runs the CLI and resolves to the process exit code (0 ok, 1 check failed, 2 bad input). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  interruptExitCode({ reset: true });
  try {
    await program.parseAsync(argv);
    const code = typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
    // Stopped early by a signal (results kept): 128 + its number, what shells expect.
    return code === exitCodes.badInput ? code : (interruptExitCode() ?? code);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      return exitCodes.badInput;
    }
    // The one place errors become exit codes: every error onesim reports without a stack is an
    // OnesimError (protocol/errors.ts) carrying its code and field; anything else is a bug.
    if (error instanceof OnesimError) {
      const first = error.message.split('\n')[0]!;
      process.stderr.write(
        `onesim: ${error instanceof InfrastructureError ? first : error.message}\n`,
      );
      if (argv.includes('--json')) {
        const e =
          error instanceof InfrastructureError
            ? infrastructureErrorJson(error)
            : { kind: error.name, message: error.message, field: error.field ?? null };
        process.stdout.write(`${JSON.stringify({ ok: false, error: e })}\n`);
      }
      return error.exitCode;
    }
    throw error;
  }
}
