import type { ZooModel } from '../models/registry.ts';

/**
 * The shared memory one worker and the main thread exchange a query through (no structured
 * clone, no message events): a control block of Int32 words the two sides wait on and notify,
 * then fixed regions for the input tensor, the output values, token times, the output digest
 * and an error message. Sized once per model.
 */
export const ctrl = {
  /** Bumped by the main thread when a query is ready; the worker waits on it. */
  requestSeq: 0,
  /** Set by the worker to the request's seq when the reply is ready; the main thread waits on it. */
  replySeq: 1,
  /** 0 ok, 1 error (message in the error region). */
  status: 2,
  valueCount: 3,
  dimCount: 4,
  tokenTimeCount: 5,
  errorBytes: 6,
  /** 1: the worker should exit its loop. */
  stop: 7,
  /** Output dims start here (at most dimsMax). */
  dims: 8,
} as const;
export const dimsMax = 8;
const ctrlBytes = 64;
/** Float64 words after the control block: startedAtEpochMs, finishedAtEpochMs, runMs. */
const metaBytes = 64;
const digestBytes = 64;
export const errorBytesMax = 1024;

export type SlotLayout = {
  bytes: number;
  metaOffset: number;
  digestOffset: number;
  inputOffset: number;
  inputLength: number;
  inputElement: 'float32' | 'int64';
  valuesOffset: number;
  valuesMax: number;
  tokenTimesOffset: number;
  tokenTimesMax: number;
  errorOffset: number;
};

const align8 = (n: number) => Math.ceil(n / 8) * 8;

export function slotLayout(model: ZooModel): SlotLayout {
  const inputLength = model.input.dims.reduce((a, b) => a * b, 1);
  const inputElement = model.textGen ? 'int64' : 'float32';
  const valuesMax = model.textGen
    ? model.textGen.newTokensMax
    : model.output.dims.reduce((a, b) => a * b, 1);
  const tokenTimesMax = model.textGen?.newTokensMax ?? 0;
  const metaOffset = ctrlBytes;
  const digestOffset = metaOffset + metaBytes;
  const inputOffset = digestOffset + digestBytes;
  const valuesOffset = align8(inputOffset + inputLength * (inputElement === 'int64' ? 8 : 4));
  const tokenTimesOffset = valuesOffset + valuesMax * 8;
  const errorOffset = tokenTimesOffset + tokenTimesMax * 8;
  return {
    bytes: errorOffset + errorBytesMax,
    metaOffset,
    digestOffset,
    inputOffset,
    inputLength,
    inputElement,
    valuesOffset,
    valuesMax,
    tokenTimesOffset,
    tokenTimesMax,
    errorOffset,
  };
}

export type SlotViews = {
  ctrl: Int32Array;
  meta: Float64Array;
  digest: Uint8Array;
  input: Float32Array | BigInt64Array;
  values: Float64Array;
  tokenTimes: Float64Array;
  error: Uint8Array;
};

export function slotViews(sab: SharedArrayBuffer, l: SlotLayout): SlotViews {
  return {
    ctrl: new Int32Array(sab, 0, ctrlBytes / 4),
    meta: new Float64Array(sab, l.metaOffset, metaBytes / 8),
    digest: new Uint8Array(sab, l.digestOffset, digestBytes),
    input:
      l.inputElement === 'int64'
        ? new BigInt64Array(sab, l.inputOffset, l.inputLength)
        : new Float32Array(sab, l.inputOffset, l.inputLength),
    values: new Float64Array(sab, l.valuesOffset, l.valuesMax),
    tokenTimes: new Float64Array(sab, l.tokenTimesOffset, l.tokenTimesMax),
    error: new Uint8Array(sab, l.errorOffset, errorBytesMax),
  };
}
