import { z } from 'zod';
import type { Action } from './actions.ts';
import { bigintInput, uint64Input } from './params.ts';
import { sealedModes } from './types.ts';

const address = z
  .string()
  .regex(/^0x[0-9a-f]{40}$/, 'expected a lower-case 0x address (40 hex digits)');
const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'expected 0x and 64 lower-case hex digits');
const hex = z.string().regex(/^0x([0-9a-f]{2})*$/, 'expected 0x-prefixed lower-case hex');
const int = z.number().int().nonnegative();
const label = z.string().regex(/^[a-z0-9-]{1,32}$/, 'expected 1..32 of a-z, 0-9 and -');
const lane = z.union([z.literal(0), z.literal(1)]);

const attestation = z.object({
  worker: address,
  identityHash: hex32,
  expiresAtMs: int,
  attestor: address,
  signature: hex,
});

const receipt = z.object({
  jobId: int,
  lane,
  requester: address,
  model: hex32,
  worker: address,
  requestHash: hex32,
  resultHash: hex32,
  units: uint64Input,
  price: uint64Input,
  finishedAt: int,
  prev: hex,
});

/** Every action as data, as it appears in action files and traces (amounts as decimal strings). */
export const actionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('deposit'),
    account: address,
    asset: z.enum(['usdc', 'one']),
    amount: bigintInput,
  }),
  z.object({
    type: z.literal('withdraw'),
    account: address,
    asset: z.enum(['usdc', 'one']),
    amount: bigintInput,
  }),
  z.object({ type: z.literal('fundTreasury'), from: address, amountMicroUsdc: bigintInput }),
  z.object({ type: z.literal('stake'), holder: address, amountOneWei: bigintInput }),
  z.object({ type: z.literal('unstake'), holder: address, amountOneWei: bigintInput }),
  z.object({ type: z.literal('claimUnbonded'), holder: address }),
  z.object({ type: z.literal('startDay'), day: int }),
  z.object({
    type: z.literal('reserve'),
    sponsor: address,
    model: hex32.nullable(),
    rateCuPerSec: bigintInput,
    durationMs: int,
    startAtMs: int.optional(),
  }),
  z.object({ type: z.literal('endReservation'), reservationId: int }),
  z.object({
    type: z.literal('submitJob'),
    lane,
    requester: address,
    model: hex32,
    units: uint64Input,
    requestHash: hex32,
    reservationId: int.optional(),
    deadlineMs: int.optional(),
    sealed: z.enum(sealedModes).optional(),
  }),
  z.object({ type: z.literal('dispatch') }),
  z.object({
    type: z.literal('leaseJob'),
    models: z.array(hex32).min(1).max(64),
    leaseUntilMs: int,
  }),
  z.object({ type: z.literal('completeJob'), receipt, signature: hex }),
  z.object({ type: z.literal('failJob'), jobId: int, worker: address }),
  z.object({ type: z.literal('expireJobs') }),
  z.object({ type: z.literal('settle'), epoch: int }),
  z.object({
    type: z.literal('claim'),
    epoch: int,
    worker: address,
    amountMicroUsdc: bigintInput,
    proof: z.array(hex32),
  }),
  z.object({
    type: z.literal('registerWorker'),
    worker: address,
    models: z.array(hex32),
    slots: int,
    capacityCuPerSec: bigintInput,
    bondMicroUsdc: bigintInput,
    attestation: attestation.optional(),
    memoryBytes: z.number().int().positive().optional(),
    region: label.optional(),
    tags: z.array(label).max(8).optional(),
  }),
  z.object({ type: z.literal('setWorkerOnline'), worker: address, online: z.boolean() }),
  z.object({ type: z.literal('exitWorker'), worker: address }),
  z.object({ type: z.literal('withdrawBond'), worker: address }),
  z.object({
    type: z.literal('proposeParams'),
    proposer: address,
    changes: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('executeProposal'), proposalId: int }),
  z.object({ type: z.literal('cancelProposal'), proposer: address, proposalId: int }),
  z.object({ type: z.literal('renewAttestation'), worker: address, attestation }),
  z.object({ type: z.literal('topUpBond'), worker: address, amountMicroUsdc: bigintInput }),
  z.object({ type: z.literal('releaseJail'), worker: address }),
  z.object({ type: z.literal('registerOracle'), proposer: address, oracle: address }),
  z.object({ type: z.literal('removeOracle'), proposer: address, oracle: address }),
  z.object({
    type: z.literal('postAvailability'),
    oracle: address,
    day: int,
    scores: z.array(z.tuple([address, z.number().int().min(0).max(255)])),
  }),
  z.object({ type: z.literal('closeAvailabilityDay'), day: int }),
  z.object({ type: z.literal('auditVerdict'), oracle: address, jobId: int, resultHash: hex32 }),
  z.object({
    type: z.literal('deployModel'),
    owner: address,
    model: hex32,
    sizeBytes: z.number().int().positive(),
    replicas: z.number().int().min(1).max(64),
    minMemoryBytes: int.optional(),
    region: label.optional(),
    tag: label.optional(),
  }),
  z.object({
    type: z.literal('scaleDeployment'),
    owner: address,
    model: hex32,
    replicas: z.number().int().min(1).max(64),
  }),
  z.object({ type: z.literal('removeDeployment'), owner: address, model: hex32 }),
  z.object({ type: z.literal('replicaReady'), worker: address, model: hex32 }),
  z.object({ type: z.literal('banLicence'), owner: address, worker: address }),
  z.object({ type: z.literal('unbanLicence'), owner: address, worker: address }),
]);

export const loggedActionSchema = z.object({ atMs: int, action: actionSchema });

/** Parses one action from JSON-shaped data; throws a ZodError whose paths name the field. */
export const parseAction = (data: unknown): Action => actionSchema.parse(data) as Action;

/** JSON for actions and states: bigints become decimal strings (what the schemas read back). */
export const toJsonText = (value: unknown, space?: number): string =>
  JSON.stringify(
    value,
    (_k, v) =>
      typeof v === 'bigint'
        ? v.toString()
        : v instanceof Map
          ? Object.fromEntries(v)
          : v instanceof Set
            ? [...v]
            : v,
    space,
  );

/** The plain JSON data `toJsonText` writes (bigints as decimal strings), as a value. */
export const toJsonData = (value: unknown): unknown => JSON.parse(toJsonText(value));
