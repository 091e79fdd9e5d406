import { toJsonData } from '../../protocol/actionSchema.ts';
import { InvalidParamsError, resolveParams } from '../../protocol/index.ts';
import { parseScenario, type Scenario, ScenarioParseError } from '../scenario/scenarioSchema.ts';
import { closestKey } from '../validate/closestKey.ts';
import type { GridAxis, GridValue } from './parseGrid.ts';
import { SweepSpecError } from './sweepErrors.ts';

export interface Cell {
  index: number;
  /** key → value of this cell, in the grid's key order. */
  assignments: Record<string, GridValue>;
  /** The scenario with the cell's values applied; protocol params fully resolved, JSON-safe. */
  scenario: Scenario;
}

const notAddressable = new Set(['name', 'question', 'expectations']);

function setPath(root: Record<string, unknown>, key: string, value: GridValue): void {
  const path = key.split('.');
  let node: Record<string, unknown> = root;
  for (const [i, part] of path.entries()) {
    if (node === null || typeof node !== 'object' || !(part in node)) {
      const near =
        node !== null && typeof node === 'object' ? closestKey(part, Object.keys(node)) : null;
      const hint =
        near === null
          ? ''
          : `; did you mean ${JSON.stringify([...path.slice(0, i), near].join('.'))}?`;
      throw new SweepSpecError(
        key,
        `no such field ${JSON.stringify(path.slice(0, i + 1).join('.'))} in the scenario or its params${hint}`,
      );
    }
    if (i === path.length - 1) node[part] = value;
    else node = node[part] as Record<string, unknown>;
  }
}

/** The scenario with protocol params resolved to every field, so any param can be addressed. */
export function addressableScenario(s: Scenario): Record<string, unknown> {
  return toJsonData({ ...s, params: resolveParams(s.params) }) as Record<string, unknown>;
}

function applyCell(base: Scenario, assignments: Record<string, GridValue>): Scenario {
  const s = addressableScenario(base);
  for (const [key, value] of Object.entries(assignments)) {
    if (notAddressable.has(key.split('.')[0]!)) throw new SweepSpecError(key, 'cannot be swept');
    setPath(s, key, value);
  }
  const field = Object.keys(assignments).join(', ');
  const shown = Object.entries(assignments)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  try {
    const parsed = parseScenario(s, 'grid');
    resolveParams(parsed.params);
    return parsed;
  } catch (e) {
    if (e instanceof ScenarioParseError)
      throw new SweepSpecError(
        e.issues[0]?.field ?? field,
        `${shown}: ${e.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      );
    if (e instanceof InvalidParamsError)
      throw new SweepSpecError(`params.${e.issues[0]?.field ?? field}`, `${shown}: ${e.message}`);
    throw e;
  }
}

/** The cartesian product of the grid's values, first key slowest: each cell's assignments. */
export function gridAssignments(grid: readonly GridAxis[]): Array<Record<string, GridValue>> {
  const keys = grid.map((a) => a.key);
  if (new Set(keys).size !== keys.length)
    throw new SweepSpecError('--grid', `a key appears twice: ${keys.join(', ')}`);
  const count = grid.reduce((n, a) => n * a.values.length, 1);
  if (count > 10_000) throw new SweepSpecError('--grid', `${count} cells; at most 10,000`);
  let combos: Array<Record<string, GridValue>> = [{}];
  for (const axis of grid)
    combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.key]: v })));
  return combos;
}

/** The cartesian product of the grid, first key slowest; each cell validated (SweepSpecError names the key). */
export function buildCells(base: Scenario, grid: readonly GridAxis[]): Cell[] {
  return gridAssignments(grid).map((assignments, index) => ({
    index,
    assignments,
    scenario: applyCell(base, assignments),
  }));
}
