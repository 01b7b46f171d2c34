/**
 * Charts in Slack, over the real app and the fake Web API: the scheduled bulletin with its ranking
 * chart in the bulletin's thread (once, however often the run is retried; a chart that fails neither
 * loses nor repeats the bulletin and is tried again with the run), the preview → approve path with the
 * chart under the preview and under the published post, and 趋势图 / Trend on an item's detail view,
 * sent to the asker's DM once per click.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import {
  ask,
  buttonsOf,
  EN_USER,
  expectValidMessage,
  freshId,
  isResponseTo,
  type MessageBody,
  ZH_USER,
} from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const SUPERVISION = 'C0SUPERVIS';
const BULLETIN = 'C0BULLETIN';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const FRIDAY_BEFORE = new Date('2026-12-04T15:00:00+08:00');
const FRIDAY_RUN = new Date('2026-12-04T16:00:00+08:00');
const dmOf = (user: string) => `D${user.slice(1)}`;

let t: TestApp;
afterEach(async () => t?.close());

async function setUp(options: { approval: boolean; now?: Date }) {
  t = await startTestApp({ admins: [ADMIN], now: options.now ?? FRIDAY_BEFORE });
  await t.store.transact((tx) =>
    tx.replace({
      ...tx.state,
      settings: {
        ...tx.state.settings,
        supervisionChannelId: SUPERVISION,
        schedule: { ...tx.state.settings.schedule, bulletinChannelId: BULLETIN, bulletinApproval: options.approval },
      },
    }),
  );
}

async function tickAt(now: Date) {
  t.setNow(now);
  await t.scheduler.tick();
}

const okCalls = (method: string, channel?: string) =>
  t.fake
    .callsTo(method)
    .filter((c) => c.ok && (channel === undefined || c.args.channel === channel || c.args.channel_id === channel));

/** The files shared in a channel: the completing call, and the bytes uploaded for its file. */
function chartsIn(channel: string) {
  return okCalls('files.completeUploadExternal', channel).map((complete) => {
    const fileId = (complete.args.files as Array<{ id: string }>)[0]!.id;
    const upload = t.fake.uploads.find((u) => u.fileId === fileId)!;
    const slot = t.fake
      .callsTo('files.getUploadURLExternal')
      .find((c) => (c.response as { file_id: string }).file_id === fileId)!;
    return {
      complete,
      bytes: upload.bytes,
      filename: String(slot.args.filename),
      alt: String(slot.args.alt_text ?? ''),
    };
  });
}

/** The run of the bulletin (other kinds of run may be recorded as missed around it). */
const bulletinRun = () => {
  const runs = Object.entries(t.store.model().db.runs).filter(([slot]) => slot.startsWith('bulletin'));
  expect(runs).toHaveLength(1);
  return runs[0]![1];
};

async function clickOn(call: ApiCall, actionId: string, userId: string, channelId: string) {
  const id = freshId('chart');
  const b = buttonsOf(call.args as MessageBody).find((x) => x.action_id === actionId)!;
  expect(b, actionId).toBeDefined();
  await t.slack.action({ actionId, value: b.value, userId, channelId, responseUrl: t.fake.responseUrl(id) });
  return t.fake.waitFor(isResponseTo(id), 20_000);
}

describe('the scheduled bulletin with its ranking chart', () => {
  it('posts the bulletin and uploads the ranking chart as a PNG in its thread, once across re-runs', async () => {
    await setUp({ approval: false });
    await tickAt(FRIDAY_RUN);
    const posts = okCalls('chat.postMessage', BULLETIN);
    expect(posts).toHaveLength(1);
    expect(allText(posts[0]!.args)).toContain('督办通报（2026年12月4日）');
    const charts = chartsIn(BULLETIN);
    expect(charts).toHaveLength(1);
    const [chart] = charts;
    expect(chart!.complete.args.thread_ts).toBe((posts[0]!.response as { ts: string }).ts);
    expect(chart!.complete.args.initial_comment).toBe('📊 各部门进度排名');
    expect(chart!.bytes.subarray(0, 8).equals(PNG)).toBe(true);
    expect(chart!.filename).toBe('进度排名-2026-12-04.png');
    expect(chart!.alt).toContain('各部门进度排名（名次从高到低）');
    const run = bulletinRun();
    expect(run?.outcome).toMatchObject({ zone: 'sent', chart: 'sent' });

    // The next tick, or a restart, finds both sent.
    await tickAt(new Date('2026-12-04T16:01:00+08:00'));
    expect(okCalls('chat.postMessage', BULLETIN)).toHaveLength(1);
    expect(chartsIn(BULLETIN)).toHaveLength(1);
    expect(t.fake.uploads).toHaveLength(1);
  });

  it('still posts the bulletin when the chart upload fails, logs it, and uploads the chart once on the retry', async () => {
    await setUp({ approval: false });
    t.fake.failNext('files.completeUploadExternal', { ok: false, error: 'internal_error' });
    await tickAt(FRIDAY_RUN);
    expect(okCalls('chat.postMessage', BULLETIN)).toHaveLength(1);
    expect(chartsIn(BULLETIN)).toHaveLength(0);
    expect(t.logs.join('')).toContain('a chart could not be posted with its message');
    const run = bulletinRun();
    expect(run.status).toBe('partial');
    expect(run.outcome).toMatchObject({ zone: 'sent', chart: 'failed: internal_error' });
    expect((await ask(t, '/duban', 'schedule', ADMIN)).text).toContain('通报附图');

    // The run is retried the next minute: the bulletin is not posted again, the chart is.
    await tickAt(new Date('2026-12-04T16:01:00+08:00'));
    expect(okCalls('chat.postMessage', BULLETIN)).toHaveLength(1);
    expect(chartsIn(BULLETIN)).toHaveLength(1);
    expect(bulletinRun()).toMatchObject({
      status: 'done',
      outcome: { zone: 'already sent', chart: 'sent' },
    });
  });
  it('uploads no chart for a bulletin that failed, and posts both once when the run is retried', async () => {
    await setUp({ approval: false });
    t.fake.failNext('chat.postMessage', { ok: false, error: 'internal_error' });
    await tickAt(FRIDAY_RUN);
    expect(okCalls('chat.postMessage', BULLETIN)).toHaveLength(0);
    expect(t.fake.callsTo('files.getUploadURLExternal')).toHaveLength(0);
    expect(bulletinRun().outcome).toEqual({ zone: 'failed: internal_error' });

    await tickAt(new Date('2026-12-04T16:01:00+08:00'));
    const posts = okCalls('chat.postMessage', BULLETIN);
    expect(posts).toHaveLength(1);
    const charts = chartsIn(BULLETIN);
    expect(charts).toHaveLength(1);
    expect(charts[0]!.complete.args.thread_ts).toBe((posts[0]!.response as { ts: string }).ts);
  });
});

describe('preview → approve → publish with the chart', () => {
  it('puts the chart under the preview, and under the published post once, however often 批准发布 is clicked', async () => {
    await setUp({ approval: true });
    await tickAt(FRIDAY_RUN);
    const previews = okCalls('chat.postMessage', SUPERVISION);
    expect(previews).toHaveLength(1);
    const underPreview = chartsIn(SUPERVISION);
    expect(underPreview).toHaveLength(1);
    expect(underPreview[0]!.complete.args.thread_ts).toBe((previews[0]!.response as { ts: string }).ts);
    expect(chartsIn(BULLETIN)).toHaveLength(0);

    const first = await clickOn(previews[0]!, 'duban.publish.approve', ADMIN, SUPERVISION);
    expect(allText(first.body)).toContain('已批准发布');
    await t.fake.waitFor(
      (r) => r.kind === 'api' && r.method === 'files.completeUploadExternal' && r.args.channel_id === BULLETIN,
    );
    const published = okCalls('chat.postMessage', BULLETIN);
    expect(published).toHaveLength(1);
    const underPost = chartsIn(BULLETIN);
    expect(underPost).toHaveLength(1);
    expect(underPost[0]!.complete.args.thread_ts).toBe((published[0]!.response as { ts: string }).ts);
    expect(underPost[0]!.bytes.subarray(0, 8).equals(PNG)).toBe(true);
    // The published chart is the preview's, drawn from the same figures.
    expect(underPost[0]!.alt).toBe(underPreview[0]!.alt);

    const again = await clickOn(previews[0]!, 'duban.publish.approve', ADMIN, SUPERVISION);
    expect(again.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(okCalls('chat.postMessage', BULLETIN)).toHaveLength(1);
    expect(chartsIn(BULLETIN)).toHaveLength(1);
  });
});

describe('趋势图 / Trend on an item', () => {
  async function detailOf(number: number, userId = ZH_USER) {
    const answer = await ask(t, '/duban', `#${number}`, userId);
    const trend = buttonsOf(answer.body).find((b) => b.action_id === 'duban.chart.trend');
    return { answer, trend };
  }

  async function press(value: string, userId = ZH_USER, actionTs?: string) {
    const id = freshId('trend');
    await t.slack.action({
      actionId: 'duban.chart.trend',
      value,
      userId,
      channelId: 'C0GENERAL1',
      responseUrl: t.fake.responseUrl(id),
      ...(actionTs ? { action: { action_ts: actionTs } } : {}),
    });
    // The first chart starts the renderer's worker: longer than the fake's default wait.
    return t.fake.waitFor(isResponseTo(id), 20_000);
  }

  it('sends the chart to the asker’s DM with an ephemeral notice, and nothing more for the same click again', async () => {
    t = await startTestApp();
    const { answer, trend } = await detailOf(1);
    expectValidMessage(answer.body);
    expect(trend?.text.text).toBe('趋势图');
    expect(trend?.value).toBe('t-edb-iva-growth');

    const notice = await press(trend!.value, ZH_USER, '1764900000.000100');
    expect(notice.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(allText(notice.body)).toBe('趋势图已发送到与督办的私信。');
    const sent = chartsIn(dmOf(ZH_USER));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.complete.args.initial_comment).toBe('📈 「规上工业增加值增速」（#1）趋势图');
    expect(sent[0]!.bytes.subarray(0, 8).equals(PNG)).toBe(true);

    // Noted like a seen event: bounded and kept an hour, whatever the number of clicks.
    expect(Object.keys(t.store.model().db.seen.events)).toContain(`trend:${ZH_USER}:1764900000.000100`);
    // Slack delivering the same click again (same user, same action_ts): no second chart, no second notice.
    const before = t.fake.calls.length;
    const http = await t.slack.action({
      actionId: 'duban.chart.trend',
      value: trend!.value,
      userId: ZH_USER,
      channelId: 'C0GENERAL1',
      responseUrl: t.fake.responseUrl(freshId('trend')),
      action: { action_ts: '1764900000.000100' },
    });
    expect(http.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.fake.calls.slice(before).filter((c) => c.kind === 'api' && c.method.startsWith('files.'))).toEqual([]);
    expect(chartsIn(dmOf(ZH_USER))).toHaveLength(1);

    // A new click is a new request: another chart.
    await press(trend!.value, ZH_USER, '1764900099.000100');
    expect(chartsIn(dmOf(ZH_USER))).toHaveLength(2);
  });

  it('shows the button on projects and answers in English for an English user', async () => {
    t = await startTestApp();
    t.fake.setUser(EN_USER, { locale: 'en-US' });
    const { trend } = await detailOf(11, EN_USER);
    expect(trend?.text.text).toBe('Trend');
    expect(trend?.value).toBe('ur-03');
    const notice = await press(trend!.value, EN_USER);
    expect(allText(notice.body)).toBe('The trend chart is in your DM with duban.');
    expect(chartsIn(dmOf(EN_USER))[0]!.complete.args.initial_comment).toContain('📈 Trend of');
  });

  it('apologises when the upload fails, sends nothing, and lets the same click, delivered again, try again', async () => {
    t = await startTestApp();
    t.fake.failNext('files.completeUploadExternal', { ok: false, error: 'internal_error' });
    const failed = await press('t-edb-iva-growth', ZH_USER, '1764900500.000100');
    expect(allText(failed.body)).toBe('抱歉，处理您的请求时出了点问题，已记录，请稍后再试。');
    expect(chartsIn(dmOf(ZH_USER))).toHaveLength(0);
    expect(t.logs.join('')).toContain('listener failed');
    const retried = await press('t-edb-iva-growth', ZH_USER, '1764900500.000100');
    expect(allText(retried.body)).toBe('趋势图已发送到与督办的私信。');
    expect(chartsIn(dmOf(ZH_USER))).toHaveLength(1);
  });

  it('answers politely when the item has no reports, or is gone, and sends nothing', async () => {
    t = await startTestApp();
    await t.store.transact((tx) => {
      const ur03 = tx.state.projects.find((p) => p.id === 'ur-03')!;
      tx.replace({
        ...tx.state,
        projects: [...tx.state.projects, { ...ur03, id: 'ur-new', name: { zh: '新开工项目' } }],
      });
    });
    const none = await press('ur-new');
    expect(none.body).toMatchObject({ response_type: 'ephemeral' });
    expect(allText(none.body)).toContain('「新开工项目」还没有可画成趋势图的进度报送。');
    expect(allText(none.body)).toContain('/progress #');
    const gone = await press('t-no-such-item');
    expect(allText(gone.body)).toBe('找不到这个事项（可能已删除）。请用 `/duban #编号` 重新查看，例如 `/duban #12`。');
    expect(t.fake.callsTo('files.completeUploadExternal')).toEqual([]);
  });
});
