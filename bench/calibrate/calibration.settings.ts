/**
 * What a calibration keeps in calibration.json: its plan, counts, the measured
 * CPU per request the injected fractions are taken of, and the knob's slope.
 * A calibration resumes only with the same plan and slope, so outcomes from
 * different experiments are never pooled.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../../infra/errors';
import type { Plan } from '../results/results.schema';
import { measureKnobResponse, PROBE_PAIRS, PROBE_US } from './calibration.cost';

export interface CalibrationCounts {
  aa: number;
  detect: number;
  improve: number;
}

export interface Settings {
  plan: Plan;
  counts: CalibrationCounts;
  fractions: number[];
  /** Replica CPU microseconds per request the injected fractions are taken of. */
  costUs: number;
  /** Measured CPU microseconds the knob adds per knob microsecond (absent in files from before it was measured: 1). */
  knobEfficiency?: number;
  /** The probe's own slope; differs from knobEfficiency when --knob-efficiency overrode it (absent in older files). */
  probeEfficiency?: number;
  startedAt: string;
}

/** What the user asked for; the rest of Settings is measured. */
export interface CalibrationRequest {
  plan: Plan;
  counts: CalibrationCounts;
  fractions: number[];
  givenEfficiency?: number;
  maxMinutes: number;
  out: string;
}

/** Where the knob's slope came from, derived from the two slopes a calibration keeps. */
export function efficiencySource(s: Pick<Settings, 'knobEfficiency' | 'probeEfficiency'>): string {
  const probe = `measured by ${PROBE_PAIRS} pairs at ${PROBE_US} us`;
  if (s.probeEfficiency === undefined || s.probeEfficiency === s.knobEfficiency) return probe;
  return `given by --knob-efficiency; the probe ${probe} found ${s.probeEfficiency.toFixed(2)}`;
}

function resumed(file: string, request: CalibrationRequest): Settings {
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Settings;
  const { out, plan, givenEfficiency } = request;
  if (JSON.stringify(settings.plan) !== JSON.stringify(plan)) {
    throw new UsageError([
      `${out} holds a calibration with another plan (${settings.plan.setups.join(',')} x${settings.plan.replicas.join(',')}, ${settings.plan.repetitions} pairs): its outcomes cannot be pooled with this one. Use another --out, or the same --setup/--replicas/--runs/--profile.`,
    ]);
  }
  if (givenEfficiency !== undefined && givenEfficiency !== settings.knobEfficiency) {
    throw new UsageError([
      `${out} injected with a knob efficiency of ${settings.knobEfficiency ?? 1}, not ${givenEfficiency}: its outcomes cannot be pooled with other injection sizes. Use another --out, or drop --knob-efficiency.`,
    ]);
  }
  return { ...settings, counts: request.counts, fractions: request.fractions };
}

async function measured(request: CalibrationRequest, signal: AbortSignal): Promise<Settings | null> {
  const response = await measureKnobResponse(request.plan, signal);
  if (signal.aborted) return null;
  return {
    plan: request.plan,
    counts: request.counts,
    fractions: request.fractions,
    costUs: response.costUs,
    knobEfficiency: request.givenEfficiency ?? response.knobEfficiency,
    probeEfficiency: response.knobEfficiency,
    startedAt: new Date().toISOString(),
  };
}

/**
 * The settings of the calibration in `file`: resumed when it exists, measured
 * (the knob probe) otherwise; null when interrupted while measuring.
 */
export async function loadOrMeasureSettings(
  file: string,
  request: CalibrationRequest,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<Settings | null> {
  const exists = existsSync(file);
  if (!exists) {
    log(
      `measuring the API CPU per request and the knob's real effect (${PROBE_PAIRS} pairs, knob off vs ${PROBE_US} us)`,
    );
  }
  const settings = exists ? resumed(file, request) : await measured(request, signal);
  if (settings === null) return null;
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  const slope = settings.knobEfficiency ?? 1;
  const sizes = settings.fractions.map((f) => `${Math.round((f * settings.costUs) / slope)} us`).join(', ');
  log(
    exists
      ? `resuming ${request.out}: cost ${settings.costUs.toFixed(0)} us per request`
      : `API CPU per request ${settings.costUs.toFixed(0)} us; the knob adds ${slope.toFixed(2)} us of it per knob us (${efficiencySource(settings)}): injecting ${sizes}`,
  );
  return settings;
}
