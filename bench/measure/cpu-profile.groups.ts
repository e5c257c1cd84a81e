/**
 * Which library a sample of a V8 CPU profile belongs to, as data. A frame is
 * classified by the npm package its script lives in (the path after the last
 * node_modules/), by its Node built-in module, or by V8's pseudo-frames.
 * Frames that match no rule (native code, other Node built-ins such as
 * node:crypto or timers) inherit the group of their nearest classified
 * caller, so jsonwebtoken's HMAC in node:crypto counts as auth, not as Node.
 * See cpu-profile.attribute.ts for how self time is added up.
 */

export interface CpuGroup {
  name: string;
  label: string;
  /** Package names; "@scope/*" matches a whole scope, "prefix-*" every package starting so. */
  packages: readonly string[];
  /** Node built-in scripts (callFrame.url), e.g. node:_http_server. */
  builtins?: readonly RegExp[];
  /** V8 pseudo-frames by function name. */
  pseudoFrames?: readonly string[];
}

/** Order matters only for display; the rules do not overlap. */
export const CPU_GROUPS: readonly CpuGroup[] = [
  {
    name: 'framework',
    label: 'framework (Nest, Express, router, body parsing)',
    packages: [
      '@nestjs/core',
      '@nestjs/common',
      '@nestjs/platform-express',
      'express',
      'router',
      'body-parser',
      'raw-body',
      'finalhandler',
      'path-to-regexp',
      'qs',
      'side-channel*',
      'content-type',
      'type-is',
      'accepts',
      'negotiator',
      'mime-types',
      'media-typer',
      'on-finished',
      'parseurl',
      'proxy-addr',
      'forwarded',
      'ipaddr.js',
      'http-errors',
      'statuses',
      'etag',
      'fresh',
      'vary',
      'encodeurl',
      'escape-html',
      'send',
      'depd',
      'debug',
      'ms',
      'rxjs',
      'tslib',
      'reflect-metadata',
      'iterare',
      'fast-safe-stringify',
      'is-promise',
      'once',
      'wrappy',
    ],
  },
  {
    name: 'auth',
    label: 'auth (passport, jsonwebtoken/jws/jwa, express-session, cookies, connect-redis)',
    packages: [
      '@nestjs/passport',
      'passport',
      'passport-*',
      'jsonwebtoken',
      'jws',
      'jwa',
      'ecdsa-sig-formatter',
      'buffer-equal-constant-time',
      'safe-buffer',
      'lodash.*',
      'semver',
      'express-session',
      'uid-safe',
      'random-bytes',
      'on-headers',
      'cookie',
      'cookie-parser',
      'cookie-signature',
      'connect-redis',
      'pause',
      'utils-merge',
    ],
  },
  {
    name: 'store-client',
    label: 'store client (node-redis, @redis/*)',
    packages: ['redis', '@redis/*', 'cluster-key-slot', 'generic-pool'],
  },
  {
    name: 'node-http-net',
    label: 'Node HTTP and net (node: http, net, stream internals)',
    packages: [],
    builtins: [
      /^node:_http_/,
      /^node:https?$/,
      /^node:net$/,
      /^node:stream$/,
      /^node:internal\/(http|streams\/|stream_base_commons|js_stream_socket|net)/,
    ],
  },
  { name: 'gc', label: 'GC (garbage collector)', packages: [], pseudoFrames: ['(garbage collector)'] },
];

/** Everything else: the app's own code, other packages, "(program)" (V8 and native work not attributed to JS). */
export const REST_GROUP = { name: 'rest', label: "the rest (the app's own code, other packages, (program))" };

/** Not CPU time: the thread was waiting for events. Left out of busy time. */
export const IDLE_FRAMES: readonly string[] = ['(idle)'];

export const CPU_GROUP_NAMES: readonly string[] = [...CPU_GROUPS.map((g) => g.name), REST_GROUP.name];

export function groupLabel(name: string): string {
  return CPU_GROUPS.find((g) => g.name === name)?.label ?? REST_GROUP.label;
}
