// Entry of the worker thread that draws charts (see renderer.ts). Plain JavaScript on purpose: it
// receives an ECharts option as plain JSON and sends back PNG bytes, so it needs none of duban's
// TypeScript and runs the same under tsx, vitest and compiled JavaScript.
//
// Apache ECharts lays the chart out and draws it on a Skia canvas (@napi-rs/canvas). Text is set in
// the CJK font the renderer names (Noto Sans SC from an npm package), registered once per worker: a
// fresh machine has no Chinese fonts, and without one every label would be a row of empty boxes.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import * as echarts from 'echarts';

const { fontFile, family } = workerData;
// Below the thread that acknowledges Slack: on Linux a thread's nice value is its own, so this lowers
// only this worker. On a busy machine the acknowledgement then gets the CPU first and a chart waits;
// on a quiet one nothing changes. Lowering one's priority needs no privilege; where it is refused, draw anyway.
try {
  setPriority(10);
} catch {}
if (fontFile) GlobalFonts.registerFromPath(fontFile, family);
// ECharts measures text on a canvas of its own; give it a Skia one, which knows the registered font.
echarts.setPlatformAPI({ createCanvas: () => createCanvas(32, 32) });

function draw({ option, width, height, scale }) {
  const canvas = createCanvas(Math.round(width * scale), Math.round(height * scale));
  const chart = echarts.init(canvas, null, { width, height, devicePixelRatio: scale });
  try {
    chart.setOption({ ...option, animation: false, textStyle: { ...(option.textStyle ?? {}), fontFamily: family } });
    return canvas.toBuffer('image/png');
  } finally {
    chart.dispose();
  }
}

parentPort.on('message', (job) => {
  try {
    const png = draw(job);
    const bytes = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength);
    parentPort.postMessage({ id: job.id, png: bytes }, [bytes]);
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
