/**
 * The charts as pictures, drawn by the real renderer (a worker thread, ECharts on a Skia canvas, the
 * bundled Noto Sans SC): their size, that the same data gives the same bytes, that Chinese is drawn in
 * the bundled font (not boxes, not whatever the machine happens to have), in both languages, and that
 * long names stay inside the picture. The PNGs are decoded with @napi-rs/canvas, already a dependency.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCanvas, type ImageData, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartImage, ChartPort, ChartSpec } from '../../src/charts/port.ts';
import { createChartRenderer } from '../../src/charts/renderer.ts';
import { projectsChart } from '../../src/charts/specs/projects.ts';
import { rankingChart } from '../../src/charts/specs/ranking.ts';
import { trendChart } from '../../src/charts/specs/trend.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { openSeedSession } from '../support/command-session.ts';

const TODAY = '2026-11-28';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Region = { x0: number; y0: number; x1: number; y1: number };

/** The chart drawn with no font at all, in a fresh process (see support/render-without-font.ts). */
async function renderWithoutFont(spec: ChartSpec): Promise<ChartImage> {
  const dir = mkdtempSync(join(tmpdir(), 'duban-nofont-'));
  try {
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const script = 'test/charts/support/render-without-font.ts';
    await promisify(execFile)(process.execPath, [
      'bin/run-ts.js',
      script,
      join(dir, 'spec.json'),
      join(dir, 'out.png'),
    ]);
    const png = readFileSync(join(dir, 'out.png'));
    return { png, width: 0, height: 0, title: spec.title, alt: spec.alt, filename: `${spec.name}.png` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function decode(image: ChartImage): Promise<ImageData> {
  const img = await loadImage(image.png);
  const canvas = createCanvas(img.width, img.height);
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  return g.getImageData(0, 0, img.width, img.height);
}

/** Pixels darker than mid-grey in the region: text and lines, not the white background. */
function ink(p: ImageData, r: Region): number {
  let n = 0;
  for (let y = r.y0; y < r.y1; y++)
    for (let x = r.x0; x < r.x1; x++) {
      const i = (y * p.width + x) * 4;
      if (0.299 * p.data[i]! + 0.587 * p.data[i + 1]! + 0.114 * p.data[i + 2]! < 128) n++;
    }
  return n;
}

/** Pixels of the region that differ between two pictures of the same size. */
function differing(a: ImageData, b: ImageData, r: Region): number {
  let n = 0;
  for (let y = r.y0; y < r.y1; y++)
    for (let x = r.x0; x < r.x1; x++) {
      const i = (y * a.width + x) * 4;
      if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) n++;
    }
  return n;
}

const area = (r: Region) => (r.x1 - r.x0) * (r.y1 - r.y0);
/** The title line, centred at the top (2× pixels: the renderer's default scale). */
const TITLE: Region = { x0: 400, y0: 16, x1: 1200, y1: 64 };

let charts: ChartPort;
let specs: { ranking: (l: Locale) => ChartSpec; projects: (l: Locale) => ChartSpec; trend: (l: Locale) => ChartSpec };
let model: Awaited<ReturnType<typeof openSeedSession>>['store'] extends { model(): infer M } ? M : never;

beforeAll(async () => {
  charts = createChartRenderer();
  const session = await openSeedSession();
  model = session.store.model();
  const evaluation = model.evaluate(TODAY);
  const starts = evaluation.byId.get('t-hurdb-renewal-starts')!;
  const progress = model.progress.get('t-hurdb-renewal-starts')!;
  specs = {
    ranking: (l) => rankingChart(model.rollup(TODAY), model.db.meta.zone, TODAY, l),
    projects: (l) => projectsChart(evaluation.projects, model.db.meta.zone, TODAY, l),
    // The item's own forecast, as the 趋势图 button draws it.
    trend: (l) => trendChart(starts, progress, starts.forecast, TODAY, l)!,
  };
});

afterAll(async () => {
  await charts?.close();
});

describe('chart images', () => {
  it.each(['zh-CN', 'en'] as const)('draws every kind as a PNG twice its size in CSS pixels (%s)', async (locale) => {
    for (const kind of ['ranking', 'projects', 'trend'] as const) {
      const spec = specs[kind](locale);
      const image = await charts.render(spec);
      expect(image.png.subarray(0, 8).equals(PNG_SIGNATURE), kind).toBe(true);
      expect([image.width, image.height], kind).toEqual([spec.width * 2, spec.height * 2]);
      expect(image.filename).toBe(`${spec.name}.png`);
      const pixels = await decode(image);
      expect([pixels.width, pixels.height]).toEqual([image.width, image.height]);
      expect(ink(pixels, TITLE), `${kind}: its title is drawn`).toBeGreaterThan(area(TITLE) * 0.03);
    }
  });

  it('draws the same data to the same bytes', async () => {
    const spec = specs.trend('zh-CN');
    const [a, b] = [await charts.render(spec), await charts.render(structuredClone(spec))];
    expect(a.png.equals(b.png)).toBe(true);
  });

  it('draws Chinese in the bundled font: without it the title is drawn differently, and different words differ', async () => {
    const spec = specs.ranking('zh-CN');
    const withFont = await decode(await charts.render(spec));
    const without = await decode(await renderWithoutFont(spec));
    // With no font registered Skia falls back to boxes (a fresh machine) or to a system font (this one has
    // Noto Serif CJK): either way not the picture the bundled font draws.
    expect(differing(withFont, without, TITLE)).toBeGreaterThan(area(TITLE) * 0.02);
    expect(ink(withFont, TITLE)).toBeGreaterThan(area(TITLE) * 0.03);
    // Boxes would look alike; glyphs do not: two titles of the same length draw different pixels.
    const other = {
      ...spec,
      option: { ...spec.option, title: { ...(spec.option.title as object), text: '项目分类进展表' } },
    };
    expect([...'项目分类进展表'].length).toBe([...spec.title].length);
    const otherPixels = await decode(await charts.render(other));
    expect(differing(withFont, otherPixels, TITLE)).toBeGreaterThan(area(TITLE) * 0.02);
  });

  it('keeps long names inside the picture: nothing is drawn in the margins at the left and right edges', async () => {
    const rollup = model.rollup(TODAY);
    const long = rollup.departments.map((d) => ({
      ...d,
      department: {
        ...d.department,
        name: { zh: `${d.department.name.zh}城市更新与高质量发展工作专班` },
        shortName: {},
      },
    }));
    for (const spec of [
      rankingChart({ ...rollup, departments: long }, model.db.meta.zone, TODAY, 'zh-CN'),
      specs.trend('en'),
    ]) {
      const pixels = await decode(await charts.render(spec));
      const h = pixels.height;
      expect(ink(pixels, { x0: 0, y0: 0, x1: 12, y1: h }), `${spec.kind}: left edge`).toBe(0);
      expect(ink(pixels, { x0: pixels.width - 12, y0: 0, x1: pixels.width, y1: h }), `${spec.kind}: right edge`).toBe(
        0,
      );
      // The labels are there, just inside the margin.
      expect(ink(pixels, { x0: 12, y0: 0, x1: 120, y1: h })).toBeGreaterThan(0);
    }
  });
});
