import type { LoadedModel } from '../models/loadedModel.ts';
import type { TensorElement } from '../models/onnxBuilder.ts';
import {
  bytesPerElement,
  elementCount,
  type TensorData,
  viewTensor,
} from '../models/tensorData.ts';

/**
 * The shared memory one worker and the main thread exchange queries through (no structured
 * clone, no message events). A head of Int32 words the two sides wait on and notify, then
 * `depth` cells, each holding one query in flight: a few Int32 words (status, counts, dims),
 * three Float64 times, the input tensor, the output values, token times and an error message.
 * Query k (counted from 1) uses cell (k − 1) mod depth, so while the worker runs query k the
 * main thread can already have written query k + 1: the worker never waits for a hand-off
 * while work is queued. Sized once per model.
 */
export const head = {
  /** The seq of the last query the main thread has written; the worker waits on it. */
  requestSeq: 0,
  /** The seq of the last query the worker has answered; the main thread waits on it. */
  replySeq: 1,
  /** 1: the worker should exit its loop. */
  stop: 2,
} as const;
const headBytes = 64;

/** Int32 words at the start of each cell. */
export const cellCtrl = {
  /** 0 ok, 1 error (message in the error region). */
  status: 0,
  valueCount: 1,
  dimCount: 2,
  tokenTimeCount: 3,
  errorBytes: 4,
  /** Output dims start here (at most dimsMax). */
  dims: 8,
} as const;
export const dimsMax = 8;
const cellCtrlBytes = 64;
/** Float64 words after a cell's control words: startedAtEpochMs, finishedAtEpochMs, runMs. */
const metaBytes = 32;
export const errorBytesMax = 1024;
/** Queries one worker may hold at once (cells per slot). */
export const inFlightPerWorkerMax = 64;

export type SlotLayout = {
  bytes: number;
  depth: number;
  cellBytes: number;
  metaOffset: number;
  /** Each input's place in the cell (8-byte aligned), in the model's feed order. */
  inputs: { element: TensorElement; count: number; offset: number }[];
  valuesOffset: number;
  valuesMax: number;
  tokenTimesOffset: number;
  tokenTimesMax: number;
  errorOffset: number;
};

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** Offsets inside a cell are relative to the cell's start. */
export function slotLayout(
  model: Pick<LoadedModel, 'inputs' | 'output' | 'textGen'>,
  depth: number,
): SlotLayout {
  if (!Number.isInteger(depth) || depth < 1 || depth > inFlightPerWorkerMax) {
    throw new Error(`depth: expected an integer in 1..${inFlightPerWorkerMax}, got ${depth}`);
  }
  const valuesMax = model.textGen
    ? model.textGen.newTokensMax
    : model.output.dims.reduce((a, b) => a * b, 1);
  const tokenTimesMax = model.textGen?.newTokensMax ?? 0;
  const metaOffset = cellCtrlBytes;
  let offset = metaOffset + metaBytes;
  const inputs = model.inputs.map((spec) => {
    const place = { element: spec.element, count: elementCount(spec.dims), offset };
    offset = align8(offset + place.count * bytesPerElement[spec.element]);
    return place;
  });
  const valuesOffset = offset;
  const tokenTimesOffset = valuesOffset + valuesMax * 8;
  const errorOffset = tokenTimesOffset + tokenTimesMax * 8;
  const cellBytes = align8(errorOffset + errorBytesMax);
  return {
    bytes: headBytes + depth * cellBytes,
    depth,
    cellBytes,
    metaOffset,
    inputs,
    valuesOffset,
    valuesMax,
    tokenTimesOffset,
    tokenTimesMax,
    errorOffset,
  };
}

export type CellViews = {
  ctrl: Int32Array;
  meta: Float64Array;
  inputs: TensorData[];
  values: Float64Array;
  tokenTimes: Float64Array;
  error: Uint8Array;
};

export type SlotViews = { head: Int32Array; cells: CellViews[] };

export function slotViews(sab: SharedArrayBuffer, l: SlotLayout): SlotViews {
  const cells = Array.from({ length: l.depth }, (_, i): CellViews => {
    const base = headBytes + i * l.cellBytes;
    return {
      ctrl: new Int32Array(sab, base, cellCtrlBytes / 4),
      meta: new Float64Array(sab, base + l.metaOffset, metaBytes / 8),
      inputs: l.inputs.map((i) => viewTensor(i.element, sab, base + i.offset, i.count)),
      values: new Float64Array(sab, base + l.valuesOffset, l.valuesMax),
      tokenTimes: new Float64Array(sab, base + l.tokenTimesOffset, l.tokenTimesMax),
      error: new Uint8Array(sab, base + l.errorOffset, errorBytesMax),
    };
  });
  return { head: new Int32Array(sab, 0, headBytes / 4), cells };
}

/** Wrap-safe order of Int32 sequence numbers: true when a comes at or after b. */
export const seqAtOrAfter = (a: number, b: number): boolean => ((a - b) | 0) >= 0;
