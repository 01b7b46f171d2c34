/**
 * Chart rendering time: p50/p95 per chart kind, drawn the way duban draws them (ECharts on a Skia canvas
 * in the renderer's worker thread, PNG at 2×, timed from `render()` to the PNG in hand) and, side by side
 * in the same run, the baseline the issue suggested: the same option drawn by ECharts' server-side SVG
 * rendering and rasterised by resvg (@resvg/resvg-js, a devDependency for this benchmark only) with the
 * same font file. Measured in alternating rounds (AB BA …) after a warm-up of each, on the sample zone.
 *
 *   npm run bench:charts
 *   npm run bench:charts -- --renders 60 --rounds 6 --warmup 5
 *
 * The bar: a chart in at most 300 ms p95 on this machine (issue 14). See docs/benchmarks.md.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { chartFontFile } from '../src/charts/font.ts';
import type { ChartKind, ChartSpec } from '../src/charts/port.ts';
import { createChartRenderer } from '../src/charts/renderer.ts';
import { projectsChart } from '../src/charts/specs/projects.ts';
import { rankingChart } from '../src/charts/specs/ranking.ts';
import { trendChart } from '../src/charts/specs/trend.ts';
import { openSeedSession } from '../test/support/command-session.ts';
import { ms, percentile, table } from './stats.ts';

const BAR_P95_MS = 300;
const SCALE = 2;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const n = at >= 0 ? Number(process.argv[at + 1]) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}
const renders = flag('renders', 60);
const rounds = flag('rounds', 6);
const warmup = flag('warmup', 5);

/** The three kinds on the bundled sample zone, as of its date. */
export async function sampleSpecs(): Promise<Record<ChartKind, ChartSpec>> {
  const session = await openSeedSession();
  const model = session.store.model();
  const today = session.context().today;
  const evaluation = model.evaluate(today);
  const id = 't-hurdb-renewal-starts';
  const progress = model.progress.get(id)!;
  const status = evaluation.byId.get(id)!;
  return {
    ranking: rankingChart(model.rollup(today), model.db.meta.zone, today, 'zh-CN'),
    // The item's own forecast, as the 趋势图 button draws it.
    trend: trendChart(status, progress, status.forecast, today, 'zh-CN')!,
    projects: projectsChart(evaluation.projects, model.db.meta.zone, today, 'zh-CN'),
  };
}

/** The baseline: ECharts' SSR SVG string, rasterised by resvg with the same font (in this thread). */
function svgResvg(spec: ChartSpec, fontFile: string): Buffer {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: spec.width, height: spec.height });
  try {
    chart.setOption({ ...spec.option, animation: false, textStyle: { fontFamily: 'Noto Sans SC' } });
    const svg = chart.renderToSVGString();
    const resvg = new Resvg(svg, {
      font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: 'Noto Sans SC' },
      fitTo: { mode: 'zoom', value: SCALE },
    });
    return resvg.render().asPng();
  } finally {
    chart.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const specs = await sampleSpecs();
  const kinds = Object.keys(specs) as ChartKind[];
  const charts = createChartRenderer({ scale: SCALE });
  const fontFile = chartFontFile();
  const engines = {
    'canvas (worker)': async (spec: ChartSpec) => (await charts.render(spec)).png,
    'svg + resvg': async (spec: ChartSpec) => svgResvg(spec, fontFile),
  };
  type Engine = keyof typeof engines;
  const order = Object.keys(engines) as Engine[];
  const samples = new Map<string, number[]>();
  const bytes = new Map<string, number>();
  /**
   * CPU time of the whole process (worker included) per render: unlike wall time, hardly changed by
   * other processes on a shared machine, so it says what a render costs when the machine is quiet.
   */
  const cpuMs = new Map<string, number[]>();

  const started = performance.now();
  for (const engine of order)
    for (const kind of kinds) for (let i = 0; i < warmup; i++) await engines[engine](specs[kind]);
  const firstMs = performance.now() - started;
  const perRound = Math.ceil(renders / rounds);
  for (let round = 0; round < rounds; round++) {
    const engineOrder = round % 2 === 0 ? order : [...order].reverse();
    for (const engine of engineOrder)
      for (const kind of kinds)
        for (let i = 0; i < perRound; i++) {
          const t = performance.now();
          const cpu = process.cpuUsage();
          const png = await engines[engine](specs[kind]);
          const key = `${kind}\t${engine}`;
          (samples.get(key) ?? samples.set(key, []).get(key)!).push(performance.now() - t);
          const used = process.cpuUsage(cpu);
          (cpuMs.get(key) ?? cpuMs.set(key, []).get(key)!).push((used.user + used.system) / 1000);
          bytes.set(key, png.length);
        }
  }
  await charts.close();

  const rows: string[][] = [];
  let worstCanvas = 0;
  for (const kind of kinds)
    for (const engine of order) {
      const key = `${kind}\t${engine}`;
      const sorted = Float64Array.from(samples.get(key)!).sort();
      const p95 = percentile(sorted, 95);
      if (engine === 'canvas (worker)') worstCanvas = Math.max(worstCanvas, p95);
      rows.push([
        kind,
        engine,
        String(sorted.length),
        ms(percentile(sorted, 50)),
        ms(p95),
        ms(sorted[sorted.length - 1]!),
        ms(percentile(Float64Array.from(cpuMs.get(key)!).sort(), 50)),
        `${Math.round(bytes.get(key)! / 1024)} KB`,
      ]);
    }
  console.log(
    `charts: ${renders} renders per kind and engine in ${rounds} alternating rounds after ${warmup} warm-up renders each (warm-up, worker start included: ${ms(firstMs)} ms); PNG at ${SCALE}×`,
  );
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  console.log(table(['chart', 'engine', 'n', 'p50 ms', 'p95 ms', 'max ms', 'CPU p50 ms', 'PNG'], rows));
  const ok = worstCanvas <= BAR_P95_MS;
  console.log(
    `bar: canvas p95 ≤ ${BAR_P95_MS} ms for every kind — ${ok ? 'met' : 'NOT met'} (worst ${ms(worstCanvas)} ms)`,
  );
  process.exit(ok ? 0 : 1);
}
