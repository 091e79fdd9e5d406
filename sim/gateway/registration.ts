import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../../protocol/errors.ts';
import type { Attestation } from '../../protocol/index.ts';
import { simAttestationFor } from '../../protocol/receipts/simAttestor.ts';
import type { GatewayCore, GatewayWorker } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import { workerAddressOf } from './workerIdentity.ts';

/**
 * Who may work for the gateway. `list`: only the keys of a `--workers` file, registered at start
 * with their models (and KYC attestation). `open`: any key whose first result verifies is bonded
 * and attested by the gateway's simulated attestor, then registered for every model served.
 */
export type Registration =
  | { mode: 'list'; workers: ListedWorker[] }
  | { mode: 'open' }
  | { mode: 'closed' };

export type ListedWorker = { key: string; models: string[]; attestation?: Attestation };

/** A `--workers` file that cannot be used: exit 2, naming the file and the field. */
export class WorkersFileError extends InputError {
  override name = 'WorkersFileError';
  constructor(
    message: string,
    override readonly field: string,
  ) {
    super(message, field);
  }
}

const hex = z.string().regex(/^0x([0-9a-f]{2})*$/);
const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const address = z.string().regex(/^0x[0-9a-f]{40}$/);
const workersFileSchema = z.strictObject({
  workers: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        models: z.array(z.string().min(1)).min(1),
        attestation: z
          .strictObject({
            worker: address,
            identityHash: hex32,
            expiresAtMs: z.number().int().nonnegative(),
            attestor: address,
            signature: hex,
          })
          .optional(),
      }),
    )
    .min(1),
});

/**
 * Reads a `--workers` file: `{"workers": [{"key": "<base64 SPKI ed25519>", "models": ["name"],
 * "attestation"?: {...}}]}`. Every key must be a well-formed worker key and every model one the
 * gateway serves; throws WorkersFileError naming `path` and the field.
 */
export function readWorkersFile(path: string, served: ReadonlySet<string>): ListedWorker[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WorkersFileError(
      `${path}: ${error instanceof Error ? error.message : String(error)}`,
      'workers',
    );
  }
  const parsed = workersFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'workers';
    throw new WorkersFileError(`${path}: ${field}: ${issue.message}`, field);
  }
  const seen = new Set<string>();
  parsed.data.workers.forEach((w, i) => {
    try {
      workerAddressOf(w.key, `workers.${i}.key`);
    } catch (error) {
      throw new WorkersFileError(`${path}: ${(error as Error).message}`, `workers.${i}.key`);
    }
    if (seen.has(w.key))
      throw new WorkersFileError(`${path}: workers.${i}.key: listed twice`, `workers.${i}.key`);
    seen.add(w.key);
    w.models.forEach((m, j) => {
      if (!served.has(m))
        throw new WorkersFileError(
          `${path}: workers.${i}.models.${j}: ${JSON.stringify(m)} is not served here (${[...served].join(', ')})`,
          `workers.${i}.models.${j}`,
        );
    });
  });
  return parsed.data.workers as ListedWorker[];
}

const yearMs = 365 * 86_400_000;

/**
 * Bonds and registers a worker in the protocol (a deposit of the minimum bond, then
 * `registerWorker`), with its own attestation or, when none, the simulated attestor's.
 * Throws GatewayError naming `field` when the protocol refuses.
 */
export function registerWorker(
  core: GatewayCore,
  w: ListedWorker,
  slots: number,
  how: 'listed' | 'open',
  field: string,
  atMs = core.nowMs(),
): GatewayWorker {
  const address = workerAddressOf(w.key, field);
  const known = core.workers.get(address);
  if (known) return known;
  const ids = w.models.map((m) => core.modelIds.get(m)!);
  const bond = core.params.workerBondMinMicroUsdc;
  const attestation =
    w.attestation ??
    (core.params.kycRequired
      ? simAttestationFor(core.params, address, atMs + 10 * yearMs)
      : undefined);
  if (attestation && attestation.worker !== address)
    throw new GatewayError(
      400,
      'BadAttestation',
      `${field}: the attestation is for ${attestation.worker}, the key's address is ${address}`,
      field,
    );
  const deposited = core.act(
    { type: 'deposit', account: address, asset: 'usdc', amount: bond },
    undefined,
    atMs,
  );
  if (!deposited.ok) throw new GatewayError(503, deposited.code, deposited.message, field);
  const r = core.act(
    {
      type: 'registerWorker',
      worker: address,
      models: ids,
      slots,
      capacityCuPerSec: 1_000n,
      bondMicroUsdc: bond,
      ...(attestation ? { attestation } : {}),
    },
    { workerKey: w.key, registration: how, simAttested: !w.attestation && !!attestation },
    atMs,
  );
  if (!r.ok) throw new GatewayError(400, r.code, `${field}: registerWorker: ${r.message}`, field);
  return core.workers.get(address)!;
}

/**
 * The worker a result comes from, by the key its receipt names: known, or null when open
 * registration will register it once its receipt verifies (`registerOpen`). Unknown keys
 * otherwise get 403 naming `receipt.worker`. Changes nothing.
 */
export function resultWorker(
  core: GatewayCore,
  registration: Registration,
  key: string,
): GatewayWorker | null {
  const known = core.workers.get(workerAddressOf(key, 'receipt.worker'));
  if (known || registration.mode === 'open') return known ?? null;
  throw new GatewayError(
    403,
    'UnknownWorker',
    `receipt.worker: ${key.slice(0, 24)}… is not a registered worker of this gateway (${registration.mode === 'list' ? 'not in --workers' : 'registration is closed'}; list the key in --workers or start the gateway with --open-registration)`,
    'receipt.worker',
  );
}

/** Open registration: bonds, attests (simulated attestor) and registers `key` for every served model. */
export function registerOpen(
  core: GatewayCore,
  key: string,
  slots: number,
  atMs: number,
): GatewayWorker {
  return registerWorker(
    core,
    { key, models: [...core.modelIds.keys()] },
    slots,
    'open',
    'receipt.worker',
    atMs,
  );
}
