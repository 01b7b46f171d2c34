/**
 * The bulletin's charts in its exports, drawn by the real renderer: embedded in the workbook's 图表
 * sheet, and referred to from the Markdown by the file names the caller writes them under.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../src/charts/renderer.ts';
import { createReadModel } from '../../src/domain/read-model.ts';
import { exportBulletin } from '../../src/spreadsheet/exchange.ts';
import { loadWorkbook, seedStore, TODAY, TZ } from './helpers.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const model = createReadModel(seedStore(), TZ);
const charts = createChartRenderer();
afterAll(() => charts.close());

describe('the exported bulletin with charts', async () => {
  const zh = await exportBulletin(model, TODAY, 'zh-CN', undefined, undefined, charts);

  it('draws the ranking and the projects chart', () => {
    expect(zh.charts.map((c) => [c.kind, c.file])).toEqual([
      ['ranking', '进度排名-2026-11-28.png'],
      ['projects', '项目进展-2026-11-28.png'],
    ]);
    for (const c of zh.charts) expect(c.image.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('embeds both in a 图表 sheet after the overview, each under its title and its figures in words', async () => {
    const wb = await loadWorkbook(zh.xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通报', '图表', '落后和预警', '逾期节点']);
    const sheet = wb.getWorksheet('图表')!;
    const images = sheet.getImages();
    expect(images).toHaveLength(2);
    const media = (wb.model as unknown as { media: Array<{ extension: string; buffer: Buffer }> }).media;
    expect(media.map((m) => m.extension)).toEqual(['png', 'png']);
    // The very pictures drawn, byte for byte.
    expect(media.map((m) => Buffer.from(m.buffer).equals(zh.charts[Number(m === media[1])]!.image.png))).toEqual([
      true,
      true,
    ]);
    expect(sheet.getCell('A1').value).toBe('各部门进度排名');
    expect(String(sheet.getCell('A2').value)).toMatch(/^各部门进度排名（名次从高到低）。/);
    expect(String(sheet.getCell('A2').value)).toContain('住建局：已完成');
    // Placed below the words (nativeRow counts from 0: the image starts on row 3), the second below the first.
    const [first, second] = images.map((i) => i.range.tl.nativeRow);
    expect(first).toBe(2);
    expect(second!).toBeGreaterThan(first! + 10);
    expect(sheet.getCell(second! - 1, 1).value).toBe('项目分类进展');
  });

  it('refers to the PNGs from the Markdown: the ranking under its heading, the projects after the table', () => {
    const lines = zh.markdown.split('\n');
    const heading = lines.indexOf('## 一、各部门排名');
    expect(lines[heading + 2]).toMatch(/^!\[各部门进度排名（名次从高到低）。.+\]\(进度排名-2026-11-28\.png\)$/);
    const projects = lines.findIndex((l) => l.startsWith('![各类别项目按进展阶段统计'));
    expect(projects).toBeGreaterThan(lines.findIndex((l) => l.startsWith('*排名依据')));
    expect(projects).toBeLessThan(lines.indexOf('## 二、落后和预警事项'));
    expect(lines[projects]).toMatch(/\]\(项目进展-2026-11-28\.png\)$/);
  });

  it('uses the caller’s file names, in angle brackets when they have spaces', async () => {
    const en = await exportBulletin(
      model,
      TODAY,
      'en',
      undefined,
      undefined,
      charts,
      (c) => `my bulletin-${c.kind}.png`,
    );
    expect(en.charts.map((c) => c.file)).toEqual(['my bulletin-ranking.png', 'my bulletin-projects.png']);
    expect(en.markdown).toContain('](<my bulletin-ranking.png>)');
    expect((await loadWorkbook(en.xlsx)).worksheets.map((w) => w.name)).toContain('Charts');
  });

  it('leaves out a chart that fails to draw, names it, and writes the rest whole', async () => {
    const failing = {
      render: (spec: Parameters<typeof charts.render>[0]) =>
        spec.kind === 'projects' ? Promise.reject(new Error('worker gone')) : charts.render(spec),
      close: async () => {},
    };
    const out = await exportBulletin(model, TODAY, 'zh-CN', undefined, undefined, failing);
    expect(out.charts.map((c) => c.kind)).toEqual(['ranking']);
    expect(out.missingCharts.map((m) => [m.kind, (m.error as Error).message])).toEqual([['projects', 'worker gone']]);
    expect(out.markdown).toContain('](进度排名-2026-11-28.png)');
    expect(out.markdown).not.toContain('项目进展-2026-11-28.png');
    expect(out.markdown).toContain('## 二、落后和预警事项');
    const wb = await loadWorkbook(out.xlsx);
    expect(wb.getWorksheet('图表')!.getImages()).toHaveLength(1);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['通报', '图表', '落后和预警', '逾期节点']);
  });

  it('has no charts without a renderer', async () => {
    const plain = await exportBulletin(model, TODAY, 'zh-CN');
    expect(plain.charts).toEqual([]);
    expect(plain.markdown).not.toContain('![');
    expect((await loadWorkbook(plain.xlsx)).worksheets.map((w) => w.name)).toEqual(['通报', '落后和预警', '逾期节点']);
  });
});
