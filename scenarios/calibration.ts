import { z } from 'zod';
import raw from './calibration.json' with { type: 'json' };

/**
 * The calibration file (scenarios/calibration.json): public figures with units and sources, and
 * the few assumptions no source fixes. Scenarios take worker capacity, worker cost, model CU
 * and demand from here; `calibrationGrid` turns a figure's range into sweep values.
 *
 * Compute units (CU), tied to something real:
 * - text models: CU = output tokens + w × input tokens, w = the median (over the providers that
 *   list both) of the input-token price over the output-token price of the reference 8B-class
 *   model, i.e. what the market charges for reading a token relative to writing one;
 * - other models: CU per request = FLOPs per request ÷ the FLOPs of one output token of the
 *   reference 8B model (2 × 8 billion), rounded up, at least 1; the FLOPs are those the
 *   inference harness counts from the model graph (capacity profiles).
 */

const observationSchema = z
  .object({
    value: z.number().nonnegative().optional(),
    low: z.number().nonnegative().optional(),
    high: z.number().nonnegative().optional(),
    source: z.string().min(1),
    note: z.string().optional(),
    provider: z.string().optional(),
  })
  .strict()
  .refine(
    (o) =>
      o.value !== undefined
        ? o.low === undefined && o.high === undefined
        : o.low !== undefined && o.high !== undefined && o.low <= o.high,
    'an observation has either value, or low ≤ high',
  );

const sourceSchema = z
  .object({
    title: z.string().min(1),
    url: z.string().url(),
    read: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date read, YYYY-MM-DD'),
  })
  .strict();

const assumptionSchema = z
  .object({
    unit: z.string().min(1),
    value: z.number().optional(),
    low: z.number().optional(),
    high: z.number().optional(),
    why: z.string().min(20),
  })
  .strict();

export const calibrationFileSchema = z
  .object({
    schema: z.literal('onesim/calibration/v1'),
    about: z.string(),
    sources: z.record(z.string(), sourceSchema),
    figures: z.record(
      z.string(),
      z
        .object({
          unit: z.string().min(1),
          what: z.string().min(1),
          observations: z.array(observationSchema).min(1),
        })
        .strict(),
    ),
    assumptions: z.record(z.string(), assumptionSchema),
  })
  .strict()
  .superRefine((f, ctx) => {
    for (const [id, fig] of Object.entries(f.figures))
      fig.observations.forEach((o, i) => {
        if (!(o.source in f.sources))
          ctx.addIssue({
            code: 'custom',
            path: ['figures', id, 'observations', i, 'source'],
            message: `unknown source '${o.source}'`,
          });
      });
  });

export type CalibrationFile = z.infer<typeof calibrationFileSchema>;
export type Observation = z.infer<typeof observationSchema>;

export interface Figure {
  id: string;
  unit: string;
  what: string;
  /** The median of the observations, a range counting as its midpoint. */
  value: number;
  /** The range seen across the observations. */
  low: number;
  high: number;
  observations: Observation[];
  sources: Array<{ id: string; title: string; url: string; read: string }>;
}

export class CalibrationError extends Error {
  override name = 'CalibrationError';
}

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const point = (o: Observation): number => o.value ?? (o.low! + o.high!) / 2;

/** A calibration file's figures with their values and ranges worked out. */
export function figuresOf(file: CalibrationFile): Map<string, Figure> {
  const out = new Map<string, Figure>();
  for (const [id, f] of Object.entries(file.figures)) {
    const lows = f.observations.map((o) => o.value ?? o.low!);
    const highs = f.observations.map((o) => o.value ?? o.high!);
    const ids = [...new Set(f.observations.map((o) => o.source))];
    out.set(id, {
      id,
      unit: f.unit,
      what: f.what,
      value: median(f.observations.map(point)),
      low: Math.min(...lows),
      high: Math.max(...highs),
      observations: f.observations,
      sources: ids.map((s) => ({ id: s, ...file.sources[s]! })),
    });
  }
  return out;
}

export const calibrationFile: CalibrationFile = calibrationFileSchema.parse(raw);
const figures = figuresOf(calibrationFile);

/** A figure by id; throws naming the id when the file lacks it. */
export function figure(id: string): Figure {
  const f = figures.get(id);
  if (!f)
    throw new CalibrationError(`calibration: no figure '${id}' in scenarios/calibration.json`);
  return f;
}

export function assumption(id: string): CalibrationFile['assumptions'][string] {
  const a = calibrationFile.assumptions[id];
  if (!a)
    throw new CalibrationError(`calibration: no assumption '${id}' in scenarios/calibration.json`);
  return a;
}

/** `count` values evenly spread over a figure's range (scaled by `scale`), for a sweep grid. */
export function calibrationGrid(id: string, count: number, scale = 1, digits = 3): number[] {
  if (!(Number.isInteger(count) && count >= 2))
    throw new CalibrationError(`calibrationGrid: count must be an integer ≥ 2, got ${count}`);
  const f = figure(id);
  return Array.from({ length: count }, (_, i) =>
    Number(((f.low + ((f.high - f.low) * i) / (count - 1)) * scale).toPrecision(digits)),
  );
}

/** Input tokens' weight in CU: median over providers of input price ÷ output price. */
export function inputTokenWeight(): number {
  const out = figure('marketPrice8b.outputUsdPerMTok').observations;
  const inp = figure('marketPrice8b.inputUsdPerMTok').observations;
  const ratios: number[] = [];
  for (const o of out) {
    const i = o.provider ? inp.find((x) => x.provider === o.provider) : undefined;
    if (i?.value !== undefined && o.value) ratios.push(i.value / o.value);
  }
  if (ratios.length === 0) throw new CalibrationError('calibration: no provider lists both prices');
  return median(ratios);
}

/** CU of a text request: output tokens plus weighted input tokens (not rounded). */
export function cuOfTextRequest(o: { inputTokens: number; outputTokens: number }): number {
  return o.outputTokens + inputTokenWeight() * o.inputTokens;
}

/** FLOPs of one output token of the reference 8B-class model: 1 CU of compute. */
export function flopsPerCu(): number {
  return figure('model8b.parameters').value * figure('flopsPerParameterPerToken').value;
}

/** CU per request of a non-text model from the FLOPs one request takes (at least 1). */
export function cuOfFlops(flopsPerRequest: number): number {
  if (!(flopsPerRequest > 0))
    throw new CalibrationError(`cuOfFlops: FLOPs must be > 0, got ${flopsPerRequest}`);
  return Math.max(1, Math.ceil(flopsPerRequest / flopsPerCu()));
}
