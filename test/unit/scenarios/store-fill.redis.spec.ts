/**
 * The pure part of filling Redis with copies of a real entry: new keys.
 * Reading and writing Redis is test/integration/scenarios/server-state.spec.ts.
 */
import { cloneKey } from '../../../bench/scenarios/store-fill.redis';

describe('keys for copies of a real entry', () => {
  it.each([
    ['a session key', 'sess:Xy3kLq9vTz0aBc1dEf2gHi3jKl4mNo5p', 'sess:'],
    [
      'a key with several colons keeps everything up to the last',
      'authscale:deny:0123456789abcdef',
      'authscale:deny:',
    ],
    ['a key without a prefix', 'abcdefghij', ''],
  ])('%s keeps its prefix and length and gets a new tail', (_name, key, prefix) => {
    const copies = new Set(Array.from({ length: 20 }, () => cloneKey(key)));
    expect(copies.size).toBe(20);
    for (const copy of copies) {
      expect(copy.startsWith(prefix)).toBe(true);
      expect(copy).toHaveLength(key.length);
      expect(copy).not.toBe(key);
      expect(copy.slice(prefix.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });
});
