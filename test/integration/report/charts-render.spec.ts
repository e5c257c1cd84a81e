/**
 * The chart renderer runs vega in a child node process (vega is ESM-only and
 * Jest cannot load it): it must work from here, and a broken spec must come
 * back as a message, not a hang or a silent empty chart.
 */
import { childScriptPath, renderCharts } from '../../../bench/report/charts.render';

describe('renderCharts', () => {
  it('renders a Vega-Lite spec to SVG through the child process', async () => {
    const svgs = await renderCharts([
      {
        name: 'tiny',
        spec: {
          data: {
            values: [
              { x: 1, y: 2 },
              { x: 2, y: 3 },
            ],
          },
          mark: 'line',
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
        },
      },
    ]);
    expect(Object.keys(svgs)).toEqual(['tiny']);
    expect(svgs.tiny).toMatch(/^<svg[\s\S]*class="mark-line[\s\S]*<\/svg>$/);
  });

  it("reports a spec vega cannot render with the chart name and vega's own message", async () => {
    await expect(
      renderCharts([{ name: 'broken', spec: { data: { values: [] }, mark: 'no-such-mark' } }]),
    ).rejects.toThrow(
      /rendering the report charts failed \(exit 1\):\nchart "broken" could not be rendered: /,
    );
  });

  it('finds its child script from the source tree', () => {
    expect(childScriptPath()).toMatch(/bench\/report\/vega\.render-child\.mjs$/);
  });
});
