/**
 * `/duban export bulletin` when a chart cannot be drawn (the renderer's worker died, a font failed to
 * load): the bulletin's files are sent whole without that picture, the comment with them says which
 * chart is missing and that the figures are complete, and the failure is logged with its cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartPort } from '../../src/charts/port.ts';
import { createChartRenderer } from '../../src/charts/renderer.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { ask } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
let t: TestApp;
let renderer: ChartPort;

beforeAll(async () => {
  renderer = createChartRenderer();
  // The ranking chart fails as a dead worker would; the projects chart is drawn.
  const charts: ChartPort = {
    render: (spec) =>
      spec.kind === 'ranking' ? Promise.reject(new Error('chart worker exited')) : renderer.render(spec),
    close: () => renderer.close(),
  };
  t = await startTestApp({ admins: [ADMIN], charts });
});
afterAll(() => t?.close());

describe('an exported bulletin whose chart fails', () => {
  it('sends the bulletin without that chart, says so with the files, and logs why', async () => {
    // Drawing starts the chart worker before the upload; the answer comes after the upload.
    const answer = await ask(t, '/duban', 'export bulletin', ADMIN, 30_000);
    const complete = t.fake.callsTo('files.completeUploadExternal').at(-1)!;
    expect(answer.text).toContain('通报（Excel 和 Markdown）');
    expect(t.fake.callsTo('files.getUploadURLExternal').map((c) => c.args.filename)).toEqual([
      '通报-2026-11-28.xlsx',
      '通报-2026-11-28.md',
      '项目进展-2026-11-28.png',
    ]);
    expect(String(complete.args.initial_comment)).toContain(
      '图表（各部门进度排名）这次未能生成，通报的数据完整；稍后再导出一次即可补上图表。',
    );
    const mdSlot = t.fake.callsTo('files.getUploadURLExternal').find((c) => c.args.filename === '通报-2026-11-28.md')!;
    const mdId = (mdSlot.response as { file_id: string }).file_id;
    const md = t.fake.uploads.find((u) => u.fileId === mdId)!.bytes.toString('utf8');
    expect(md).not.toContain('进度排名-2026-11-28.png');
    expect(md).toContain('## 一、各部门排名');
    const warned = t.logs.find((l) => l.includes('could not be drawn'));
    expect(warned).toContain('chart worker exited');
    expect(warned).toContain('"kind":"ranking"');
  });
});
