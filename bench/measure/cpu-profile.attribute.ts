/**
 * Self time of a V8 CPU profile (the .cpuprofile format DevTools and
 * speedscope open) added up per library group of cpu-profile.groups.ts.
 * Each sample lasts until the next one (the last until endTime), as DevTools
 * counts it; "(idle)" is left out of busy time, everything else is busy.
 */
import { z } from 'zod';
import { CPU_GROUPS, CPU_GROUP_NAMES, IDLE_FRAMES, REST_GROUP, type CpuGroup } from './cpu-profile.groups';

const callFrameSchema = z.object({ functionName: z.string(), url: z.string() });
export const cpuProfileFileSchema = z.object({
  nodes: z.array(
    z.object({ id: z.number(), callFrame: callFrameSchema, children: z.array(z.number()).optional() }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
export type CpuProfileFile = z.infer<typeof cpuProfileFileSchema>;
type CallFrame = z.infer<typeof callFrameSchema>;

export interface CpuAttribution {
  /** Sampled CPU time, idle excluded, milliseconds. */
  busyMs: number;
  idleMs: number;
  samples: number;
  /** Group name -> self milliseconds; every group of CPU_GROUP_NAMES is present. */
  groupsMs: Record<string, number>;
}

const IDLE = '(idle)';
const NODE_MODULES = 'node_modules/';

/** "@redis/client" or "express" from a script URL or path; null outside node_modules. */
export function packageOf(url: string): string | null {
  const at = url.lastIndexOf(NODE_MODULES);
  if (at < 0) return null;
  const parts = url.slice(at + NODE_MODULES.length).split('/');
  const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0];
  return name || null;
}

const matchesPackage = (pkg: string, pattern: string) =>
  pattern.endsWith('*') ? pkg.startsWith(pattern.slice(0, -1)) : pkg === pattern;

function ruleMatches(group: CpuGroup, frame: CallFrame, pkg: string | null): boolean {
  if (group.pseudoFrames?.includes(frame.functionName) && frame.url === '') return true;
  if (pkg !== null) return group.packages.some((p) => matchesPackage(pkg, p));
  return group.builtins?.some((re) => re.test(frame.url)) ?? false;
}

/** The frame's own group, "(idle)", or null when it inherits its caller's. */
export function classifyFrame(frame: CallFrame): string | null {
  if (frame.url === '' && IDLE_FRAMES.includes(frame.functionName)) return IDLE;
  if (frame.url === '' && frame.functionName === '(program)') return REST_GROUP.name;
  const pkg = packageOf(frame.url);
  const group = CPU_GROUPS.find((g) => ruleMatches(g, frame, pkg));
  if (group) return group.name;
  // Other packages and the app's own scripts are "the rest"; built-ins and native frames inherit.
  if (pkg !== null || (frame.url !== '' && !frame.url.startsWith('node:'))) return REST_GROUP.name;
  return null;
}

/** node id -> group, resolved top-down so a frame that inherits sees its caller's group. */
function groupsByNode(profile: CpuProfileFile): Map<number, string> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const resolved = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = resolved.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const own = node ? classifyFrame(node.callFrame) : null;
    const group = own ?? (up === undefined ? REST_GROUP.name : resolve(up));
    resolved.set(id, group);
    return group;
  };
  // Parents first (the nodes array lists them before their children in V8's output), keeping recursion shallow.
  for (const n of profile.nodes) resolve(n.id);
  return resolved;
}

export function emptyAttribution(): CpuAttribution {
  return {
    busyMs: 0,
    idleMs: 0,
    samples: 0,
    groupsMs: Object.fromEntries(CPU_GROUP_NAMES.map((g) => [g, 0])),
  };
}

export function attributeProfile(profile: CpuProfileFile): CpuAttribution {
  const groups = groupsByNode(profile);
  const out = emptyAttribution();
  const { samples, timeDeltas } = profile;
  let at = profile.startTime;
  const stamps = timeDeltas.map((d) => (at += d));
  for (const [i, id] of samples.entries()) {
    const next = i + 1 < stamps.length ? stamps[i + 1]! : profile.endTime;
    const ms = Math.max(0, next - stamps[i]!) / 1000;
    const group = groups.get(id) ?? REST_GROUP.name;
    out.samples++;
    if (group === IDLE) out.idleMs += ms;
    else {
      out.busyMs += ms;
      out.groupsMs[group] = (out.groupsMs[group] ?? 0) + ms;
    }
  }
  return out;
}

/** Several replicas' profiles as one (times added). */
export function addAttributions(parts: readonly CpuAttribution[]): CpuAttribution {
  const out = emptyAttribution();
  for (const p of parts) {
    out.busyMs += p.busyMs;
    out.idleMs += p.idleMs;
    out.samples += p.samples;
    for (const [g, ms] of Object.entries(p.groupsMs)) out.groupsMs[g] = (out.groupsMs[g] ?? 0) + ms;
  }
  return out;
}
