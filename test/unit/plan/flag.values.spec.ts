import { readList, readNumber, whole, wholeFrom, type NumberRule } from '../../../bench/plan/flag.values';

const oneToTen: NumberRule = { check: wholeFrom(1, 10), allowed: 'use a whole number from 1 to 10' };

describe('reading a number out of flag text', () => {
  it.each([
    ['a whole number in range', '7', 7],
    ['surrounding spaces', ' 3 ', 3],
    ['the upper bound', '10', 10],
  ])('accepts %s', (_name, raw, expected) => {
    const problems: string[] = [];
    expect(readNumber('--n', raw, oneToTen, problems)).toBe(expected);
    expect(problems).toEqual([]);
  });

  it.each([
    ['empty text', ''],
    ['blank text', '  '],
    ['a word', 'lots'],
    ['infinity', 'Infinity'],
    ['a fraction', '2.5'],
    ['below the range', '0'],
    ['above the range', '11'],
  ])('refuses %s with the flag, the value and what is allowed', (_name, raw) => {
    const problems: string[] = ['earlier problem'];
    expect(readNumber('--n', raw, oneToTen, problems)).toBeUndefined();
    expect(problems).toEqual([
      'earlier problem',
      `--n "${raw}" is invalid: use a whole number from 1 to 10.`,
    ]);
  });

  it('an unset flag is neither a value nor a problem', () => {
    const problems: string[] = [];
    expect(readNumber('--n', undefined, oneToTen, problems)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});

describe('reading a list out of flag text', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    [' a , b ', ['a', 'b']],
    ['a,,b,', ['a', 'b']],
    ['', []],
    [' , ', []],
  ])('"%s" -> %j', (raw, expected) => {
    expect(readList(raw)).toEqual(expected);
  });
});

describe('whole-number rules', () => {
  it.each([
    [whole, 3, true],
    [whole, -3, true],
    [whole, 3.5, false],
    [wholeFrom(2), 2, true],
    [wholeFrom(2), 1, false],
    [wholeFrom(2), 1e9, true],
    [wholeFrom(2, 4), 5, false],
    [wholeFrom(2, 4), 3.1, false],
  ])('rule %#: %d -> %s', (rule, n, expected) => {
    expect(rule(n)).toBe(expected);
  });
});
