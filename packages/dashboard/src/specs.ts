import { compile, logger as vegaLogger, Warn, type LoggerInterface, type TopLevelSpec } from '@ratchet/charts';

// The page's two charts, written in Vega-Lite and compiled here, in Node, to Vega: the browser
// then needs only Vega's runtime (no compiler) and parses each spec once for every chart of its
// kind. Every chart reads named data sets the page fills per benchmark:
//   points: t (ms since 1970), y, yLow, yHigh (% of roof, or ms), tone, code, href, tip
//   baseline: t, kind, tip          peers: y, name, tip

const colors = { line: '#4c78a8', worse: '#d62728', better: '#2ca02c' };
// About eight ticks whatever the span: Vega then puts them on whole days, months or years.
const x = { field: 't', type: 'temporal', title: null, axis: { tickCount: 8 } } as const;

const overview: TopLevelSpec = {
  width: 240,
  height: 56,
  padding: 2,
  background: 'transparent',
  data: { name: 'points' },
  encoding: {
    x: { ...x, axis: null },
    y: { field: 'y', type: 'quantitative', axis: null, scale: { zero: false } },
  },
  layer: [
    { mark: { type: 'area', color: colors.line, opacity: 0.2 }, encoding: { y: { field: 'yLow', type: 'quantitative' }, y2: { field: 'yHigh' } } },
    { mark: { type: 'line', color: colors.line, strokeWidth: 1.5 } },
    {
      transform: [{ filter: 'datum.last' }],
      mark: { type: 'point', filled: true, size: 50, opacity: 1 },
      encoding: { color: { field: 'tone', type: 'nominal', scale: { domain: ['worse', 'better', 'same'], range: [colors.worse, colors.better, colors.line] }, legend: null } },
    },
  ],
};

const trend = (yTitle: string): TopLevelSpec => ({
  width: 860,
  height: 280,
  background: 'white',
  layer: [
    {
      data: { name: 'points' },
      encoding: { x, y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false }, axis: { grid: true } } },
      layer: [
        { mark: { type: 'area', color: colors.line, opacity: 0.18 }, encoding: { y: { field: 'yLow', type: 'quantitative' }, y2: { field: 'yHigh' } } },
        { mark: { type: 'line', color: colors.line, strokeWidth: 1.5 } },
        {
          mark: { type: 'point', filled: true, cursor: 'pointer', opacity: 1 },
          encoding: {
            shape: { field: 'code', type: 'nominal', scale: { domain: ['same code', 'code changed'], range: ['circle', 'diamond'] }, legend: { orient: 'bottom', title: null } },
            size: { condition: { test: "datum.code === 'code changed'", value: 120 }, value: 42 },
            color: { field: 'tone', type: 'nominal', scale: { domain: ['worse', 'better', 'same'], range: [colors.worse, colors.better, colors.line] }, legend: null },
            href: { field: 'href' },
            tooltip: { field: 'tip' },
          },
        },
      ],
    },
    {
      data: { name: 'baseline' },
      mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.5 },
      encoding: {
        x,
        color: {
          field: 'kind', type: 'nominal', title: 'baseline',
          scale: { domain: ['new', 'improvement', 'accepted slower', 'accepted'], range: ['#999', colors.better, '#ff7f0e', '#9467bd'] },
          legend: { orient: 'bottom' },
        },
        tooltip: { field: 'tip' },
      },
    },
    {
      data: { name: 'peers' },
      layer: [
        { mark: { type: 'rule', color: '#777', strokeDash: [2, 2] }, encoding: { y: { field: 'y', type: 'quantitative' }, tooltip: { field: 'tip' } } },
        { mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#555', fontSize: 10 }, encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 'width' }, text: { field: 'name' } } },
      ],
    },
  ],
  resolve: { scale: { color: 'independent' } },
});

/**
 * The compiled Vega specs: the overview's small charts, and the per-benchmark trend with its y
 * axis in % of the roof (the device's peaks are known) or in ms (they are not: a CPU).
 */
export function chartSpecs(logger: LoggerInterface = vegaLogger(Warn)): { overview: unknown; trendRoof: unknown; trendMs: unknown } {
  return {
    overview: compile(overview, { logger }).spec,
    trendRoof: compile(trend('% of roof (higher is better)'), { logger }).spec,
    trendMs: compile(trend('median time, ms (lower is better)'), { logger }).spec,
  };
}
