import { describe, expect, it } from 'vitest';
import type { Address } from '../types.ts';
import { availabilityConsensus, availabilityScore, medianScore } from './availability.ts';

const hb = (fromS: number, toS: number, stepS = 10) =>
  Array.from(
    { length: Math.floor((toS - fromS) / stepS) + 1 },
    (_, i) => (fromS + i * stepS) * 1000,
  );
const A = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address;

describe('availability score (segments)', () => {
  it('a full day of 10 s heartbeats scores 255; none scores 0', () => {
    expect(availabilityScore(hb(0, 86_400))).toBe(255);
    expect(availabilityScore([])).toBe(0);
    expect(availabilityScore([5_000])).toBe(0);
  });

  it('half a day scores round(43,200 / 86,400 · 255) = 128', () => {
    expect(availabilityScore(hb(0, 43_200))).toBe(128);
  });

  it('a gap > 15 s ends a segment and loses the gap: one lost heartbeat costs 20 s', () => {
    // 0..1000 s and 1020..2000 s: spans 1000 + 980 = 1980 s → round(1980 · 255 / 86400) = 6
    const beats = [...hb(0, 1_000), ...hb(1_020, 2_000)];
    expect(availabilityScore(beats)).toBe(Math.round((1_980 * 255) / 86_400));
    // A 15 s gap does not break: 0..1000 then 1015..2015 = one 2015 s segment.
    expect(availabilityScore([...hb(0, 1_000), ...hb(1_015, 2_015)])).toBe(
      Math.round((2_015 * 255) / 86_400),
    );
  });

  it('a gap < 5 s (a flapping node sending bursts) also ends a segment', () => {
    // 0..3600, then a heartbeat 2 s later, then 3612..7200 every 10 s: segments 3600, 0, 3588.
    const beats = [...hb(0, 3_600), 3_602_000, ...hb(3_612, 7_200)];
    expect(availabilityScore(beats)).toBe(Math.round((7_188 * 255) / 86_400));
  });
});

describe('availability consensus', () => {
  const oracles = [A(101), A(102), A(103), A(104), A(105)];
  const workers = [A(1), A(2)];
  const report = (w1: number, w2: number, oracleScore = 255) =>
    new Map<Address, number>([
      [A(1), w1],
      [A(2), w2],
      ...oracles.map((o) => [o, oracleScore] as [Address, number]),
    ]);
  const base = {
    registeredOracles: oracles,
    onlineOracles: oracles,
    workers,
    oracleMinScore: 230,
    quorumOfRegistered: { num: 30n, den: 100n },
    quorumOfOnline: { num: 40n, den: 100n },
  };

  it('takes the most frequent value held by more than half', () => {
    const reports = new Map(
      oracles.map((o, i) => [o, report(i < 3 ? 200 : 199, i < 2 ? 100 : i < 4 ? 90 : 80)]),
    );
    const c = availabilityConsensus({ ...base, reports });
    expect(c.faulty).toBe(false);
    expect(c.scores.get(A(1))).toBe(200); // 3 of 5
    expect(c.scores.get(A(2))).toBe(255); // 100:2, 90:2, 80:1 → no majority → benefit of doubt
    expect(c.unagreed).toEqual([A(2)]);
  });

  it('oracles scored below 230 by the others sit out', () => {
    const reports = new Map(oracles.map((o) => [o, report(50, 50)]));
    // Everyone reports oracle 101 at 100 and 102 at 100: both sit out.
    for (const r of reports.values()) {
      r.set(A(101), 100);
      r.set(A(102), 100);
    }
    reports.get(A(101))!.set(A(1), 255);
    reports.get(A(102))!.set(A(1), 255);
    const c = availabilityConsensus({ ...base, reports });
    expect(c.participants).toEqual([A(103), A(104), A(105)]);
    expect(c.scores.get(A(1))).toBe(50);
  });

  it('too few participants make the day faulty: everyone gets 255', () => {
    // 1 of 5 registered (20 % ≤ 30 %) → faulty.
    const reports = new Map([[A(101), report(10, 10)]]);
    const c = availabilityConsensus({ ...base, reports });
    expect(c.faulty).toBe(true);
    expect([...c.scores.values()]).toEqual([255, 255]);
    // 2 of 5 registered (40 % > 30 %) but 2 of 4 online is 50 % > 40 % → quorum holds.
    const two = new Map([
      [A(101), report(10, 10)],
      [A(102), report(10, 10)],
    ]);
    expect(
      availabilityConsensus({ ...base, reports: two, onlineOracles: oracles.slice(0, 4) }).faulty,
    ).toBe(false);
    // …but with all 5 online, 2 of 5 = 40 % is not > 40 %: faulty.
    expect(availabilityConsensus({ ...base, reports: two }).faulty).toBe(true);
  });

  it('median of scores takes the lower middle', () => {
    expect(medianScore([3, 1, 2])).toBe(2);
    expect(medianScore([4, 1, 3, 2])).toBe(2);
  });
});

// Written for surviving mutants (docs/auditing.md): the boundaries of segments, participation
// and agreement, and the order of heartbeats and tie-breaks.
describe('availability boundaries', () => {
  it('segments: unsorted input, two heartbeats, gaps of exactly 5 s and 15 s', () => {
    const day = hb(0, 86_400);
    expect(availabilityScore([...day].reverse())).toBe(255);
    expect(availabilityScore([0, 86_400_000])).toBe(0); // one 86,400 s gap: two empty segments
    expect(availabilityScore([86_400_000 - 43_200_000, 86_400_000].concat(hb(0, 43_190)))).toBe(
      availabilityScore([...hb(0, 43_190), 43_200_000, 86_400_000]),
    );
    // Exactly 5 s keeps the segment; 4.999 s breaks it (and loses the gap).
    expect(availabilityScore([0, 5_000, 10_000])).toBe(Math.round((10 * 255) / 86_400));
    expect(availabilityScore([...hb(0, 8_000), 8_004_999])).toBe(
      Math.round((8_000 * 255) / 86_400),
    );
    expect(availabilityScore([...hb(0, 8_000), 8_015_000])).toBe(
      Math.round((8_015 * 255) / 86_400),
    );
    expect(availabilityScore([...hb(0, 8_000), 8_015_001])).toBe(
      Math.round((8_000 * 255) / 86_400),
    );
    // Spans chosen so a break changes the rounded score (1.5 points = 508.2 s).
    expect(availabilityScore(hb(0, 510, 5))).toBe(2); // gaps of exactly 5 s: one 510 s segment
    expect(availabilityScore(hb(0, 510, 15))).toBe(2); // gaps of exactly 15 s: one segment
    // Segments that do not start at 0 count their own span: 510 s + 100 s.
    expect(availabilityScore([...hb(1_000, 1_510), ...hb(1_600, 1_700)])).toBe(
      Math.round((610 * 255) / 86_400),
    );
    expect(medianScore([])).toBe(0);
    expect(medianScore([9, 1, 5])).toBe(5);
  });

  const base = {
    oracleMinScore: 230,
    quorumOfRegistered: { num: 30n, den: 100n },
    quorumOfOnline: { num: 40n, den: 100n },
  };
  const oracles = [A(101), A(102), A(103), A(104)];

  it('an oracle whose median score is exactly the minimum takes part; one below sits out', () => {
    const report = (about: number) =>
      new Map<Address, number>([
        [A(1), 200],
        ...oracles.map((o) => [o, about] as [Address, number]),
      ]);
    const reports = new Map(oracles.map((o) => [o, report(230)]));
    reports.set(A(104), new Map([[A(1), 200]]));
    for (const o of oracles.slice(0, 3)) reports.get(o)!.set(A(104), 229);
    const c = availabilityConsensus({
      ...base,
      reports,
      registeredOracles: oracles,
      onlineOracles: oracles,
      workers: [A(1)],
    });
    expect(c.participants).toEqual(oracles.slice(0, 3));
    expect(c.scores.get(A(1))).toBe(200);
  });

  it('agreement needs more than half (exactly half is not enough); a faulty day says why', () => {
    const reports = new Map<Address, Map<Address, number>>(
      oracles.map((o, i) => [
        o,
        new Map<Address, number>([
          [A(1), i < 2 ? 100 : 90],
          [A(2), i < 3 ? 0 : 7],
          ...oracles.map((x) => [x, 255] as [Address, number]),
        ]),
      ]),
    );
    const c = availabilityConsensus({
      ...base,
      reports,
      registeredOracles: oracles,
      onlineOracles: oracles,
      workers: [A(1), A(2)],
    });
    expect(c).toMatchObject({ faulty: false, reason: null, unagreed: [A(1)] });
    expect(c.scores).toEqual(
      new Map([
        [A(1), 255],
        [A(2), 0],
      ]),
    );
    const few = availabilityConsensus({
      ...base,
      reports: new Map([[A(101), reports.get(A(101))!]]),
      registeredOracles: oracles,
      onlineOracles: oracles,
      workers: [A(1)],
    });
    expect(few).toMatchObject({
      faulty: true,
      reason: '1 participating of 4 registered, 4 online',
      unagreed: [],
    });
  });
});
