/** A value as the audit's messages print it: JSON, with bigints, Maps and Sets spelled out. */
export const show = (x: unknown): string =>
  JSON.stringify(x, (_, v) =>
    typeof v === 'bigint' ? `${v}` : v instanceof Map ? [...v] : v instanceof Set ? [...v] : v,
  ) ?? String(x);
