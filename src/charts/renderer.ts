/**
 * Draws charts in a worker thread, so the thread that acknowledges Slack never waits on a chart.
 *
 * Why this stack: Apache ECharts lays out the charts leaders know from government cockpits (stacked
 * bars, lines with dashed forecasts) from a plain JSON option, and @napi-rs/canvas (Skia, prebuilt,
 * no system libraries) draws them straight to PNG. Its fonts are registered once per worker, where an
 * SVG rasteriser such as resvg-js reloads the 10 MB CJK font on every image (about 300 ms each here).
 *
 * One worker draws one chart at a time; others wait their turn. It starts on the first chart (about
 * half a second: ECharts and the font) and stops after a while without work, so a bot that never draws
 * carries no worker. A chart that takes too long stops the worker, and the next chart starts a new one.
 */
import { Worker } from 'node:worker_threads';
import { CHART_FONT_FAMILY, chartFontFile } from './font.ts';
import type { ChartImage, ChartPort, ChartSpec } from './port.ts';

export type RendererOptions = {
  /** Pixel density of the PNG: 2 draws a 800×500 chart as 1600×1000, sharp on high-density screens. */
  scale?: number;
  /** How long one chart may take, starting the worker included, ms. */
  timeoutMs?: number;
  /** How long an idle worker waits for the next chart before it stops, ms. */
  idleMs?: number;
  /**
   * The font file; `null` draws without one (only to prove, in tests, that the bundled font is what
   * makes Chinese readable).
   */
  fontFile?: string | null;
};

const ENTRY = new URL('./render-worker.mjs', import.meta.url);

type Job = {
  id: number;
  spec: ChartSpec;
  resolve: (image: ChartImage) => void;
  reject: (error: Error) => void;
};

type Answer = { id: number; png?: ArrayBuffer; error?: string };

/** Reads a PNG's pixel size from its IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

export function createChartRenderer(options: RendererOptions = {}): ChartPort {
  const scale = options.scale ?? 2;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const idleMs = options.idleMs ?? 120_000;
  const fontFile = options.fontFile === undefined ? chartFontFile() : options.fontFile;

  let worker: Worker | undefined;
  let current: Job | undefined;
  let timer: NodeJS.Timeout | undefined;
  let idle: NodeJS.Timeout | undefined;
  const queue: Job[] = [];
  let nextId = 1;

  function stopWorker(): Promise<number> | undefined {
    const w = worker;
    worker = undefined;
    return w?.terminate();
  }

  function fail(error: Error): void {
    if (timer) clearTimeout(timer);
    const job = current;
    current = undefined;
    void stopWorker();
    job?.reject(error);
    pump();
  }

  function start(): Worker {
    const w = new Worker(ENTRY, {
      workerData: { fontFile, family: CHART_FONT_FAMILY },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    w.unref();
    w.on('message', (answer: Answer) => {
      const job = current;
      if (!job || job.id !== answer.id) return;
      if (timer) clearTimeout(timer);
      current = undefined;
      if (answer.error !== undefined || !answer.png) job.reject(new Error(`chart ${job.spec.kind}: ${answer.error}`));
      else {
        const png = Buffer.from(answer.png);
        const { width, height } = pngSize(png);
        const { title, alt, name } = job.spec;
        job.resolve({ png, width, height, title, alt, filename: `${name}.png` });
      }
      pump();
    });
    w.on('error', (error) => {
      if (worker === w) fail(error);
    });
    w.on('exit', (code) => {
      if (worker === w) fail(new Error(`the chart worker stopped (exit code ${code})`));
    });
    return w;
  }

  function pump(): void {
    if (current) return;
    const job = queue.shift();
    if (!job) {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => void stopWorker(), idleMs);
      idle.unref();
      return;
    }
    if (idle) clearTimeout(idle);
    current = job;
    worker ??= start();
    timer = setTimeout(() => fail(new Error(`chart ${job.spec.kind} took longer than ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    const { option, width, height } = job.spec;
    worker.postMessage({ id: job.id, option, width, height, scale });
  }

  return {
    render(spec) {
      return new Promise<ChartImage>((resolve, reject) => {
        queue.push({ id: nextId++, spec, resolve, reject });
        pump();
      });
    },
    async close() {
      if (idle) clearTimeout(idle);
      if (timer) clearTimeout(timer);
      for (const job of queue.splice(0)) job.reject(new Error('the chart renderer was closed'));
      current?.reject(new Error('the chart renderer was closed'));
      current = undefined;
      await stopWorker();
    },
  };
}
