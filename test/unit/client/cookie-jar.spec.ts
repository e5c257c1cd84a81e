import { CookieJar } from '../../../bench/client/cookie-jar';

describe('CookieJar', () => {
  it.each([
    { lines: ['sid=abc; Path=/; HttpOnly'], header: 'sid=abc' },
    { lines: ['sid=abc; Path=/', 'route=r1; Path=/'], header: 'sid=abc; route=r1' },
    { lines: ['sid=abc', 'sid=def'], header: 'sid=def' },
    { lines: ['sid=abc', 'sid=; Max-Age=0'], header: undefined },
    { lines: ['sid=abc', 'sid=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT'], header: undefined },
    { lines: ['garbage-without-equals'], header: undefined },
  ])('turns $lines into the Cookie header $header', ({ lines, header }) => {
    const jar = new CookieJar();
    jar.store(lines);
    expect(jar.header()).toBe(header);
  });
});
