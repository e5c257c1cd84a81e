/**
 * Reads typed values out of an environment and collects every problem instead
 * of stopping at the first, so one start-up attempt tells the operator
 * everything that is wrong (name, value received, what is allowed).
 */
import { readFileSync } from 'node:fs';

export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  constructor(
    private readonly env: Env,
    readonly problems: string[] = [],
  ) {}

  /** A reader of the same environment minus `names`, reporting into the same list. */
  without(names: readonly string[]): EnvReader {
    const rest: Record<string, string | undefined> = { ...this.env };
    for (const name of names) delete rest[name];
    return new EnvReader(rest, this.problems);
  }

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  problem(name: string, received: string | undefined, allowed: string): void {
    const shown =
      received === undefined
        ? 'not set'
        : JSON.stringify(received.length > 80 ? `${received.slice(0, 77)}...` : received);
    this.problems.push(`${name}: got ${shown}; ${allowed}`);
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(name, value, `allowed: ${allowed.join(', ')}`);
    return fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problem(name, value, `allowed: a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(value);
  }

  pattern(name: string, fallback: string, re: RegExp, description: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (re.test(value)) return value;
    this.problem(name, value, `allowed: ${description}`);
    return fallback;
  }

  /**
   * A secret from NAME or from the file named by NAME_FILE (Docker/Kubernetes
   * secrets). Never generated here: replicas must share it.
   */
  secret(name: string, minBytes: number): Buffer | null {
    const direct = this.raw(name);
    const file = this.raw(`${name}_FILE`);
    if (direct !== undefined && file !== undefined) {
      this.problem(`${name} / ${name}_FILE`, 'both set', 'set one of them, not both');
      return null;
    }
    let bytes: Buffer | null = null;
    if (direct !== undefined) bytes = Buffer.from(direct, 'utf8');
    if (file !== undefined) bytes = this.file(`${name}_FILE`, file);
    if (bytes === null) {
      if (file === undefined)
        this.problem(
          name,
          undefined,
          `required: a secret of at least ${minBytes} bytes (or ${name}_FILE pointing to one); share it across replicas`,
        );
      return null;
    }
    // A trailing newline in a secret file is an editor artefact, not key material.
    if (file !== undefined) bytes = Buffer.from(bytes.toString('utf8').replace(/\r?\n$/, ''), 'utf8');
    if (bytes.length < minBytes) {
      this.problem(
        direct !== undefined ? name : `${name}_FILE`,
        `${bytes.length} bytes`,
        `at least ${minBytes} bytes (${minBytes * 8} bits) are required`,
      );
      return null;
    }
    return bytes;
  }

  file(name: string, path: string): Buffer | null {
    try {
      return readFileSync(path);
    } catch (err) {
      this.problem(
        name,
        path,
        `must name a readable file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
      return null;
    }
  }
}
