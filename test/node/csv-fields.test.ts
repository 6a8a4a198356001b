import { describe, expect, it } from 'vitest';
import { BINARY_LINE, detectDelimiter, FieldSplitter, parseNumberField } from '../../src/node/csv-fields.js';
import { Random } from '../../src/util/random.js';

const field = (s: string, delimiter: ',' | ';' = ',') => parseNumberField(Buffer.from(s, 'latin1'), 0, s.length, delimiter);

describe('parseNumberField', () => {
  it('agrees bit for bit with Number() on random decimals (fast path and fallback)', () => {
    const random = new Random(2024);
    for (let trial = 0; trial < 20_000; trial++) {
      const digits = Array.from({ length: random.int(1, 20) }, () => random.int(0, 9)).join('');
      const dot = random.int(0, digits.length);
      let s = random.chance(0.3) ? '-' : random.chance(0.1) ? '+' : '';
      s += random.chance(0.8) ? `${digits.slice(0, dot)}.${digits.slice(dot)}` : digits;
      if (random.chance(0.4)) s += `${random.chance(0.5) ? 'e' : 'E'}${random.chance(0.5) ? '-' : ''}${random.int(0, 30)}`;
      if (s === '.' || s === '-.' || s === '+.') continue;
      expect(Object.is(field(s), Number(s)), s).toBe(true);
    }
  });

  it('handles the special spellings and refuses non-numbers', () => {
    expect(field('-0')).toBe(-0);
    expect(field('1e400')).toBe(Infinity);
    expect(field('NaN')).toBeNaN();
    expect(field('0x1f')).toBe(31);
    expect(field('1,5', ';')).toBe(1.5);
    for (const bad of ['', 'abc', '1.2.3', '1e', 'e5', '--1', '1,5', '9'.repeat(65)]) expect(field(bad), bad).toBeUndefined();
  });
});

describe('FieldSplitter', () => {
  const split = (line: string, delimiter: ',' | ';' | '\t' | 'blank') => {
    const bytes = Buffer.from(line, 'latin1');
    const fields = new FieldSplitter(4);
    const n = fields.split(bytes, 0, bytes.length, delimiter);
    return n === BINARY_LINE ? 'binary' : Array.from({ length: n }, (_, i) => line.slice(fields.starts[i], fields.ends[i]));
  };

  it('splits, trims and unquotes fields', () => {
    expect(split(' a , "b" ,,c', ',')).toEqual(['a', 'b', '', 'c']);
    expect(split('  1   2\t3  ', 'blank')).toEqual(['1', '2', '3']);
    expect(split('1;2', ';')).toEqual(['1', '2']);
    expect(split('1,2,3,4,5,6', ',')).toEqual(['1', '2', '3', '4']); // capped at maxFields
    expect(split('1,\u00002', ',')).toBe('binary');
  });

  it('detects the delimiter', () => {
    const d = (s: string) => detectDelimiter(Buffer.from(s), 0, s.length);
    expect([d('1,2'), d('1;2,5'), d('1\t2'), d('1 2')]).toEqual([',', ';', '\t', 'blank']);
  });
});
