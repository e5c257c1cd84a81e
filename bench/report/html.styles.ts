/** The page's only stylesheet, inlined so index.html works offline; print rules keep charts and tables whole. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6573; --line: #d8dde4; --warn: #8a4b00; --warn-bg: #fff4e0; --bad: #9b1c1c; --bad-bg: #fdecec; --ok-bg: #e9f7ee; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fafbfc; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; background: white; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 12px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 20px 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
nav ol { columns: 2; margin: 8px 0 0; padding-left: 20px; color: var(--muted); }
nav a { color: inherit; }
.verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; }
.verdict.clean { background: var(--ok-bg); }
.verdict.unclean { background: var(--warn-bg); color: var(--warn); border: 1px solid #f0c27a; }
ul.warnings li { margin: 4px 0; }
li.problem { color: var(--bad); }
li.caution { color: var(--warn); }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 5px 8px; vertical-align: top; }
th { background: #f2f4f7; text-align: left; }
td.right, th.right { text-align: right; }
tbody td:first-child { min-width: 9em; }
tr.flagged td { background: var(--bad-bg); }
figure { margin: 12px 0 20px; break-inside: avoid; }
figure .chart svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 13px; max-width: 820px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print {
  body { background: white; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  table, figure { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
`;
