import type { z } from 'zod';
import { unknownKeyMessage } from './closestKey.ts';
import { likeliestOption } from './zodIssues.ts';

/** A key in the input that its schema does not know, with the message that names the nearest one. */
export interface UnknownKey {
  /** Where the key sits, e.g. ['holders'] for `holders.cuont`; the key itself is `key`. */
  path: Array<string | number>;
  key: string;
  message: string;
}

// Zod's definitions, as far as this walk reads them (zod/v4 core: `schema._zod.def`).
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  getter?: () => z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const propValues = (s: z.ZodType): Record<string, Set<unknown>> | undefined =>
  (s as unknown as { _zod: { propValues?: Record<string, Set<unknown>> } })._zod.propValues;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The union member a value belongs to: by discriminator, else the first that accepts it, else the likeliest. */
function unionMember(d: Def, value: unknown): z.ZodType | undefined {
  const options = d.options ?? [];
  if (d.discriminator !== undefined && isPlainObject(value)) {
    const tag = value[d.discriminator];
    return options.find((o) => propValues(o)?.[d.discriminator!]?.has(tag));
  }
  const results = options.map((o) => o.safeParse(value));
  const ok = results.findIndex((r) => r.success);
  if (ok >= 0) return options[ok];
  if (options.length === 0) return undefined;
  return options[
    likeliestOption(
      results.map((r) => r.error?.issues ?? []),
      value,
    )
  ];
}

/**
 * Every key of `value` that `schema` would silently drop: zod objects strip unknown keys, so a
 * typo (`workerz`, `holders.cuont`, `params.takeRat`) would otherwise run as if never written.
 * Walks objects, arrays, tuples, records, unions and wrappers (default, optional, pipe, …);
 * objects with a catch-all accept any key. Schemas it cannot see into (custom) check themselves.
 */
export function findUnknownKeys(
  schema: z.ZodType,
  value: unknown,
  path: Array<string | number> = [],
): UnknownKey[] {
  const d = defOf(schema);
  switch (d.type) {
    case 'object': {
      if (!isPlainObject(value)) return [];
      const shape = d.shape ?? {};
      const known = Object.keys(shape);
      const out: UnknownKey[] = [];
      for (const [key, v] of Object.entries(value)) {
        const child = shape[key];
        if (child) out.push(...findUnknownKeys(child, v, [...path, key]));
        else if (d.catchall === undefined || defOf(d.catchall).type === 'never')
          out.push({ path, key, message: unknownKeyMessage('field', key, known) });
      }
      return out;
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((v, i) => findUnknownKeys(d.element!, v, [...path, i]))
        : [];
    case 'tuple':
      return Array.isArray(value)
        ? value.flatMap((v, i) => {
            const item = d.items?.[i] ?? d.rest;
            return item ? findUnknownKeys(item, v, [...path, i]) : [];
          })
        : [];
    case 'record':
      return isPlainObject(value)
        ? Object.entries(value).flatMap(([k, v]) => findUnknownKeys(d.valueType!, v, [...path, k]))
        : [];
    case 'union': {
      if (typeof value !== 'object' || value === null) return [];
      const member = unionMember(d, value);
      return member ? findUnknownKeys(member, value, path) : [];
    }
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return value === undefined || value === null
        ? []
        : findUnknownKeys(d.innerType!, value, path);
    case 'pipe':
      return findUnknownKeys(d.in!, value, path);
    case 'lazy':
      return findUnknownKeys(d.getter!(), value, path);
    default:
      return [];
  }
}

/** `holders.cuont`: the dotted field an unknown key would have been. */
export const unknownKeyField = (u: UnknownKey): string => [...u.path, u.key].join('.');
