import type { ProtocolEvent } from '../events.ts';
import type { ReceiptVerifier } from '../receipts/receipt.ts';
import type { Rejection } from '../rejections.ts';
import type { State } from '../types.ts';

/** What a handler sees: the state it may mutate once validation passed, the time, the effects. */
export interface StepContext {
  state: State;
  nowMs: number;
  verifier: ReceiptVerifier;
  events: ProtocolEvent[];
}

/** A handler validates first and mutates only when it returns null (accepted). */
export type Handler<A> = (ctx: StepContext, action: A) => Rejection | null;
