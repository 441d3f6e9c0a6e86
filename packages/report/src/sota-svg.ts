import type { SotaFigure, SotaPeerCell, SotaRow, SotaTable } from '@ratchet/types';
import type { TopLevelSpec } from '@ratchet/charts';

/** One bar of the chart: a series (ours or a peer) on one benchmark, or the reason it has none. */
interface Bar {
  benchmark: string;
  series: string;
  tflops: number | null;
  /** TFLOP/s at the ends of the median's 95% CI (the slower end gives the lower rate). */
  low: number | null;
  high: number | null;
  missing: string | null;
}

const rowHeight = 13;
const groupGap = 10;
const reasonChars = 70;

function bar(row: SotaRow, series: string, figure: SotaFigure | null, missing: string): Bar {
  if (!figure) return { benchmark: row.id, series, tflops: null, low: null, high: null, missing: missing.length > reasonChars ? `${missing.slice(0, reasonChars - 1)}…` : missing };
  const rate = (ms: number) => row.flops / (ms / 1e3) / 1e12;
  return { benchmark: row.id, series, tflops: figure.tflops, low: rate(figure.ci95MedianMs[1]), high: rate(figure.ci95MedianMs[0]), missing: null };
}

function peerBar(row: SotaRow, name: string, cell: SotaPeerCell | undefined): Bar {
  if (!cell) return bar(row, name, null, 'not run on this benchmark');
  return cell.status === 'ok' ? bar(row, name, cell, '') : bar(row, name, null, `${cell.status}: ${cell.reason}`);
}

export function sotaBars(table: SotaTable): Bar[] {
  return table.rows.flatMap((row) => [
    bar(row, 'ours', row.ours, 'invalid: failed its correctness check'),
    ...table.peers.map((peer) => peerBar(row, peer.name, row.peers[peer.name])),
  ]);
}

function spec(table: SotaTable, commit: string | null): TopLevelSpec {
  const series = ['ours', ...table.peers.map((p) => p.name)];
  const peak = table.device.peakTflops;
  const y = { field: 'benchmark', type: 'nominal', sort: table.rows.map((r) => r.id), title: null, axis: { labelLimit: 320 } } as const;
  const yOffset = { field: 'series', type: 'nominal', sort: series } as const;
  const subtitle = [
    `${table.createdAt.slice(0, 10)}${commit ? ` · commit ${commit.slice(0, 12)}` : ''} · bar: median · whisker: 95% CI${peak === null ? '' : ' · dashed: peak'}`,
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `TFLOP/s on ${table.device.name} (higher is better)`, subtitle, anchor: 'start' },
    width: 520,
    height: table.rows.length * (series.length * rowHeight + groupGap),
    background: 'white',
    data: { values: sotaBars(table) },
    encoding: { y, yOffset },
    layer: [
      {
        transform: [{ filter: 'datum.tflops !== null' }],
        mark: { type: 'bar', height: rowHeight - 2 },
        encoding: {
          x: { field: 'tflops', type: 'quantitative', title: 'TFLOP/s', axis: { grid: true } },
          color: { field: 'series', type: 'nominal', sort: series, title: null, legend: { orient: 'top', labelLimit: 240 } },
        },
      },
      {
        transform: [{ filter: 'datum.tflops !== null' }],
        mark: { type: 'rule', color: 'black' },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
      {
        transform: [{ filter: 'datum.missing !== null' }],
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, color: '#666' },
        encoding: { x: { datum: 0, type: 'quantitative' }, text: { field: 'missing' } },
      },
      ...(peak === null
        ? []
        : [
            // Their own one-row data: drawn once, not once per bar.
            { data: { values: [{}] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#b00' }, encoding: { x: { datum: peak, type: 'quantitative' }, y: null, yOffset: null } },
            {
              data: { values: [{}] },
              mark: { type: 'text', align: 'right', baseline: 'top', dx: -3, y: 0, color: '#b00', fontSize: 10 },
              encoding: { x: { datum: peak, type: 'quantitative' }, text: { value: `peak ${peak.toFixed(0)} TFLOP/s (dense fp16)` }, y: null, yOffset: null },
            },
          ]),
    ],
  } as TopLevelSpec;
}

/**
 * The SOTA chart as SVG, drawn by Vega-Lite/Vega in Node (no browser): per benchmark a bar per
 * series (ours, then each peer) of TFLOP/s at the median, a whisker over the 95% CI, the device's
 * peak as a dashed line, the date and commit in the subtitle, and for every missing bar its reason.
 */
export async function renderSotaSvg(table: SotaTable, options: { commit?: string | null } = {}): Promise<string> {
  // Loaded here, not with the module: every command imports the report, few draw a chart, and
  // Vega with its compiler is most of what `ratchet` would otherwise load at start.
  const { compile, parse, View } = await import('@ratchet/charts');
  const view = new View(parse(compile(spec(table, options.commit ?? null)).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}
