import { SweepSpecError } from './sweepErrors.ts';

export const seedsMax = 100_000;

/** "1..500", "1,2,7" or "3..5,9" → ascending distinct seeds. Throws SweepSpecError naming --seeds. */
export function parseSeeds(text: string): number[] {
  const seeds = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (!m)
      throw new SweepSpecError(
        '--seeds',
        `${JSON.stringify(text)}: expected N, A..B or a comma list of them`,
      );
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new SweepSpecError('--seeds', `${JSON.stringify(part)}: range must ascend`);
    if (b - a + seeds.size >= seedsMax)
      throw new SweepSpecError('--seeds', `more than ${seedsMax} seeds`);
    for (let s = a; s <= b; s++) seeds.add(s);
  }
  return [...seeds].sort((x, y) => x - y);
}
