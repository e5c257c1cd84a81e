/**
 * Views of a Comparison: the markdown table (stdout and the GitHub job
 * summary) and GitHub workflow annotations. Rendered from the data only.
 */
import { fmtPlain, fmtSignedPercent } from '../results/number.format';
import type { Comparison, ComparisonRow, Interval, Verdict } from './compare.types';

const VERDICT_MARK: Record<Verdict, string> = {
  FAIL: '**FAIL**',
  INVALID: 'INVALID',
  INCONCLUSIVE: 'INCONCLUSIVE',
  PASS: 'PASS',
};

/** Discrete intervals on few runs cover less than asked: say how much, rather than let the header claim 95%. */
function coverageNote(confidence: number, nominal: number): string {
  return confidence < nominal - 1e-9 ? ` (${Math.floor(confidence * 100)}% CI)` : '';
}

function interval(i: (Interval & { confidence: number }) | null, nominal: number): string {
  return i === null
    ? 'n/a'
    : `${fmtPlain(i.value)} [${fmtPlain(i.low)}, ${fmtPlain(i.high)}]${coverageNote(i.confidence, nominal)}`;
}

function changeCell(row: ComparisonRow, nominal: number): string {
  if (row.change === null) return 'n/a';
  return `${fmtSignedPercent(row.change.value)} [${fmtSignedPercent(row.change.low)}, ${fmtSignedPercent(row.change.high)}]${coverageNote(row.change.confidence, nominal)}`;
}

function pCell(row: ComparisonRow): string {
  if (row.p === null || row.pAdjusted === null) return 'n/a';
  return `${row.p.toPrecision(2)} (${row.pAdjusted.toPrecision(2)})`;
}

function floorText(row: ComparisonRow): string {
  return `${row.better === 'higher' ? '-' : '+'}${(row.floor * 100).toFixed(0)}%`;
}

function sideText(side: Comparison['base']): string {
  const rev = side.revision ? `\`${side.revision.slice(0, 12)}\`` : 'unknown revision';
  return `${rev} (${side.file}${side.variant ? `, variant ${side.variant}` : ''}, ${side.runs} runs)`;
}

export function renderMarkdown(c: Comparison): string {
  const lines: string[] = [];
  lines.push(`### authscale compare: ${c.verdict}`, '');
  lines.push(`Base ${sideText(c.base)} vs candidate ${sideText(c.candidate)}.`);
  lines.push(
    c.paired
      ? `Paired interleaved runs: Wilcoxon signed-rank test and Hodges-Lehmann change on per-pair log ratios; Holm across ${c.rows.filter((r) => r.p !== null).length} tested rows, alpha ${c.options.alpha}.`
      : `Unpaired runs: Wilcoxon rank-sum test and Hodges-Lehmann change on log values; Holm across ${c.rows.filter((r) => r.p !== null).length} tested rows, alpha ${c.options.alpha}.`,
  );
  lines.push('');
  for (const s of c.statements) lines.push(`> **${s.level}**: ${s.message}`, '');
  const conf = `${Math.round((1 - c.options.alpha) * 100)}%`;
  lines.push(
    `| setup | replicas | metric | base median [${conf} CI] | candidate median [${conf} CI] | change [CI] | floor | p (Holm) | n | verdict |`,
  );
  lines.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---|');
  const nominal = 1 - c.options.alpha;
  for (const r of c.rows) {
    lines.push(
      `| ${r.setup} | ${r.replicas} | ${r.label} (${r.unit}) | ${interval(r.base, nominal)} | ${interval(r.candidate, nominal)} | ${changeCell(r, nominal)} | ${floorText(r)} | ${pCell(r)} | ${r.n.base}/${r.n.candidate} | ${VERDICT_MARK[r.verdict]} |`,
    );
  }
  const explained = c.rows.filter((r) => r.verdict !== 'PASS' || r.reasons.length > 1);
  if (explained.length > 0) {
    lines.push('', '<details><summary>Why</summary>', '');
    for (const r of explained)
      lines.push(`- ${r.setup} x${r.replicas} ${r.label}: ${r.verdict}: ${r.reasons.join('; ')}`);
    lines.push('', '</details>');
  }
  lines.push(
    '',
    'FAIL: significant after Holm and worse than the floor. PASS: the worse end of the interval is inside the floor. INCONCLUSIVE: neither; more runs would tell. INVALID: cannot be judged (see why).',
  );
  return `${lines.join('\n')}\n`;
}

/** GitHub workflow command escaping (data: %, CR, LF; properties also : and ,). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderAnnotations(c: Comparison): string[] {
  const out: string[] = [];
  for (const s of c.statements) {
    if (s.level === 'notice') continue;
    out.push(`::${s.level} title=${escapeProperty('authscale compare')}::${escapeData(s.message)}`);
  }
  for (const r of c.rows) {
    if (r.verdict === 'PASS') continue;
    const level = r.verdict === 'FAIL' ? 'error' : 'warning';
    const title = `${r.verdict}: ${r.setup} x${r.replicas} ${r.label}`;
    const change = r.change
      ? `${fmtSignedPercent(r.change.value)} [${fmtSignedPercent(r.change.low)}, ${fmtSignedPercent(r.change.high)}]; `
      : '';
    out.push(`::${level} title=${escapeProperty(title)}::${escapeData(`${change}${r.reasons.join('; ')}`)}`);
  }
  return out;
}
