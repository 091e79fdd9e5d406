import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../protocol/errors.ts';
import { readActionFile } from './apply.ts';

const dir = mkdtempSync(join(tmpdir(), 'onesim-actions-'));
const example = () => JSON.parse(readFileSync('examples/basic-actions.json', 'utf8'));
const usageError = (data: unknown, text?: string): InputError => {
  const file = join(dir, 'actions.json');
  writeFileSync(file, text ?? JSON.stringify(data));
  try {
    readActionFile(file);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('read');
};

describe('action files (onesim apply, onesim live <file>)', () => {
  it('reads the committed example', () => {
    const { params, actions } = readActionFile('examples/basic-actions.json');
    expect(actions.length).toBe(example().actions.length);
    expect(params.dayMs).toBeGreaterThan(0);
  });

  it('an unknown key in an action, its nested objects or the params is bad input naming it and the closest valid key', () => {
    const file = example();
    const i = file.actions.findIndex(
      (a: { action: { type: string } }) => a.action.type === 'deposit',
    );
    file.actions[i].action.acount = file.actions[i].action.account;
    delete file.actions[i].action.account;
    const action = usageError(file);
    expect(action.field).toBe(`actions.${i}.action.acount`);
    expect(action.message).toContain('unknown field "acount"; did you mean "account"?');

    const nested = example();
    const c = nested.actions.findIndex(
      (a: { action: { type: string } }) => a.action.type === 'completeJob',
    );
    nested.actions[c].action.receipt.jobid = 1;
    expect(usageError(nested).field).toBe(`actions.${c}.action.receipt.jobid`);

    const params = usageError({ params: { takeRat: { num: 1, den: 10 } }, actions: [] });
    expect(params.field).toBe('params.takeRat');
    expect(params.message).toContain('did you mean "takeRate"?');
    expect(usageError({ params: {}, actions: [], actoins: [] }).message).toContain(
      'unknown field "actoins"; did you mean "actions"?',
    );
  });

  it('bad JSON names the file, line and column; a bad value names the field', () => {
    const bad = usageError(null, '{\n  "actions": [\n    {"atMs": 0,, }\n  ]\n}\n');
    expect(bad.message).toMatch(/actions\.json:3:16: not valid JSON/);
    const negative = example();
    negative.actions[0].action.amount = '-5';
    expect(usageError(negative).field).toBe('actions.0.action.amount');
    expect(usageError({ params: { takeRate: { num: 5, den: 2 } }, actions: [] }).field).toBe(
      'params.takeRate',
    );
  });
});
