import { describe, expect, it } from 'vitest';
import { parseScenario } from '../sim/scenario/scenarioSchema.ts';
import { chatRequest, laneSlo, rtx4090Worker } from './calibrated.ts';
import {
  calibrationFile,
  calibrationFileSchema,
  calibrationGrid,
  cuOfFlops,
  cuOfTextRequest,
  figure,
  figuresOf,
  flopsPerCu,
  inputTokenWeight,
} from './calibration.ts';
import { scenarios } from './named.ts';

const figures = [...figuresOf(calibrationFile).values()];

describe('scenarios/calibration.json', () => {
  it('gives every figure a unit and every observation a source with title, address and date read', () => {
    expect(figures.length).toBeGreaterThan(20);
    for (const f of figures) {
      expect(f.unit.trim(), f.id).not.toBe('');
      expect(f.observations.length, f.id).toBeGreaterThan(0);
      for (const o of f.observations) {
        const s = calibrationFile.sources[o.source];
        expect(s, `${f.id}: source ${o.source}`).toBeDefined();
        expect(s!.title.length, o.source).toBeGreaterThan(10);
        expect(new URL(s!.url).protocol, o.source).toBe('https:');
        expect(s!.read, o.source).toMatch(/^20\d\d-\d\d-\d\d$/);
      }
    }
    const used = new Set(figures.flatMap((f) => f.observations.map((o) => o.source)));
    expect(Object.keys(calibrationFile.sources).filter((s) => !used.has(s))).toEqual([]);
    for (const [id, a] of Object.entries(calibrationFile.assumptions)) {
      expect(a.unit.trim(), id).not.toBe('');
      expect(a.value !== undefined || (a.low !== undefined && a.high !== undefined), id).toBe(true);
    }
  });

  it('keeps the range the sources disagree by, and takes the median observation as the value', () => {
    for (const f of figures) {
      const points = f.observations.flatMap((o) =>
        o.value !== undefined ? [o.value] : [o.low!, o.high!],
      );
      expect(f.low, f.id).toBe(Math.min(...points));
      expect(f.high, f.id).toBe(Math.max(...points));
      expect(f.value, f.id).toBeGreaterThanOrEqual(f.low);
      expect(f.value, f.id).toBeLessThanOrEqual(f.high);
    }
    // GPU rental prices disagree across providers: the range is kept, not averaged away
    const rent = figure('gpuRentUsdPerHour.rtx4090');
    expect(rent.high / rent.low).toBeGreaterThan(2);
    expect(rent.sources.length).toBeGreaterThan(2);
  });

  it('refuses a figure without a unit, an observation without a source, or a source it does not list', () => {
    // biome-ignore lint/suspicious/noExplicitAny: a deliberately broken copy of the file
    const base = structuredClone(calibrationFile) as Record<string, any>;
    const noUnit = structuredClone(base);
    delete noUnit.figures['model8b.parameters'].unit;
    expect(() => calibrationFileSchema.parse(noUnit)).toThrow(/unit/);
    const noSource = structuredClone(base);
    delete noSource.figures['model8b.parameters'].observations[0].source;
    expect(() => calibrationFileSchema.parse(noSource)).toThrow(/source/);
    const unknown = structuredClone(base);
    unknown.figures['model8b.parameters'].observations[0].source = 'nowhere';
    expect(() => calibrationFileSchema.parse(unknown)).toThrow(/unknown source 'nowhere'/);
    const noDate = structuredClone(base);
    noDate.sources['mlperf-conf'].read = 'today';
    expect(() => calibrationFileSchema.parse(noDate)).toThrow(/date read/);
    expect(() => figure('no.such.figure')).toThrow(/no figure 'no.such.figure'/);
  });

  it('turns a figure range into a sweep grid from its low to its high', () => {
    const g = calibrationGrid('gpuRentUsdPerHour.rtx4090', 4, 24);
    const f = figure('gpuRentUsdPerHour.rtx4090');
    expect(g).toHaveLength(4);
    expect(g[0]).toBeCloseTo(f.low * 24, 2);
    expect(g[3]).toBeCloseTo(f.high * 24, 2);
    expect(g).toEqual([...g].sort((a, b) => a - b));
    expect(() => calibrationGrid('gpuRentUsdPerHour.rtx4090', 1)).toThrow(/count/);
  });
});

describe('compute units', () => {
  it('count output tokens, and input tokens at the median input/output price ratio of the providers', () => {
    expect(cuOfTextRequest({ inputTokens: 0, outputTokens: 211 })).toBe(211);
    const w = inputTokenWeight();
    const out = figure('marketPrice8b.outputUsdPerMTok').observations;
    const inp = figure('marketPrice8b.inputUsdPerMTok').observations;
    const ratios = out
      .filter((o) => o.provider)
      .map((o) => inp.find((i) => i.provider === o.provider)!.value! / o.value!)
      .sort((a, b) => a - b);
    expect(ratios.length % 2).toBe(1);
    expect(w).toBe(ratios[(ratios.length - 1) / 2]);
    expect(w).toBeGreaterThan(0);
    expect(w).toBeLessThanOrEqual(1);
    expect(cuOfTextRequest({ inputTokens: 1000, outputTokens: 0 })).toBeCloseTo(1000 * w, 9);
    expect(chatRequest.cu).toBe(Math.round(chatRequest.outputTokens + w * chatRequest.inputTokens));
  });

  it('price other models by FLOPs: one CU is one output token of the 8B reference model', () => {
    expect(flopsPerCu()).toBe(2 * 8e9);
    expect(cuOfFlops(1)).toBe(1);
    expect(cuOfFlops(16e9)).toBe(1);
    expect(cuOfFlops(16e9 + 1)).toBe(2);
    // ResNet-50 is about 4.1 billion multiply-accumulates per image: 8.2 GFLOPs → 1 CU
    expect(cuOfFlops(8.2e9)).toBe(1);
    expect(() => cuOfFlops(0)).toThrow(/FLOPs/);
  });
});

describe('every named scenario draws its inputs from the calibration file or a measured profile', () => {
  const costLow = rtx4090Worker.electricityUsdcPerDay;
  const costHigh = rtx4090Worker.costUsdcPerDayHigh;
  for (const [name, input] of Object.entries(scenarios)) {
    it(name, () => {
      const s = parseScenario(input, name);
      if (name !== 'bench-capacity') {
        // One model or several (deployment-churn serves three 8B-class chat models), each at
        // the calibrated chat request's CU.
        expect(new Set(s.models.map((m) => m.cuPerRequest))).toEqual(new Set([chatRequest.cu]));
        expect(s.workers.capacityCuPerSecMedian).toBeGreaterThanOrEqual(
          rtx4090Worker.capacityCuPerSecLow,
        );
        expect(s.workers.capacityCuPerSecMedian).toBeLessThanOrEqual(
          rtx4090Worker.capacityCuPerSecHigh,
        );
      }
      expect(s.workers.costUsdcPerDayMedian).toBeGreaterThanOrEqual(costLow);
      expect(s.workers.costUsdcPerDayMedian).toBeLessThanOrEqual(costHigh);
      expect(s.slo).toEqual(laneSlo);
    });
  }
});
