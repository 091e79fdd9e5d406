const SVG_NS = 'http://www.w3.org/2000/svg';

/** Rounds every decimal with 3+ fraction digits to 2 (golden files diff only on real changes). */
export function roundNumbers(text: string): string {
  return text.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (m) => {
    const r = Number(Number(m).toFixed(2));
    return Object.is(r, -0) ? '0' : String(r);
  });
}

/** Renames ids (`plot-clip-3`, …) to `<prefix>-1, -2, …` in order of appearance, with their references. */
export function renameIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  let out = svg;
  ids.forEach((id, i) => {
    const to = `${prefix}-${i + 1}`;
    const esc = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`id="${esc}"`, 'g'), `id="${to}"`)
      .replace(new RegExp(`#${esc}\\b`, 'g'), `#${to}`);
  });
  return out;
}

/** A standalone, deterministic SVG: namespace declared, ids stable, numbers rounded. */
export function stableSvg(svg: string, name: string): string {
  let s =
    svg.startsWith('<svg') && !svg.includes(`xmlns="${SVG_NS}"`)
      ? svg.replace('<svg', `<svg xmlns="${SVG_NS}"`)
      : svg;
  s = renameIds(s, `onesim-${name}`);
  return `${roundNumbers(s)}\n`;
}
