/** Numbers people read: en-US thousands separators whatever the machine's locale. */
export const formatNumber = (v: number, digits = 2): string =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(v);

export const formatUsdc = (v: number): string => `${formatNumber(v, 2)} USDC`;
export const formatOne = (v: number): string => `${formatNumber(v, 2)} $ONE`;

/** Milliseconds as seconds or minutes, whichever reads better. */
export const formatMs = (ms: number): string =>
  ms >= 120_000 ? `${formatNumber(ms / 60_000, 1)} min` : `${formatNumber(ms / 1000, 1)} s`;

/** Axis ticks with thousands separators. */
export const tickThousands = (d: number): string => formatNumber(d, 2);

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
