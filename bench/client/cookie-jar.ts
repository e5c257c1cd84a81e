/**
 * The smallest cookie jar a load generator needs: remember name=value from
 * Set-Cookie, forget cookies the server clears, replay them all. Domains and
 * paths are ignored on purpose: a virtual user talks to one origin.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Apply the Set-Cookie header lines of one response. */
  store(setCookieLines: readonly string[]): void {
    for (const line of setCookieLines) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attributes.some(isExpiring)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  /** The Cookie request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
  }
}

function isExpiring(attribute: string): boolean {
  const [rawName = '', rawValue = ''] = attribute.split('=');
  const name = rawName.trim().toLowerCase();
  if (name === 'max-age') return Number(rawValue.trim()) <= 0;
  if (name === 'expires') return Date.parse(rawValue.trim()) <= Date.now();
  return false;
}
