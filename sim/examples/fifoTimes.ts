import { EngineBoundError } from '../engine/engineErrors.ts';

/** FIFO of timestamps in a growable power-of-two ring buffer; bounded by `lengthMax`. */
export class FifoTimes {
  private buffer = new Float64Array(1024);
  private mask = 1023;
  private head = 0;
  length = 0;
  private readonly lengthMax: number;

  constructor(parameters: { lengthMax: number }) {
    this.lengthMax = parameters.lengthMax;
  }

  push(timeMs: number, nowMs: number): void {
    if (this.length >= this.lengthMax) {
      throw new EngineBoundError({ bound: 'waitingMax', value: this.lengthMax, nowMs });
    }
    if (this.length === this.buffer.length) this.grow();
    this.buffer[(this.head + this.length) & this.mask] = timeMs;
    this.length++;
  }

  /** Removes and returns the oldest timestamp; the caller checks `length > 0`. */
  shift(): number {
    const timeMs = this.buffer[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    return timeMs;
  }

  private grow(): void {
    const next = new Float64Array(this.buffer.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.buffer[(this.head + i) & this.mask]!;
    this.buffer = next;
    this.mask = next.length - 1;
    this.head = 0;
  }
}
