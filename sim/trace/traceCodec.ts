import { toJsonText } from '../../protocol/actionSchema.ts';
import {
  type Action,
  type Address,
  type Hex,
  type ProtocolEvent,
  receiptOfJob,
  type State,
} from '../../protocol/index.ts';
import { simReceiptId, simSignatureOf } from '../../protocol/receipts/simVerifier.ts';
import { requestHashOf } from '../network/addresses.ts';

/**
 * The compact action lines of trace format 3. A simulated run's actions are mostly predictable
 * from the protocol state just before them (a receipt repeats its job's fields and its worker's
 * chain head; a submission repeats its model's units and the next request counter), so a line
 * carries only what the state cannot say:
 *
 *   <dt><code><fields>
 *
 * `dt` is the time since the previous action in base 36 (empty for 0); `code` one upper-case
 * letter; fields are comma-separated, base 36 for numbers, and an address or other hex string
 * is `~` + its hex digits the first time it appears and its index in the trace's dictionary
 * after. Codes: `D` dispatch, `X` expireJobs, `S` submitJob, `C` completeJob, `V` auditVerdict.
 * Any action the encoder cannot predict exactly is written as JSON `{atMs, action}` instead
 * (one line, as in formats 1 and 2). The decoder rebuilds each action from the line and the
 * state before it; a replay then applies it, and the state hashes recorded in the trace say
 * whether every action came back exactly.
 *
 * Encoder and decoder keep the same context (previous time, dictionary, last request counter,
 * units per model, last job ids), updated in the same order for every action line.
 */

type Context = {
  atMs: number;
  /** Each sponsor's last reservation id in a submission: the default for its next one. */
  reservationOf: Map<string, number>;
  dict: string[];
  index: Map<string, number>;
  /** The next request hash the simulator's counter would give, or null when unknown. */
  nextRequest: Counter | null;
  /** The same as text (requestHashOf it, as the simulator writes it), converted once per submission. */
  nextRequestHash: Hex | null;
  unitsByModel: Map<string, bigint>;
  lastCompleteJobId: number;
  lastVerdictJobId: number;
};

const newContext = (): Context => ({
  atMs: 0,
  reservationOf: new Map(),
  dict: [],
  index: new Map(),
  nextRequest: null,
  nextRequestHash: null,
  unitsByModel: new Map(),
  lastCompleteJobId: 0,
  lastVerdictJobId: 0,
});

const b36 = (n: number): string => n.toString(36);

const signed36 = (n: number): string => (n < 0 ? `-${b36(-n)}` : b36(n));
const isHex = (v: string) => /^0x[0-9a-f]+$/.test(v);

/** `line.replace(/,+$/, '')` without a regular expression (the hot path writes one a job). */
function withoutTrailingCommas(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 44) end--;
  return end === line.length ? line : line.slice(0, end);
}

const counterOf = (h: string): Counter | null =>
  /^0x[0-9a-f]{64}$/.test(h) ? counter(BigInt(h)) : null;

/**
 * A request counter: a number while it is exactly one (the simulator's always is), whose hex
 * text costs half a bigint's; a bigint past 2^53.
 */
type Counter = number | bigint;
const counter = (n: bigint): Counter => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);
const nextCounter = (n: Counter): Counter =>
  typeof n === 'number' && n < Number.MAX_SAFE_INTEGER ? n + 1 : BigInt(n) + 1n;

/** The simulator's fake result for a request: the last hex digit flipped (sim/network). */
const flipped = (requestHash: string): string =>
  `0x${requestHash.slice(2, 65)}${requestHash.endsWith('f') ? 'e' : 'f'}`;

function afterSubmit(c: Context, a: Extract<Action, { type: 'submitJob' }>): void {
  // A submission that used the predicted hash needs no parsing.
  const n =
    c.nextRequestHash !== null && a.requestHash === c.nextRequestHash
      ? c.nextRequest
      : counterOf(a.requestHash);
  c.nextRequest = n === null ? null : nextCounter(n);
  c.nextRequestHash = c.nextRequest === null ? null : (requestHashOf(c.nextRequest) as Hex);
  c.unitsByModel.set(a.model, a.units);
  if (a.reservationId !== undefined) c.reservationOf.set(a.requester, a.reservationId);
}

function ref(c: Context, value: string): string {
  const i = c.index.get(value);
  if (i !== undefined) return b36(i);
  c.index.set(value, c.dict.length);
  c.dict.push(value);
  return `~${value.slice(2)}`;
}

function deref(c: Context, field: string): string {
  if (field.startsWith('~')) {
    // Joined: a flat string (addresses are read character by character at every receipt).
    const value = ['0x', field.slice(1)].join('');
    c.index.set(value, c.dict.length);
    c.dict.push(value);
    return value;
  }
  const v = c.dict[Number.parseInt(field, 36)];
  if (v === undefined) throw new Error(`dictionary index ${field} not defined`);
  return v;
}

/** Turns accepted actions into lines, given the state right after each (the run's live state). */
export class TraceEncoder {
  private c = newContext();
  /** Chain heads as of before the next completion of each worker (the decoder reads them from its state). */
  private heads = new Map<Address, Hex>();
  /** Jobs pushed to a worker (JobDispatched) and not yet completed: the decoder reads job.worker. */
  private runningOn = new Map<number, Address>();

  encode(
    atMs: number,
    action: Action,
    after: State | null,
    events: readonly ProtocolEvent[] = [],
  ): string {
    const line = after ? this.compact(atMs, action, after) : null;
    this.c.atMs = atMs;
    this.observe(action, after);
    for (const e of events)
      if (e.type === 'JobDispatched') this.runningOn.set(e.jobId, e.worker);
      else if (e.type === 'JobCompleted' || e.type === 'JobExpired' || e.type === 'JobFailed')
        this.runningOn.delete(e.jobId);
    return line ?? toJsonText({ atMs, action });
  }

  private observe(action: Action, after: State | null): void {
    if (action.type === 'completeJob' || action.type === 'registerWorker') {
      const w = after?.workers.get(
        action.type === 'completeJob' ? action.receipt.worker : action.worker,
      );
      if (w) this.heads.set(w.address, w.chainHead);
    }
    if (action.type === 'submitJob') afterSubmit(this.c, action);
  }

  /** isHex, skipped for a string already in the dictionary (only hex strings enter it). */
  private knownHex(v: string): boolean {
    return this.c.index.has(v) || isHex(v);
  }

  private compact(atMs: number, a: Action, s: State): string | null {
    if (atMs < this.c.atMs) return null;
    const dt = atMs === this.c.atMs ? '' : b36(atMs - this.c.atMs);
    switch (a.type) {
      case 'dispatch':
        return `${dt}D`;
      case 'expireJobs':
        return `${dt}X`;
      case 'submitJob':
        return this.submit(dt, a);
      case 'completeJob':
        return this.complete(dt, atMs, a, s);
      case 'auditVerdict':
        return this.verdict(dt, a, s);
      default:
        return null;
    }
  }

  private submit(dt: string, a: Extract<Action, { type: 'submitJob' }>): string | null {
    if (
      !this.knownHex(a.requester) ||
      !this.knownHex(a.model) ||
      typeof a.units !== 'bigint' ||
      a.units < 0n
    )
      return null;
    const predicted = this.c.nextRequestHash === a.requestHash;
    if ((a.lane !== 0 && a.lane !== 1) || (!predicted && !/^0x[0-9a-f]{64}$/.test(a.requestHash)))
      return null;
    if (a.reservationId !== undefined && !Number.isSafeInteger(a.reservationId)) return null;
    if (a.deadlineMs !== undefined && !Number.isSafeInteger(a.deadlineMs)) return null;
    // A sealed job goes out as a JSON line (its mode has no compact field); rare, so no code of its own.
    if (a.sealed !== undefined) return null;
    if ((a.reservationId ?? 0) < 0 || (a.deadlineMs ?? 0) < 0) return null;
    const units = this.c.unitsByModel.get(a.model) === a.units ? '' : a.units.toString(36);
    const fields = [
      `${a.lane}${ref(this.c, a.requester)}`,
      ref(this.c, a.model),
      units,
      a.reservationId === undefined
        ? ''
        : a.reservationId === this.c.reservationOf.get(a.requester)
          ? '='
          : b36(a.reservationId),
      a.deadlineMs === undefined ? '' : b36(a.deadlineMs),
      predicted ? '' : a.requestHash.slice(2),
    ];
    return `${dt}S${withoutTrailingCommas(fields.join(','))}`;
  }

  private complete(
    dt: string,
    atMs: number,
    a: Extract<Action, { type: 'completeJob' }>,
    s: State,
  ): string | null {
    const r = a.receipt;
    const job = s.jobs.get(r.jobId);
    const head = this.heads.get(r.worker);
    if (job?.status !== 'completed' || job.receiptId === null || head === undefined) return null;
    const same =
      r.lane === job.lane &&
      r.requester === job.requester &&
      r.model === job.model &&
      r.requestHash === job.requestHash &&
      r.units === job.units &&
      r.price === job.priceMicroUsdcPerCu &&
      r.finishedAt === atMs &&
      r.prev === head &&
      this.knownHex(r.worker) &&
      a.signature === simSignatureOf(r.worker, job.receiptId);
    if (!same) return null;
    const result =
      r.resultHash === r.requestHash
        ? 'r'
        : r.resultHash === flipped(r.requestHash)
          ? 'f'
          : isHex(r.resultHash)
            ? `~${r.resultHash.slice(2)}`
            : null;
    if (result === null) return null;
    const id = signed36(r.jobId - this.c.lastCompleteJobId);
    this.c.lastCompleteJobId = r.jobId;
    // The worker is the job's (omitted) unless the job was leased (pulled, bound now).
    const worker = this.runningOn.get(r.jobId) === r.worker ? '' : ref(this.c, r.worker);
    return withoutTrailingCommas(`${dt}C${id},${worker},${result === 'r' ? '' : result}`);
  }

  private verdict(
    dt: string,
    a: Extract<Action, { type: 'auditVerdict' }>,
    s: State,
  ): string | null {
    const job = s.jobs.get(a.jobId);
    if (!job || !this.knownHex(a.oracle) || !Number.isSafeInteger(a.jobId)) return null;
    const result =
      a.resultHash === job.requestHash
        ? 'r'
        : a.resultHash === job.resultHash
          ? 's'
          : isHex(a.resultHash)
            ? `~${a.resultHash.slice(2)}`
            : null;
    if (result === null) return null;
    const id = signed36(a.jobId - this.c.lastVerdictJobId);
    this.c.lastVerdictJobId = a.jobId;
    return `${dt}V${ref(this.c, a.oracle)},${id},${result}`;
  }
}

/** Where a compact line's code letter stands: after its base-36 time step, or -1 if it has none. */
function codeAt(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 65 && c <= 90) return i; // A-Z: the code
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) return -1; // not 0-9 a-z
  }
  return -1;
}

/**
 * `rest.split(',')` into `out` (reused), fields past the last as '': a compact line's trailing
 * empty fields are left off, and the decoder reads them as empty. Without split: its runtime
 * call cost more than the rest of decoding a line.
 */
function fieldsOf(rest: string, out: string[]): string[] {
  let n = 0;
  let from = 0;
  for (;;) {
    const comma = rest.indexOf(',', from);
    if (comma < 0) break;
    out[n++] = rest.slice(from, comma);
    from = comma + 1;
  }
  out[n++] = rest.slice(from);
  while (n < 6) out[n++] = '';
  out.length = n;
  return out;
}

/** Rebuilds the actions of compact lines from the state right before each. */
export class TraceDecoder {
  private c = newContext();
  /** The current line's fields (reused: a line has at most six). */
  private readonly fields: string[] = [];

  /** True for the lines this decoder reads (JSON lines start with `{`). */
  static isCompact(line: string): boolean {
    return line.length > 0 && line[0] !== '{';
  }

  decode(line: string, before: State): { atMs: number; action: Action } {
    // `<dt><code><fields>`, read without a regular expression (replay reads one per action).
    const at = codeAt(line);
    if (at < 0) throw new Error(`not a compact action line: ${line.slice(0, 40)}`);
    const atMs = this.c.atMs + (at > 0 ? Number.parseInt(line.slice(0, at), 36) : 0);
    const action = this.action(line[at]!, line.slice(at + 1), atMs, before);
    this.c.atMs = atMs;
    return { atMs, action };
  }

  /** A JSON action line went by: keep the context in step with the encoder's. */
  observe(atMs: number, action: Action): void {
    this.c.atMs = atMs;
    if (action.type === 'submitJob') afterSubmit(this.c, action);
  }

  private action(code: string, rest: string, atMs: number, s: State): Action {
    // Dispatches (a third of a run's lines) and expiries have no fields to split.
    if (code === 'D') return { type: 'dispatch' };
    if (code === 'X') return { type: 'expireJobs' };
    const f = fieldsOf(rest, this.fields);
    switch (code) {
      case 'S': {
        const lane = Number(f[0]![0]);
        const requester = deref(this.c, f[0]!.slice(1)) as Address;
        const model = deref(this.c, f[1]!);
        const units = f[2] ? BigInt(Number.parseInt(f[2], 36)) : this.c.unitsByModel.get(model);
        if (units === undefined) throw new Error(`S: no units known for model ${model}`);
        let requestHash: Hex;
        if (f[5]) requestHash = `0x${f[5]}`;
        else if (this.c.nextRequestHash !== null) requestHash = this.c.nextRequestHash;
        else throw new Error('S: no request counter to continue');
        const a: Extract<Action, { type: 'submitJob' }> = {
          type: 'submitJob',
          lane: lane as 0 | 1,
          requester,
          model,
          units,
          requestHash,
        };
        // Assigned, not spread (one object a job); the keys keep this order.
        if (f[3] === '=') a.reservationId = this.c.reservationOf.get(requester)!;
        else if (f[3]) a.reservationId = Number.parseInt(f[3], 36);
        if (f[4]) a.deadlineMs = Number.parseInt(f[4], 36);
        afterSubmit(this.c, a);
        return a;
      }
      case 'C': {
        const jobId = this.c.lastCompleteJobId + Number.parseInt(f[0]!, 36);
        this.c.lastCompleteJobId = jobId;
        const job = s.jobs.get(jobId);
        const worker = (f[1] ? deref(this.c, f[1]) : job?.worker) as Address | undefined;
        const w = worker ? s.workers.get(worker) : undefined;
        if (!job || !worker || !w)
          throw new Error(`C: job ${jobId} or its worker ${worker} not in the state`);
        const resultHash = (
          !f[2] ? job.requestHash : f[2] === 'f' ? flipped(job.requestHash) : `0x${f[2].slice(1)}`
        ) as Hex;
        // Frozen, as the simulator's: its id is then hashed once for the signature and the step.
        const receipt = Object.freeze(
          receiptOfJob(job, {
            worker,
            resultHash,
            finishedAt: atMs,
            prev: w.chainHead,
          }),
        );
        return {
          type: 'completeJob',
          receipt,
          signature: simSignatureOf(worker, simReceiptId(receipt)),
        };
      }
      case 'V': {
        const oracle = deref(this.c, f[0]!) as Address;
        const jobId = this.c.lastVerdictJobId + Number.parseInt(f[1]!, 36);
        this.c.lastVerdictJobId = jobId;
        const job = s.jobs.get(jobId);
        if (!job) throw new Error(`V: job ${jobId} not in the state`);
        if (f[2] === '') throw new Error('V: no result field');
        const resultHash = (
          f[2] === 'r' ? job.requestHash : f[2] === 's' ? job.resultHash : `0x${f[2]!.slice(1)}`
        ) as Hex;
        return { type: 'auditVerdict', oracle, jobId, resultHash };
      }
      default:
        throw new Error(`unknown action code ${code}`);
    }
  }
}
