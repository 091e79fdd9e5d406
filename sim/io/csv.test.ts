import { describe, expect, it } from 'vitest';
import { csvRecords, integersWholeElseSixSignificant, readCsv, sixSignificant } from './csv.ts';

describe('csvRecords', () => {
  it('ends every record with \\n and quotes only fields with a comma, quote or line break', () => {
    const text = csvRecords(
      [
        ['cell', 'pass: a, b', 'say "hi"', 'two\nlines', 'plain'],
        [0, 1.23456789, true, { kind: 'sqrt' }, ''],
        [1234567, 10n, false, null, undefined],
      ],
      { number: sixSignificant },
    );
    expect(text).toBe(
      'cell,"pass: a, b","say ""hi""","two\nlines",plain\n' +
        '0,1.23457,true,"{""kind"":""sqrt""}",\n' +
        '1234570,10,false,,\n',
    );
    expect(csvRecords([], { number: sixSignificant })).toBe('');
  });

  it('metrics.csv keeps integers whole', () => {
    expect(
      csvRecords([[1234567, 0.1 + 0.2, Number.NaN]], { number: integersWholeElseSixSignificant }),
    ).toBe('1234567,0.3,NaN\n');
  });
});

describe('readCsv', () => {
  it('reads what csvRecords writes: numbers as numbers, quoted commas and quotes kept', () => {
    const text = csvRecords(
      [
        ['worker', 'label', 'income'],
        ['w1', 'a, "b"', 2.5],
        ['w2', '', -1],
      ],
      { number: sixSignificant },
    );
    expect(readCsv(text)).toEqual([
      { worker: 'w1', label: 'a, "b"', income: 2.5 },
      { worker: 'w2', label: '', income: -1 },
    ]);
  });

  it('a header alone or an empty file is no rows; a short record reads its missing fields as empty', () => {
    expect(readCsv('')).toEqual([]);
    expect(readCsv('a,b\n')).toEqual([]);
    expect(readCsv('a,b\n1\n')).toEqual([{ a: 1, b: '' }]);
  });
});
