import { z } from 'zod';
import { InputError } from '../../protocol/errors.ts';

/**
 * What a node can serve, measured: the simulator loads this (capacity-profile.json) to give
 * simulated workers realistic CU/s and latency. One entry per (model, scenario, provider).
 */
export const latencySummarySchema = z.object({
  count: z.number().int().nonnegative(),
  minMs: z.number(),
  meanMs: z.number(),
  p50Ms: z.number(),
  p90Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
});

export const machineSchema = z.object({
  cpuModel: z.string(),
  logicalCores: z.number().int().positive(),
  totalMemoryBytes: z.number().int().positive(),
  platform: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  gpus: z.array(z.string()),
});

const provider = z.enum(['cpu', 'cuda', 'tensorrt', 'webgpu']);

export const capacityEntrySchema = z.object({
  modelName: z.string().min(1),
  /** sha256 hex of the model bytes (the receipt's model field without 0x). */
  modelId: z.string().regex(/^[0-9a-f]{64}$/),
  cuPer: z.enum(['request', 'token']),
  cuPerUnit: z.number().int().positive(),
  scenario: z.enum(['single-stream', 'server', 'offline']),
  requestedProvider: provider,
  provider,
  valid: z.boolean(),
  cuPerSecond: z.number().nonnegative(),
  queriesPerSecond: z.number().nonnegative(),
  tokensPerSecond: z.number().nonnegative().nullable(),
  /** Server: the QPS the run was held to (the highest valid one when searched). */
  targetQps: z.number().positive().nullable(),
  latencyBoundMs: z.number().positive().nullable(),
  latency: latencySummarySchema.nullable(),
  firstToken: latencySummarySchema.nullable(),
  timePerOutputToken: latencySummarySchema.nullable(),
  workers: z.number().int().positive(),
  intraOpThreads: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
});

export const capacityProfileSchema = z.object({
  schema: z.literal('onesim/capacity-profile/v1'),
  machine: machineSchema,
  ortVersion: z.string(),
  gitCommit: z.string(),
  entries: z.array(capacityEntrySchema),
});

export type CapacityEntry = z.infer<typeof capacityEntrySchema>;
export type CapacityProfile = z.infer<typeof capacityProfileSchema>;

/** Bad capacity-profile JSON; the message names the first bad field. */
export class CapacityProfileParseError extends InputError {
  override name = 'CapacityProfileParseError';
  declare readonly field: string;
  constructor(field: string, detail: string, cause?: unknown) {
    super(
      `capacity profile: ${field}: ${detail}`,
      field,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** Parses and validates a capacity profile (e.g. the text of capacity-profile.json). */
export function parseCapacityProfile(json: string): CapacityProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new CapacityProfileParseError('(root)', 'not JSON', error);
  }
  const parsed = capacityProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CapacityProfileParseError(
      issue.path.join('.') || '(root)',
      issue.message,
      parsed.error,
    );
  }
  return parsed.data;
}

/**
 * Adds or replaces the entry for the same (model, scenario, provider), keeping entries sorted
 * so the file is stable. Entries from another machine are dropped: a profile is one machine.
 */
export function mergeCapacityEntry(
  previous: CapacityProfile | null,
  next: CapacityProfile,
): CapacityProfile {
  const key = (e: CapacityEntry) => `${e.modelName}\u0000${e.scenario}\u0000${e.provider}`;
  const sameMachine =
    previous !== null && JSON.stringify(previous.machine) === JSON.stringify(next.machine);
  const byKey = new Map<string, CapacityEntry>();
  for (const e of sameMachine ? previous.entries : []) byKey.set(key(e), e);
  for (const e of next.entries) byKey.set(key(e), e);
  const entries = [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => e);
  return { ...next, entries };
}
