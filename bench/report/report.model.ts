/**
 * The report as data: sections of paragraphs, tables and charts. Both the
 * HTML page and the markdown file are rendered from one ReportModel, so they
 * carry the same verdicts, tables and warnings.
 */
export type Align = 'left' | 'right';

export interface Table {
  caption?: string;
  head: string[];
  rows: string[][];
  /** Per column; default left. */
  align?: Align[];
  /** Rows to highlight as problems (index into rows). */
  flagged?: number[];
}

export interface ChartRef {
  name: string;
  title: string;
  caption: string;
  /** Setup names, tiers or replica ids the chart is expected to draw (for tests and alt text). */
  series: string[];
}

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'table'; table: Table }
  | { kind: 'chart'; chart: ChartRef }
  | { kind: 'list'; items: string[] };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
}

import type { WarningLevel } from '../results/warnings.derive';

export type { WarningLevel };

export interface ReportWarning {
  code: string;
  level: WarningLevel;
  message: string;
  runIds: string[];
}

export interface ReportModel {
  title: string;
  /** One line: profile, date, revision. */
  subtitle: string;
  /** "clean" only when no warning of any kind applies. */
  verdict: { clean: boolean; text: string };
  warnings: ReportWarning[];
  sections: Section[];
}

export const heading = (t: string): Block => ({ kind: 'heading', text: t });
export const text = (t: string): Block => ({ kind: 'text', text: t });
export const table = (t: Table): Block => ({ kind: 'table', table: t });
export const list = (items: string[]): Block => ({ kind: 'list', items });
