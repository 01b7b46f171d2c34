/**
 * The monthly report (/duban score) and the bulletin through preview → approve → publish, over the
 * real app and the fake Web API: the preview in the supervision channel with 批准发布 / 退回, the
 * published post in the bulletin channel, a reason asked for 退回, non-admins, a second click, the
 * audit trail, and the scheduled runs (clock injected) previewing instead of publishing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ask, buttonsOf, freshId, isResponseTo, type MessageBody } from '../slack/helpers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';

const ADMIN = 'U0ADMIN001';
const OTHER_ADMIN = 'U0ADMIN002';
const LIAISON = 'U0LIAISON1';
const SUPERVISION = 'C0SUPERVIS';
const BULLETIN = 'C0BULLETIN';
/** Monday 2026-12-07, 10:00 in Shanghai. */
const MONDAY = new Date('2026-12-07T10:00:00+08:00');

let t: TestApp;

async function setUp(now: Date) {
  t = await startTestApp({ admins: [ADMIN, OTHER_ADMIN], now });
  await t.store.transact((tx) =>
    tx.replace({
      ...tx.state,
      settings: {
        ...tx.state.settings,
        supervisionChannelId: SUPERVISION,
        schedule: { ...tx.state.settings.schedule, bulletinChannelId: BULLETIN },
      },
    }),
  );
}

afterEach(async () => t?.close());

function postsTo(channel: string, since = 0): ApiCall[] {
  return t.fake.calls
    .slice(since)
    .filter(
      (c): c is ApiCall => c.kind === 'api' && c.method === 'chat.postMessage' && c.ok && c.args.channel === channel,
    );
}

function button(call: ApiCall, actionId: string) {
  const b = buttonsOf(call.args as MessageBody).find((x) => x.action_id === actionId);
  expect(b, actionId).toBeDefined();
  return b!;
}

/** Clicks a button of a posted message; resolves with the first answer sent to the click's response_url. */
async function clickOn(call: ApiCall, actionId: string, userId: string) {
  const id = freshId('publish');
  const b = button(call, actionId);
  const before = t.fake.calls.length;
  await t.slack.action({
    actionId,
    value: b.value,
    userId,
    channelId: SUPERVISION,
    responseUrl: t.fake.responseUrl(id),
    triggerId: `trig-${id}`,
  });
  return { id, before, value: b.value };
}

async function responseTo(id: string) {
  const r = await t.fake.waitFor(isResponseTo(id));
  return { body: r.body as MessageBody, text: allText(r.body) };
}

async function previewBy(command: string): Promise<ApiCall> {
  const before = t.fake.calls.length;
  await ask(t, '/duban', command, ADMIN);
  const previews = postsTo(SUPERVISION, before);
  expect(previews).toHaveLength(1);
  return previews[0]!;
}

describe('/duban score: the monthly report, previewed, approved and published', () => {
  beforeEach(async () => setUp(MONDAY));

  it('shows an admin the report and sends its preview to the supervision channel, publishing it on approval', async () => {
    const before = t.fake.calls.length;
    const asked = freshId('score');
    await t.slack.command({
      command: '/duban',
      text: 'score 2026-11',
      userId: ADMIN,
      channelId: 'C0GENERAL1',
      responseUrl: t.fake.responseUrl(asked),
    });
    const answer = await responseTo(asked);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('2026年11月督办工作评价');
    expect(answer.text).toContain('各部门排名（只看结果，不看发了多少消息）');
    expect(answer.text).toContain(`待批准发布：<#${SUPERVISION}>`);
    expect(answer.text).toContain('评分 = 按时报送率×40');
    const preview = postsTo(SUPERVISION, before)[0]!;
    const previewText = allText(preview.args);
    expect(previewText).toContain('月度评价（待审核）');
    expect(previewText).toMatch(/1\. \S+　\*[\d.]+ 分\*　(按时报送 \d+\/\d+|本月无应报) · 逾期 \d+ 项/);
    expect(buttonsOf(preview.args as MessageBody).map((b) => b.text.text)).toEqual(['批准发布', '退回']);
    expect(postsTo(BULLETIN)).toHaveLength(0);

    const { id } = await clickOn(preview, 'duban.publish.approve', ADMIN);
    const decided = await responseTo(id);
    expect(decided.body.replace_original).toBe(true);
    expect(decided.text).toContain('月度评价（2026年11月）已批准发布。审核人：');
    expect(decided.text).toContain(`<@${ADMIN}>`);
    expect(decided.text).toContain(`已发布到 <#${BULLETIN}>`);
    const published = postsTo(BULLETIN);
    expect(published).toHaveLength(1);
    const publishedText = allText(published[0]!.args);
    expect(publishedText).toContain('2026年11月督办工作评价');
    // Exactly what was previewed, without the buttons or the preview's note.
    expect(buttonsOf(published[0]!.args as MessageBody)).toEqual([]);
    expect(publishedText).not.toContain('待审核');
    expect(published[0]!.args.blocks).toEqual((preview.args.blocks as unknown[]).slice(1, -1));
    const record = Object.values(t.store.model().db.publications)[0]!;
    expect(record).toMatchObject({ kind: 'monthly', period: '2026-11', status: 'published', by: ADMIN });
    expect(record.published?.channel).toBe(BULLETIN);

    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain('月度评价（2026-11）送审预览');
    expect(audit.text).toContain('月度评价（2026-11）批准发布');
    expect(audit.text).toContain('月度评价（2026-11）已发布');
  });

  it('answers a second click, by anyone, that the report was already handled, and publishes once', async () => {
    const preview = await previewBy('score 2026-11');
    await responseTo((await clickOn(preview, 'duban.publish.approve', ADMIN)).id);
    const again = await clickOn(preview, 'duban.publish.approve', OTHER_ADMIN);
    const second = await responseTo(again.id);
    expect(second.body.response_type).toBe('ephemeral');
    expect(second.text).toBe('这份月度评价（2026年11月）已处理（已发布），无需再次操作。');
    const back = await clickOn(preview, 'duban.publish.return', OTHER_ADMIN);
    expect((await responseTo(back.id)).text).toContain('已处理（已发布）');
    expect(postsTo(BULLETIN)).toHaveLength(1);
    expect(t.fake.calls.some((c) => c.kind === 'api' && c.method === 'views.open')).toBe(false);
  });

  it('sends a preview back with a reason asked in a form, and publishes nothing', async () => {
    const preview = await previewBy('score');
    const { id } = await clickOn(preview, 'duban.publish.return', ADMIN);
    const open = await t.fake.waitFor((r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && r.ok);
    const view = open.args.view as { private_metadata: string; callback_id: string; title: { text: string } };
    expect(view.title.text).toBe('退回理由');
    const empty = await t.slack.view({
      callbackId: view.callback_id,
      userId: ADMIN,
      privateMetadata: view.private_metadata,
      values: { reason: { reason: '  ' } },
    });
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: { reason: '请填写退回理由，例如：住建局数据待核实。' },
    });
    await t.slack.view({
      callbackId: view.callback_id,
      userId: ADMIN,
      privateMetadata: view.private_metadata,
      values: { reason: { reason: '住建局数据待核实' } },
    });
    const returned = await responseTo(id);
    // The default month is the one before today's (December): November.
    expect(returned.text).toContain('月度评价（2026年11月）已退回：住建局数据待核实。审核人：');
    expect(postsTo(BULLETIN)).toHaveLength(0);
    const after = await clickOn(preview, 'duban.publish.approve', ADMIN);
    expect((await responseTo(after.id)).text).toContain('已处理（已退回）');
    expect(postsTo(BULLETIN)).toHaveLength(0);
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain('月度评价（2026-11）退回：住建局数据待核实');
  });

  it('lets only admins approve or send back, and shows others the report once published', async () => {
    const preview = await previewBy('评价 2026-11');
    const refused = await clickOn(preview, 'duban.publish.approve', LIAISON);
    expect((await responseTo(refused.id)).text).toContain('只有督查室管理员');
    const refusedBack = await clickOn(preview, 'duban.publish.return', LIAISON);
    expect((await responseTo(refusedBack.id)).text).toContain('只有督查室管理员');
    expect(postsTo(BULLETIN)).toHaveLength(0);

    const before = t.fake.calls.length;
    const notYet = await ask(t, '/duban', '月度评价 2026-11', LIAISON);
    expect(notYet.text).toContain('2026年11月的督办工作评价尚未发布。');
    expect(postsTo(SUPERVISION, before)).toHaveLength(0);

    await responseTo((await clickOn(preview, 'duban.publish.approve', ADMIN)).id);
    const shown = await ask(t, '/duban', 'score 2026-11', LIAISON);
    expect(shown.body.response_type).toBe('ephemeral');
    expect(shown.text).toContain('2026年11月督办工作评价');
    expect(shown.text).not.toContain('待审核');
  });

  it('answers a month it cannot read with an example', async () => {
    const answer = await ask(t, '/duban', 'score 2026-13', ADMIN);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('「2026-13」不是月份：请写成年-月，例如 2026-11。');
    expect(answer.text).toContain('/duban score 2026-11');
    expect(postsTo(SUPERVISION)).toHaveLength(0);
  });
});

describe('scheduled runs preview instead of publishing', () => {
  async function tickAt(now: Date) {
    t.setNow(now);
    const before = t.fake.calls.length;
    await t.scheduler.tick();
    return before;
  }

  it('previews the Friday bulletin in the supervision channel and publishes it on approval, which the next one counts from', async () => {
    await setUp(new Date('2026-12-04T15:00:00+08:00'));
    const since = await tickAt(new Date('2026-12-04T16:00:00+08:00'));
    const previews = postsTo(SUPERVISION, since);
    expect(previews).toHaveLength(1);
    expect(allText(previews[0]!.args)).toContain('通报（待审核）');
    expect(allText(previews[0]!.args)).toContain('督办通报');
    expect(postsTo(BULLETIN)).toHaveLength(0);
    expect(t.store.model().db.lastBulletin).toBeUndefined();
    // A second tick (or a restart) finds the preview sent.
    await tickAt(new Date('2026-12-04T16:01:00+08:00'));
    expect(postsTo(SUPERVISION, since)).toHaveLength(1);

    await responseTo((await clickOn(previews[0]!, 'duban.publish.approve', ADMIN)).id);
    const published = postsTo(BULLETIN);
    expect(published).toHaveLength(1);
    expect(allText(published[0]!.args)).toContain('督办通报（2026年12月4日）');
    expect(t.store.model().db.lastBulletin?.date).toBe('2026-12-04');

    const next = await tickAt(new Date('2026-12-11T16:00:00+08:00'));
    const second = postsTo(SUPERVISION, next);
    expect(second).toHaveLength(1);
    expect(allText(second[0]!.args)).toContain('12月4日 以来的变化');
  });

  it('publishes only the latest of two bulletin previews left waiting', async () => {
    await setUp(new Date('2026-12-04T15:00:00+08:00'));
    await tickAt(new Date('2026-12-04T16:00:00+08:00'));
    await tickAt(new Date('2026-12-11T16:00:00+08:00'));
    const [older, newer] = postsTo(SUPERVISION);
    const stale = await clickOn(older!, 'duban.publish.approve', ADMIN);
    expect((await responseTo(stale.id)).text).toBe('之后已有更新的预览，这份旧预览不再发布，请审核最新的一份。');
    expect(postsTo(BULLETIN)).toHaveLength(0);
    await responseTo((await clickOn(newer!, 'duban.publish.approve', ADMIN)).id);
    expect(postsTo(BULLETIN)).toHaveLength(1);
    expect(allText(postsTo(BULLETIN)[0]!.args)).toContain('督办通报（2026年12月11日）');
  });

  it('publishes the bulletin at once when an admin turns approval off, as /duban schedule then says', async () => {
    await setUp(new Date('2026-12-04T15:00:00+08:00'));
    const refused = await ask(t, '/duban', 'schedule set bulletin-approval off', LIAISON);
    expect(refused.text).toContain('只有督查室管理员');
    const bad = await ask(t, '/duban', 'schedule set bulletin-approval maybe', ADMIN);
    expect(bad.text).toContain('用法：`/duban schedule set bulletin-approval on|off`');
    const set = await ask(t, '/duban', 'schedule set bulletin-approval off', ADMIN);
    expect(set.text).toContain('已将通报审核设为 关闭（定时通报直接发布）。');
    expect(t.store.model().db.settings.schedule.bulletinApproval).toBe(false);
    expect((await ask(t, '/duban', 'schedule', ADMIN)).text).toContain('通报审核：关闭');
    await tickAt(new Date('2026-12-04T16:00:00+08:00'));
    expect(postsTo(BULLETIN)).toHaveLength(1);
    expect(postsTo(SUPERVISION)).toHaveLength(0);
    expect(buttonsOf(postsTo(BULLETIN)[0]!.args as MessageBody)).toEqual([]);
  });

  it("previews the previous month's report on the first working day at 10:00, once", async () => {
    // Sunday 1 November: the run moves to Monday the 2nd.
    await setUp(new Date('2026-10-31T10:00:00+08:00'));
    const sunday = await tickAt(new Date('2026-11-01T10:00:00+08:00'));
    expect(postsTo(SUPERVISION, sunday)).toHaveLength(0);
    const since = await tickAt(new Date('2026-11-02T10:00:00+08:00'));
    const previews = postsTo(SUPERVISION, since);
    expect(previews).toHaveLength(1);
    expect(allText(previews[0]!.args)).toContain('2026年10月督办工作评价');
    await tickAt(new Date('2026-11-02T10:05:00+08:00'));
    expect(postsTo(SUPERVISION, since)).toHaveLength(1);
    expect(Object.values(t.store.model().db.publications)).toMatchObject([
      { kind: 'monthly', period: '2026-10', status: 'pending' },
    ]);
  });
});
