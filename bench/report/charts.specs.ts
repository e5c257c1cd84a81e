/**
 * Chart templates: Vega-Lite specs without data. Each names its dataset
 * ("rows") and charts.data.ts supplies the rows, so a template can be read and
 * changed without touching how numbers are picked from results.json.
 */
import { tierNames } from '../results/results.schema';

export interface ChartTemplate {
  name: string;
  title: string;
  /** One sentence: what it shows and how to read it. */
  caption: string;
  spec: Record<string, unknown>;
}

export interface ChartJob {
  name: string;
  spec: Record<string, unknown>;
}

/** What every chart shares: schema, background, fonts. */
export const chartBase = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'white',
  config: {
    font: 'Helvetica, Arial, sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12 },
    legend: { labelFontSize: 11, titleFontSize: 12 },
  },
};

export const throughputChart: ChartTemplate = {
  name: 'throughput',
  title: 'Throughput against replica count',
  caption:
    "Median requests per second at each replica count, one colour per setup, with bars for the interval of the median; the dashed line of the same colour is perfect linear scaling from that setup's 1-replica throughput, so the gap between them is lost efficiency.",
  spec: {
    ...chartBase,
    width: 520,
    height: 300,
    data: { name: 'rows' },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'measured'" }],
        mark: { type: 'errorbar', ticks: true },
        encoding: {
          x: { field: 'replicas', type: 'quantitative' },
          y: { field: 'ciLow', type: 'quantitative', title: 'requests per second' },
          y2: { field: 'ciHigh' },
          color: { field: 'setup', type: 'nominal' },
        },
      },
      {
        // Points in their own layer: a line with point: true would draw the dash legend as filled dots.
        transform: [{ filter: "datum.kind === 'measured'" }],
        mark: { type: 'point', filled: true },
        encoding: {
          x: { field: 'replicas', type: 'quantitative' },
          y: { field: 'rps', type: 'quantitative' },
          color: { field: 'setup', type: 'nominal' },
        },
      },
      {
        mark: { type: 'line' },
        encoding: {
          x: {
            field: 'replicas',
            type: 'quantitative',
            title: 'replicas',
            axis: { tickMinStep: 1, format: 'd' },
          },
          y: { field: 'rps', type: 'quantitative', title: 'requests per second' },
          color: { field: 'setup', type: 'nominal', title: 'setup' },
          strokeDash: {
            field: 'kind',
            type: 'nominal',
            title: 'line',
            scale: {
              domain: ['measured', 'ideal linear'],
              range: [
                [1, 0],
                [5, 4],
              ],
            },
            legend: { symbolType: 'stroke', symbolStrokeColor: '#333', symbolStrokeWidth: 2 },
          },
          detail: { field: 'kind' },
          tooltip: [
            { field: 'setup' },
            { field: 'replicas' },
            { field: 'kind' },
            { field: 'rps', format: ',.0f' },
          ],
        },
      },
    ],
  },
};

export const latencyChart: ChartTemplate = {
  name: 'latency',
  title: 'Latency percentile spectrum',
  caption:
    'Latency at each percentile from the merged HDR histogram of all valid repetitions, one panel per replica count; the percentile axis is logarithmic so the tail (99%, 99.9%, ...) gets as much room as the median, and a line that rises late and steeply means rare but long stalls.',
  spec: {
    ...chartBase,
    data: { name: 'rows' },
    facet: { column: { field: 'replicas', type: 'ordinal', title: 'replicas' } },
    spec: {
      width: 240,
      height: 240,
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: {
          field: 'inverse',
          type: 'quantitative',
          title: 'percentile',
          scale: { type: 'log' },
          axis: {
            values: [1, 10, 100, 1000, 10000, 100000, 1000000],
            labelExpr: "datum.value <= 1 ? '0%' : format(100 - 100 / datum.value, '.5~f') + '%'",
          },
        },
        y: { field: 'latencyMs', type: 'quantitative', title: 'latency (ms)' },
        color: { field: 'setup', type: 'nominal', title: 'setup' },
        tooltip: [
          { field: 'setup' },
          { field: 'percentile', format: '.4~f' },
          { field: 'latencyMs', format: '.3~f' },
        ],
      },
    },
  },
};

export const cpuChart: ChartTemplate = {
  name: 'cpu',
  title: 'CPU microseconds per request, by tier',
  caption:
    'Median CPU time spent per completed request in each tier (API replicas, nginx, Redis, the Redis delay proxy of --store-rtt, load generator), stacked per setup and replica count; a taller bar costs more machine per request wherever it runs.',
  spec: {
    ...chartBase,
    data: { name: 'rows' },
    facet: { column: { field: 'replicas', type: 'ordinal', title: 'replicas' } },
    spec: {
      width: 200,
      height: 240,
      mark: 'bar',
      encoding: {
        x: { field: 'setup', type: 'nominal', title: null, sort: null, axis: { labelAngle: -40 } },
        y: { field: 'us', type: 'quantitative', title: 'CPU µs per request', stack: 'zero' },
        color: {
          field: 'tier',
          type: 'nominal',
          title: 'tier',
          scale: { domain: [...tierNames] },
        },
        order: { field: 'tierOrder' },
        tooltip: [{ field: 'setup' }, { field: 'tier' }, { field: 'us', format: ',.1f' }],
      },
    },
  },
};

export const shareChart: ChartTemplate = {
  name: 'share',
  title: 'Share of requests per replica',
  caption:
    "How the responses of all valid repetitions split across replicas (from each response's x-replica header); even bands mean balanced load, one wide band means a single replica did most of the work while the others idled.",
  spec: {
    ...chartBase,
    width: 520,
    data: { name: 'rows' },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: null },
      x: {
        field: 'responses',
        type: 'quantitative',
        stack: 'normalize',
        title: 'share of responses',
        axis: { format: '%' },
      },
      color: { field: 'replica', type: 'nominal', title: 'replica' },
      tooltip: [{ field: 'label' }, { field: 'replica' }, { field: 'responses', format: ',d' }],
    },
  },
};

/** One per trade-off scenario that recorded a timeline; charts.data.ts names it timeline-<scenario>. */
export const timelineChart: ChartTemplate = {
  name: 'timeline',
  title: 'Timeline',
  caption:
    'Responses per second while the scenario ran, one panel per setup: solid lines are successful responses, dashed lines refused or failed ones (non-2xx and errors), and grey rules mark what the harness injected, so a dashed line rising after a rule is the effect of that event.',
  spec: {
    ...chartBase,
    data: { name: 'rows' },
    facet: { row: { field: 'setup', type: 'nominal', title: null, sort: null } },
    spec: {
      width: 520,
      height: 70,
      layer: [
        {
          transform: [{ filter: "datum.series !== 'injected'" }],
          mark: { type: 'line', interpolate: 'step-after' },
          encoding: {
            x: { field: 't', type: 'quantitative', title: 'seconds into the scenario' },
            y: { field: 'count', type: 'quantitative', title: 'per second' },
            color: {
              field: 'series',
              type: 'nominal',
              title: 'responses',
              scale: { domain: ['ok', 'refused or failed'], range: ['#4c78a8', '#e45756'] },
            },
            strokeDash: {
              field: 'series',
              type: 'nominal',
              scale: {
                domain: ['ok', 'refused or failed'],
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
              title: 'responses',
            },
          },
        },
        {
          transform: [{ filter: "datum.series === 'injected'" }],
          mark: { type: 'rule', color: '#888', strokeWidth: 1.5 },
          encoding: { x: { field: 't', type: 'quantitative' }, tooltip: [{ field: 'what' }] },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  },
};

/** Scaling scenarios: one line per replica, requests it served per second, so replicas joining or leaving show. */
export const replicaTimelineChart: ChartTemplate = {
  name: 'replica-timeline',
  title: 'Per-replica timeline',
  caption:
    'Requests each replica served per second (any status), one panel per setup; grey rules mark the scale-out or scale-in steps. A new replica whose line stays at zero gets no existing users; hover a point for its 401s, re-logins and p99.',
  spec: {
    ...chartBase,
    data: { name: 'rows' },
    facet: { row: { field: 'setup', type: 'nominal', title: null, sort: null } },
    spec: {
      width: 520,
      height: 70,
      layer: [
        {
          transform: [{ filter: "datum.series !== 'injected'" }],
          mark: { type: 'line', interpolate: 'step-after', point: true },
          encoding: {
            x: { field: 't', type: 'quantitative', title: 'seconds into the scenario' },
            y: { field: 'served', type: 'quantitative', title: 'served per second' },
            color: { field: 'series', type: 'nominal', title: 'replica' },
            tooltip: [
              { field: 'series', title: 'replica' },
              { field: 't' },
              { field: 'served', format: ',d' },
              { field: 'status401', title: '401s' },
              { field: 'relogins', title: 're-logins' },
              { field: 'p99Ms', title: 'p99 (ms)', format: '.2f' },
            ],
          },
        },
        {
          transform: [{ filter: "datum.series === 'injected'" }],
          mark: { type: 'rule', color: '#888', strokeWidth: 1.5 },
          encoding: { x: { field: 't', type: 'quantitative' }, tooltip: [{ field: 'what' }] },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  },
};

/** Joins a template with its rows (the only place data meets a template). */
export function withData(template: ChartTemplate, rows: readonly object[]): ChartJob {
  const { data: _named, ...rest } = template.spec as { data?: unknown };
  return { name: template.name, spec: { ...rest, data: { values: rows } } };
}
