import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closestKey } from './closestKey.ts';
import { InputFileError, lineColumn, parseJsonText } from './parseJsonFile.ts';
import { findUnknownKeys } from './unknownKeys.ts';

describe('closestKey', () => {
  it('names the valid key at the smallest edit distance', () => {
    expect(closestKey('workerz', ['holders', 'workers', 'sponsors'])).toBe('workers');
    expect(closestKey('cuont', ['count', 'slots'])).toBe('count');
    expect(closestKey('x', [])).toBeNull();
  });
});

describe('findUnknownKeys', () => {
  const schema = z.object({
    a: z.object({ b: z.number() }).default({ b: 1 }),
    list: z.array(z.object({ c: z.string() })).optional(),
    pick: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('x'), x: z.number() }),
      z.object({ kind: z.literal('y'), y: z.number() }),
    ]),
    loose: z.looseObject({ d: z.number() }),
    map: z.record(z.string(), z.object({ e: z.number() })),
  });

  it('finds keys a zod object would silently drop, at any depth, and none in valid input', () => {
    const ok = {
      a: { b: 1 },
      list: [{ c: '' }],
      pick: { kind: 'y', y: 1 },
      loose: { d: 1, z: 1 },
      map: { k: { e: 1 } },
    };
    expect(findUnknownKeys(schema, ok)).toEqual([]);
    const bad = {
      a: { bb: 1 },
      list: [{ c: '' }, { cc: '' }],
      pick: { kind: 'y', x: 1 },
      loose: { d: 1 },
      map: { k: { f: 1 } },
      extra: 1,
    };
    expect(findUnknownKeys(schema, bad).map((u) => [...u.path, u.key].join('.'))).toEqual([
      'a.bb',
      'list.1.cc',
      'pick.x',
      'map.k.f',
      'extra',
    ]);
  });
});

describe('parseJsonText', () => {
  const located = (text: string) => {
    try {
      parseJsonText(text, 'f.json');
    } catch (e) {
      if (e instanceof InputFileError) return e;
      throw e;
    }
    throw new Error('parsed');
  };

  it('parses what JSON.parse parses', () => {
    expect(parseJsonText('{"a": [1, "x", null]}', 'f.json')).toEqual({ a: [1, 'x', null] });
  });

  it('points where V8 points, when V8 says a position', () => {
    for (const text of [
      '{"a": 1,,}',
      '{\n "a": 1\n "b": 2}',
      '[1,2',
      '{"a":1}}',
      '{\n\n  "a": 01}',
    ]) {
      const v8 = /at position (\d+)/.exec(
        (() => {
          try {
            JSON.parse(text);
          } catch (e) {
            return (e as Error).message;
          }
          return '';
        })(),
      );
      expect(v8, text).not.toBeNull();
      expect(located(text).at, text).toEqual(lineColumn(text, Number(v8![1])));
    }
  });

  it('still points somewhere when V8 does not say where', () => {
    expect(located('garbage').at).toEqual({ line: 1, column: 1 });
    expect(located('{\n  "a":').at).toEqual({ line: 2, column: 7 });
    expect(located('{\n  "a":').message).toMatch(/^f\.json:2:7: not valid JSON: /);
  });
});
