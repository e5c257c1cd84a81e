/**
 * Rendering from the SYNTHETIC fixtures: what the clean report must say (its
 * sections, the seed comparison's figures, each metric named by its tier),
 * and warnings that must show in both formats.
 */
import { renderHtml } from '../../../bench/report/html.render';
import { renderMarkdown } from '../../../bench/report/markdown.render';
import { buildReport } from '../../../bench/report/report.build';
import type { Results } from '../../../bench/results/results.schema';
import { buildSyntheticResults } from '../../fixtures/results/synthetic-results.fixture';

const clean = buildSyntheticResults('clean');
const troubled = buildSyntheticResults('troubled');

const render = {
  markdown: (r: Results) => renderMarkdown(buildReport(r).model),
  html: (r: Results) => renderHtml(buildReport(r).model, {}),
};

describe('report rendering', () => {
  describe('of the clean synthetic fixture', () => {
    const md = render.markdown(clean);
    const line = (start: string) => md.split('\n').find((l) => l.startsWith(start)) ?? '';

    it('says there is nothing to warn about', () => {
      expect(md).toContain('> ✅ No warnings: every run was valid');
    });

    it.each([
      'Warnings',
      'The seed comparison, measured',
      'Throughput against replica count',
      'Latency',
      'CPU per request, by tier',
      'Share of requests per replica',
      'Trade-off scenarios',
      'Environment and budgets',
    ])('has the section "%s", in order', (title) => {
      expect(md).toContain(`\n## ${title}\n`);
    });

    it('fills the seed rows with the fixture figures and their intervals', () => {
      expect(line('| Scalability: throughput, 1 replica |')).toContain('| 911 req/s [853–913] |');
      expect(line('| Scalability: efficiency, 4 replicas |')).toBe(
        '| Scalability: efficiency, 4 replicas | 98% | 100% | 88% | 81% | 92% | 24% | 93% |',
      );
      expect(line('| Cost: p99 latency, largest replica count |')).toContain('| 120 ms [107–194] |');
      expect(line('| Revocation:')).toContain(
        '30.0 s (token lifetime 30 s); 2,400 requests accepted after logout',
      );
    });

    it('names CPU by its tiers, never as a bare "CPU per request"', () => {
      expect(line('| Cost: CPU per request, all tiers, largest replica count |')).toContain(
        '| 371 µs [369–374] |',
      );
      expect(md).toContain(
        '| setup | replicas | replicas µs | nginx µs | redis µs | store-delay µs | generator µs | CPU per request, all tiers (median [interval]) |',
      );
      expect(md).not.toMatch(/\| Cost: CPU per request, largest/);
    });

    it('ranks and recommends from the figures', () => {
      expect(md).toContain('- Most throughput at 4 replicas: jwt (3,647 req/s).');
      expect(md).toContain('- Does not scale out: session-iphash (24% of linear at 4 replicas)');
      expect(line('| Use case:')).toContain(
        '#6 of 6 in req/s at 4 replicas; does not scale out (24% of linear at 4 replicas)',
      );
    });

    it('states the budgets and where the round trip and knob stand', () => {
      expect(md).toContain(
        '| CPU budgets | enforced with cgroup v1: 0.25 CPU per replica, CFS period 10000 µs |',
      );
      expect(md).toContain('| calibration knob | off |');
    });
  });

  describe.each(['markdown', 'html'] as const)('in %s', (format) => {
    const out = render[format](troubled);

    it.each(['budgets-not-enforced', 'invalid-run', 'generator-bound', 'high-variation', 'interrupted'])(
      'shows the %s warning',
      (code) => {
        expect(out).toContain(code);
      },
    );

    it('names the invalid run and why it is invalid', () => {
      expect(out).toContain('session-sticky-r2-1');
      expect(out).toContain('non-2xx: 401 x 12');
    });

    it('says the report is not clean and that the run was interrupted', () => {
      expect(out).toContain('Read with care');
      expect(out).toContain('INTERRUPTED');
      expect(out).not.toContain('No warnings');
    });

    it('marks planned scenarios without results as not measured', () => {
      expect(out).toMatch(/revocation[\s\S]*not measured: the plan asked for this scenario/);
    });

    it('says a clean file is clean', () => {
      const cleanOut = render[format](clean);
      expect(cleanOut).toContain('No warnings');
      expect(cleanOut).not.toContain('Read with care');
    });
  });

  it("flags the invalid run's row in the markdown tables", () => {
    expect(render.markdown(troubled)).toMatch(
      /\| ⚠️ session-sticky-r2-1 \| session-sticky \| 2 \| 1 \| non-2xx: 401 x 12 \|/,
    );
  });

  it('shows plain JWT storage as zero by design and memory sessions as not measured when no scenario ran', () => {
    const row = render
      .markdown(troubled)
      .split('\n')
      .find((l) => l.startsWith('| Storage: server-side bytes per session'))!;
    const cells = row.split(' | ');
    // Columns: property, baseline, jwt, jwt-denylist, session-redis, session-sticky, session-iphash, hybrid.
    expect(cells[1]).toBe('0 B by design (no server-side store)');
    expect(cells[2]).toBe('0 B by design (no server-side store)');
    expect(cells[5]).toBe('not measured');
    expect(cells[4]).toMatch(/^236 B \(Redis MEMORY USAGE per key/);
  });

  it('describes the candidate of an A/B results file and says the base is left to compare', () => {
    const ab = structuredClone(clean);
    ab.summaries = [
      ...ab.summaries,
      ...ab.summaries.map((s) => ({
        ...s,
        variant: 'base',
        metrics: { ...s.metrics, throughputRps: { ...s.metrics.throughputRps!, median: 1 } },
      })),
    ];
    const md = render.markdown(ab);
    expect(md).toContain('also holds variant(s) base');
    expect(md).not.toMatch(/\| Scalability: throughput, 1 replica \| 1 req\/s/);
  });

  it('shows the throughput-at-SLO search when the results carry one, with the first probe that missed', () => {
    const withSlo = structuredClone(clean);
    withSlo.summaries.find((s) => s.setup === 'jwt' && s.replicas === 1)!.throughputAtSlo = {
      sloP99Ms: 50,
      ratePerSecond: 400,
      probes: [
        { ratePerSecond: 200, achievedRps: 199, p99Us: 20_000, met: true, reason: null },
        { ratePerSecond: 400, achievedRps: 398, p99Us: 41_000, met: true, reason: null },
        { ratePerSecond: 800, achievedRps: 610, p99Us: 240_000, met: false, reason: 'p99 240 ms > 50 ms' },
      ],
    };
    expect(render.markdown(withSlo)).toContain(
      '| jwt | 1 | 50.0 ms | 400 req/s | 2 of 3 | 800 req/s: p99 240 ms > 50 ms |',
    );
    expect(render.markdown(clean)).not.toContain('Throughput at a latency objective');
  });

  it('escapes setup names and messages in HTML so results cannot inject markup', () => {
    const hostile = structuredClone(troubled);
    hostile.warnings[0]!.message = '<script>alert(1)</script>';
    const html = render.html(hostile);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders a results file interrupted before any run finished, saying what is missing', () => {
    const empty = structuredClone(troubled);
    empty.runs = [];
    empty.summaries = [];
    const md = render.markdown(empty);
    expect(md).toContain('No setup has a valid throughput summary');
    expect(md).toContain('No valid runs carry the data for this chart.');
    expect(md).toContain('interrupted');
  });

  it('keeps the HTML free of scripts and external references so it works offline', () => {
    const html = render.html(clean);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import/i);
  });
});
