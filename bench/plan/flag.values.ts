/**
 * Reading numbers and lists out of flag text, one way for every command: a
 * value that does not parse or is out of range adds one problem, worded
 * `--flag "value" is invalid: <what is allowed>.`, to the list the caller
 * reports all at once; the value is then undefined.
 */
export interface NumberRule {
  /** True when the parsed number is allowed. */
  check: (n: number) => boolean;
  /** What is allowed, with an example: "use a whole number from 1 to 32". */
  allowed: string;
}

export function readNumber(
  flag: string,
  raw: string | undefined,
  rule: NumberRule,
  problems: string[],
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !rule.check(n)) {
    problems.push(`${flag} "${raw}" is invalid: ${rule.allowed}.`);
    return undefined;
  }
  return n;
}

/** Comma-separated items, trimmed, empty ones dropped. */
export function readList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export const whole = (n: number) => Number.isInteger(n);
export const wholeFrom =
  (low: number, high = Infinity) =>
  (n: number) =>
    Number.isInteger(n) && n >= low && n <= high;
