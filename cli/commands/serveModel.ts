import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { modelNames } from '../../gpu-harness/models/registry.ts';
import {
  createModelServer,
  modelServerDefaults,
} from '../../gpu-harness/serve/createModelServer.ts';
import {
  generateSealingKeyPair,
  type SealingKeyPair,
  x25519PublicKey,
} from '../../sim/io/sealing.ts';
import { UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { interruptSignals } from '../progress.ts';

type Flags = {
  model: string;
  port: string;
  host: string;
  workers?: string;
  inflightMax?: string;
  bodyBytesMax?: string;
  sealingKey?: string;
  json?: boolean;
};

/**
 * `--sealing-key FILE`: `{"privateKey": "<32 bytes, base64>"}`, this runtime's X25519 key for
 * sealed requests; a file that does not exist gets a new key (written owner-only).
 */
function sealingKeyFrom(path: string): { key: SealingKeyPair; created: boolean } {
  if (!existsSync(path)) {
    const key = generateSealingKeyPair();
    writeFileSync(path, `${JSON.stringify({ privateKey: key.privateKey })}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    return { key, created: true };
  }
  let privateKey: unknown;
  try {
    privateKey = (JSON.parse(readFileSync(path, 'utf8')) as { privateKey?: unknown }).privateKey;
  } catch (e) {
    throw new UsageError(
      `--sealing-key: ${path} is not JSON (${(e as Error).message})`,
      'sealing-key',
    );
  }
  if (typeof privateKey !== 'string' || Buffer.from(privateKey, 'base64').length !== 32)
    throw new UsageError(
      `--sealing-key: ${path}: privateKey must be a 32-byte X25519 key, base64`,
      'sealing-key',
    );
  return {
    key: { privateKey, publicKey: x25519PublicKey(privateKey).toString('base64') },
    created: false,
  };
}

/** Resolves when SIGINT, SIGTERM or SIGHUP arrives (once): a server's normal end (exit 0). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      for (const s of interruptSignals) process.off(s, on);
      resolve(signal);
    };
    for (const s of interruptSignals) process.on(s, on);
  });
}

async function action(flags: Flags): Promise<void> {
  if (!modelNames().includes(flags.model))
    throw new UsageError(
      `--model: expected one of ${modelNames().join('|')}, got ${JSON.stringify(flags.model)}`,
      'model',
    );
  const port = parseNumber('--port', flags.port, { integer: true, min: 0, max: 65_535 });
  const opt = (flag: string, v: string | undefined, fallback: number, max: number) =>
    v === undefined ? fallback : parseNumber(flag, v, { integer: true, min: 1, max });
  const sealing = flags.sealingKey === undefined ? null : sealingKeyFrom(flags.sealingKey);
  const server = await createModelServer({
    modelName: flags.model,
    ...(sealing ? { sealingKey: sealing.key } : {}),
    workers: opt('--workers', flags.workers, modelServerDefaults.workers, 64),
    inflightMax: opt('--inflight-max', flags.inflightMax, modelServerDefaults.inflightMax, 100_000),
    bodyBytesMax: opt(
      '--body-bytes-max',
      flags.bodyBytesMax,
      modelServerDefaults.bodyBytesMax,
      1 << 30,
    ),
  });
  const url = await server.listen(port, flags.host);
  process.stdout.write(`serving ${server.model.name} (${server.model.idBytes32}) at ${url}\n`);
  if (sealing)
    process.stdout.write(
      `sealed requests: POST ${url}/sealed/chat/completions, boxes sealed to X25519 key ${sealing.key.publicKey}${sealing.created ? ` (new, written to ${flags.sealingKey})` : ''}\n`,
    );
  const signal = await untilSignal();
  await server.close();
  const stats = server.stats();
  process.stdout.write(
    `stopped on ${signal}: ${stats.completions} completions, ${stats.errors} errors\n`,
  );
  if (flags.json)
    process.stdout.write(
      `${JSON.stringify({ url, model: server.model.name, signal, ...stats })}\n`,
    );
}

/** `onesim serve-model`: a zoo text model behind an OpenAI-compatible HTTP API. */
export function registerServeModel(program: Command): void {
  program
    .command('serve-model')
    .description(
      'Serve a zoo text model as an OpenAI-compatible backend (/v1/chat/completions, /v1/models)',
    )
    .requiredOption('--model <name>', 'zoo text model (e.g. tinylm-s)')
    .option('--port <n>', 'TCP port (0 = any free port)', '8000')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--workers <n>', `inference worker threads (default ${modelServerDefaults.workers})`)
    .option(
      '--inflight-max <n>',
      `requests answered at once before 429 (default ${modelServerDefaults.inflightMax})`,
    )
    .option(
      '--body-bytes-max <n>',
      `largest request body before 413 (default ${modelServerDefaults.bodyBytesMax})`,
    )
    .option(
      '--sealing-key <file>',
      'X25519 key file ({"privateKey": base64}; created when absent): serve sealed requests at /v1/sealed/chat/completions',
    )
    .option('--json', 'on exit, print one JSON object (request counts) as the last stdout line')
    .action(action);
}
