import { vi } from 'vitest';
import { main } from '../main.ts';

export interface CliResult {
  /** The exit code `main` resolved to: what bin/onesim.js sets as the process's exit status. */
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `onesim <args…>` in this process through `main` (the function bin/onesim.js calls), with
 * stdout and stderr captured: for tests of a command's output and exit code that need no process
 * of their own (signals, orphans and the launcher are tested with real processes). Saves a Node
 * start and a module load per case, and any time a child keeps the process alive after `main`.
 * `env` is set for the call and restored after it.
 */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const capture =
    (append: (s: string) => void) =>
    (chunk: unknown, ...rest: unknown[]) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(
    capture((s) => {
      stdout += s;
    }) as typeof process.stdout.write,
  );
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(
    capture((s) => {
      stderr += s;
    }) as typeof process.stderr.write,
  );
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    stdout += `${a.map(String).join(' ')}\n`;
  });
  const info = vi.spyOn(console, 'info').mockImplementation((...a: unknown[]) => {
    stdout += `${a.map(String).join(' ')}\n`;
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    stderr += `${a.map(String).join(' ')}\n`;
  });
  const warn = vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => {
    stderr += `${a.map(String).join(' ')}\n`;
  });
  process.exitCode = undefined;
  try {
    const status = await main(['node', 'onesim', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    log.mockRestore();
    error.mockRestore();
    info.mockRestore();
    warn.mockRestore();
    process.exitCode = undefined;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
