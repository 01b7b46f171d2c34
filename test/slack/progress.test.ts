/**
 * Reporting progress through Slack: thread replies, /progress, the form, questions with buttons,
 * review, edits and deletions, permissions and the audit trail — through the real Bolt app. Each
 * test starts from the seed (城市更新项目开工数 at 30/40) with no one in any department, and adds
 * the people it needs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/domain/journal.ts';
import { SIGNING_SECRET, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { message, retryHeaders, signedPost } from '../support/slack-requests.ts';
import {
  ask,
  buttonsOf,
  CHANNEL,
  click,
  EN_USER,
  type MessageBody,
  postedBy,
  RAW_MENTION,
  replyInThread,
  type ThreadAnswer,
  ZH_USER,
} from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const OUTSIDER = 'U0OUTSIDE1';
const TARGET = 't-hurdb-renewal-starts';

let t: TestApp;

async function updatesOf(itemId: string): Promise<Array<Extract<JournalEvent, { type: 'update' }>>> {
  return (await t.store.history({ itemId })).filter(
    (e): e is Extract<JournalEvent, { type: 'update' }> => e.type === 'update' && e.by !== 'seed',
  );
}

function valueOf(itemId: string) {
  return t.store.model().progress.get(itemId)?.value;
}

/** 住建局's people: two liaisons (one writing Chinese, one English) and an admin as its lead. */
async function staffHurdb(): Promise<void> {
  await ask(t, '/duban', `member add <@${ZH_USER}|liaison> 住建局`, ADMIN);
  await ask(t, '/duban', `member add <@${EN_USER}|leader> 住建局`, ADMIN);
  await ask(t, '/duban', `lead add <@${ADMIN}> 住建局`, ADMIN);
}

/** Edits a reply in a thread, as Slack sends it, and waits for duban to say it updated the entry. */
async function editReply(thread: string, posted: ThreadAnswer, text: string): Promise<void> {
  const edited = message({
    text: '',
    channelId: CHANNEL,
    subtype: 'message_changed',
    extra: {
      message: { type: 'message', user: ZH_USER, text, ts: posted.ts, thread_ts: thread },
      previous_message: { user: ZH_USER, ts: posted.ts, thread_ts: thread },
    },
  });
  await t.slack.event(edited);
  await t.fake.waitFor(
    (r) => r.kind === 'api' && r.method === 'chat.postMessage' && allText(r.args).includes('已按修改后的消息更新'),
  );
}

/** Deletes a reply in a thread, as Slack sends it, and waits for duban to say it retracted the entry. */
async function deleteReply(thread: string, posted: ThreadAnswer, text: string): Promise<void> {
  const deleted = message({
    text: '',
    channelId: CHANNEL,
    subtype: 'message_deleted',
    extra: { deleted_ts: posted.ts, previous_message: { user: ZH_USER, ts: posted.ts, thread_ts: thread, text } },
  });
  await t.slack.event(deleted);
  await t.fake.waitFor(
    (r) => r.kind === 'api' && r.method === 'chat.postMessage' && allText(r.args).includes('已撤回'),
  );
}

beforeEach(async () => {
  t = await startTestApp({ admins: [ADMIN] });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN', name: 'liaison' });
  t.fake.setUser(EN_USER, { locale: 'en-US', name: 'leader' });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
  t.fake.setUser(OUTSIDER, { locale: 'zh-CN', name: 'outsider' });
});
afterEach(async () => t.close());

describe('membership is managed by admins', () => {
  it('refuses a non-admin politely and changes nothing', async () => {
    const answer = await ask(t, '/duban', `member add <@${ZH_USER}|liaison> 住建局`, OUTSIDER);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('只有督查室管理员');
    expect(t.store.model().db.departments.find((d) => d.id === 'hurdb')?.memberIds).toEqual([]);
  });

  it('lets an admin add liaisons and a lead, recorded in the audit trail', async () => {
    const added = await ask(t, '/duban', `member add <@${ZH_USER}|liaison> 住建局`, ADMIN);
    expect(added.body.response_type).toBe('ephemeral');
    expect(added.text).toContain(`<@${ZH_USER}>`);
    expect(added.text).toContain('已加为住建局的联络员');
    await ask(t, '/duban', `member add <@${EN_USER}|leader> 住建局`, ADMIN);
    await ask(t, '/duban', `lead add <@${ADMIN}> 住建局`, ADMIN);
    const hurdb = t.store.model().db.departments.find((d) => d.id === 'hurdb')!;
    expect(hurdb.memberIds).toEqual([ZH_USER, EN_USER]);
    expect(hurdb.leadIds).toEqual([ADMIN]);
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain('添加住建局联络员');
  });

  it('lists members for anyone', async () => {
    await staffHurdb();
    const answer = await ask(t, '/duban', 'members 住建局', OUTSIDER);
    expect(answer.text).toContain(`<@${ZH_USER}>`);
    expect(answer.text).toContain('负责人');
  });
});

describe('replying in the thread of a status answer', () => {
  let thread: string;
  beforeEach(async () => {
    await staffHurdb();
    ({ ts: thread } = await postedBy(t, '/targets', TARGET));
  });

  it('logs an increment, reacts ✅ and answers with the new total and the status change', async () => {
    const before = valueOf(TARGET)!;
    const reply = await replyInThread(t, thread, '本月新开工3项');
    expect(reply.call.method).toBe('chat.postMessage');
    expect(reply.text).toContain(`已记录：城市更新项目开工数 新增 3 项（累计 ${before + 3}/40）`);
    expect(reply.text).toMatch(/状态：.+/);
    expect(valueOf(TARGET)).toBe(before + 3);
    await t.fake.waitFor(
      (r) =>
        r.kind === 'api' &&
        r.method === 'reactions.add' &&
        r.args.timestamp === reply.ts &&
        r.args.name === 'white_check_mark',
    );
    const [last] = (await updatesOf(TARGET)).slice(-1);
    expect(last?.update).toMatchObject({
      by: ZH_USER,
      value: before + 3,
      source: 'slack',
      note: '本月新开工3项',
      message: { channel: CHANNEL, ts: reply.ts, threadTs: thread },
    });
  });

  it('logs a retried delivery and a duplicate of the same message exactly once', async () => {
    const count = (await updatesOf(TARGET)).length;
    const value = valueOf(TARGET)!;
    const event = message({ text: '累计开工34项', userId: ZH_USER, channelId: CHANNEL, threadTs: thread });
    const first = await t.slack.event(event, { eventId: 'Ev0RETRY001' });
    expect(first.status).toBe(200);
    await t.fake.waitFor((r) => r.kind === 'api' && r.method === 'reactions.add' && r.args.timestamp === event.ts);
    // Slack retries the same event, then delivers the same message under another event id.
    expect((await t.slack.event(event, { eventId: 'Ev0RETRY001', headers: retryHeaders(1) })).status).toBe(200);
    expect((await t.slack.event(event, { eventId: 'Ev0OTHER001' })).status).toBe(200);
    // A later, different reply proves the duplicates were processed (and ignored) before it.
    await replyInThread(t, thread, '累计开工35项');
    const updates = await updatesOf(TARGET);
    expect(updates).toHaveLength(count + 2);
    expect(updates.map((u) => u.update.value).slice(-2)).toEqual([34, 35]);
    expect(valueOf(TARGET)).toBe(35);
    expect(value).toBeLessThan(35);
  });

  it('asks with buttons when a figure could be new or the total, and logs the reading clicked', async () => {
    // 1 could be this period's new starts or a mistyped total, so duban asks, the likely reading first.
    const reply = await replyInThread(t, thread, '开工1项');
    expect(reply.text).toContain('这个数是本期新增，还是累计总数？');
    const buttons = buttonsOf(reply.call.args as MessageBody);
    expect(buttons.length).toBeGreaterThanOrEqual(3);
    const total = buttons.find((b) => b.text.text.startsWith('新增 1 项'))!;
    expect(total).toBeDefined();
    const answer = await click(t, total, ZH_USER);
    expect(answer.body.replace_original).toBe(true);
    expect(answer.text).toContain('已记录：城市更新项目开工数 累计 31/40');
    expect(valueOf(TARGET)).toBe(31);
    // The same button again finds the question gone.
    const again = await click(t, total, ZH_USER);
    expect(again.text).toContain('已过期');
    expect(valueOf(TARGET)).toBe(31);
  });

  it('reads English replies', async () => {
    const reply = await replyInThread(t, thread, 'now at 37', { userId: EN_USER });
    expect(reply.text).toContain('Recorded: Urban-renewal projects started');
    expect(valueOf(TARGET)).toBe(37);
  });

  it('refuses someone outside the department, naming who can report, and logs nothing', async () => {
    const count = (await updatesOf(TARGET)).length;
    const reply = await replyInThread(t, thread, '累计开工40项', { userId: OUTSIDER });
    expect(reply.call.method).toBe('chat.postEphemeral');
    expect(reply.call.args.user).toBe(OUTSIDER);
    expect(reply.text).toContain('不能为「城市更新项目开工数」报送');
    expect(reply.text).toContain(`<@${ZH_USER}>`);
    expect(await updatesOf(TARGET)).toHaveLength(count);
  });

  it('keeps a file shared in the thread as evidence', async () => {
    const reply = await replyInThread(t, thread, '累计开工38项，附开工令', {
      extra: {
        subtype: 'file_share',
        files: [
          {
            id: 'F0EVIDENCE1',
            name: '开工令.pdf',
            permalink: 'https://duban-test.slack.com/files/U0LIAISON1/F0EVIDENCE1/kgl.pdf',
          },
        ],
      },
    });
    expect(reply.text).toContain('佐证材料 1 件');
    const [last] = (await updatesOf(TARGET)).slice(-1);
    expect(last?.update.evidence).toEqual([
      {
        kind: 'file',
        url: 'https://duban-test.slack.com/files/U0LIAISON1/F0EVIDENCE1/kgl.pdf',
        name: '开工令.pdf',
        fileId: 'F0EVIDENCE1',
      },
    ]);
  });

  it('updates the entry when the reply is edited, and retracts it when deleted, keeping the history', async () => {
    await replyInThread(t, thread, '累计开工37项');
    const posted = await replyInThread(t, thread, '累计开工39项');
    expect(valueOf(TARGET)).toBe(39);
    await editReply(thread, posted, '累计开工38项（更正）');
    expect(valueOf(TARGET)).toBe(38);
    await deleteReply(thread, posted, '累计开工38项（更正）');
    expect(valueOf(TARGET)).toBe(37);
    const history = await t.store.history({ itemId: TARGET });
    expect(history.map((e) => e.type).slice(-3)).toEqual(['update', 'update.edit', 'update.retract']);
  });

  it('escapes what people wrote when echoing it', async () => {
    const reply = await replyInThread(t, thread, '<!channel> 累计开工39项 <@U0ADMIN001>');
    expect(reply.text).not.toMatch(RAW_MENTION);
  });

  it('ignores replies in threads duban did not start, and bot messages', async () => {
    const count = (await updatesOf(TARGET)).length;
    await t.slack.event(
      message({ text: '累计开工40项', userId: ZH_USER, channelId: CHANNEL, threadTs: '1764000000.000001' }),
    );
    await t.slack.event(
      message({
        text: '累计开工40项',
        botId: 'B0OTHERBOT',
        channelId: CHANNEL,
        threadTs: thread,
        subtype: 'bot_message',
      }),
    );
    // A reply that is processed afterwards shows the two above were handled first.
    await replyInThread(t, thread, '累计开工39项', { userId: OUTSIDER });
    expect(await updatesOf(TARGET)).toHaveLength(count);
  });
});

describe('a department thread', () => {
  beforeEach(staffHurdb);

  it('asks which item when the reply names none, then logs the chosen one', async () => {
    const { ts } = await postedBy(t, '/projects', '住建局');
    const reply = await replyInThread(t, ts, '完成70%');
    expect(reply.text).toContain('这条进展是关于哪一项的？');
    const item = buttonsOf(reply.call.args as MessageBody).find((b) => b.text.text.includes('星湖花园老旧小区改造'))!;
    const answer = await click(t, item, ZH_USER);
    expect(answer.text).toContain('已记录：星湖花园老旧小区改造 完成 70%');
    expect(t.store.model().progress.get('ur-01')?.percent).toBe(70);
  });

  it("logs directly when only one listed item is the reporter's to report", async () => {
    // 住建局's target list also shows a target it supports but does not own: only its own can be meant.
    const { ts } = await postedBy(t, '/targets', '住建局');
    await replyInThread(t, ts, '累计完成70%');
    expect(valueOf(TARGET)).toBe(28);
  });

  it('logs directly when the reply names the item', async () => {
    const { ts } = await postedBy(t, '/targets', '住建局');
    await replyInThread(t, ts, '城市更新项目开工数 累计开工31项');
    expect(valueOf(TARGET)).toBe(31);
  });
});

describe('/progress', () => {
  beforeEach(staffHurdb);

  it('logs by the number shown in lists', async () => {
    const n = t.store.model().numberOf(TARGET)!;
    const answer = await ask(t, '/progress', `#${n} 累计33项 已完成招标`);
    expect(answer.text).toContain('已记录：城市更新项目开工数 累计 33/40');
    expect(valueOf(TARGET)).toBe(33);
    const [last] = (await updatesOf(TARGET)).slice(-1);
    expect(last?.update).toMatchObject({ source: 'command', value: 33 });
  });

  it('explains the usage for an unknown item, ephemerally', async () => {
    const answer = await ask(t, '/progress', '#99999 5');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('没有找到事项「#99999」');
    expect(answer.text).toContain('/progress #12 31');
  });

  it('opens the form when given nothing, and shows invalid input inline without losing it', async () => {
    const before = t.fake.calls.length;
    await t.slack.command({
      command: '/progress',
      text: '',
      userId: ZH_USER,
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl('form'),
      triggerId: 'trig-1',
    });
    const open = await t.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= before,
    );
    expect(open.ok).toBe(true);
    const view = open.args.view as {
      callback_id: string;
      blocks: Array<{ block_id: string; element: { options?: Array<{ value: string }> } }>;
    };
    expect(view.callback_id).toBe('duban.progress.form');
    // The department picker offers the liaison's own department.
    expect(view.blocks.find((b) => b.block_id === 'department')?.element.options?.map((o) => o.value)).toEqual([
      'hurdb',
    ]);

    const bad = await t.slack.view({
      callbackId: 'duban.progress.form',
      userId: ZH_USER,
      values: {
        item: { item: { type: 'external_select', selected_option: { value: TARGET } } },
        percent: { percent: { type: 'number_input', value: '150' } },
        evidence: { evidence: { type: 'url_text_input', value: 'not a link' } },
      },
    });
    expect(bad.status).toBe(200);
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: { percent: '请填写 0 到 100 之间的数。', evidence: '请填写以 http:// 或 https:// 开头的链接。' },
    });

    const good = await t.slack.view({
      callbackId: 'duban.progress.form',
      userId: ZH_USER,
      values: {
        item: { item: { type: 'external_select', selected_option: { value: TARGET } } },
        value: { value: { type: 'number_input', value: '34' } },
        note: { note: '本月新开工1项' },
        evidence: { evidence: { type: 'url_text_input', value: 'https://example.org/kgl.pdf' } },
      },
    });
    const body = good.json() as { response_action: string; view: unknown };
    expect(body.response_action).toBe('update');
    expect(allText(body.view)).toContain('已记录：城市更新项目开工数 累计 34/40');
    const [last] = (await updatesOf(TARGET)).slice(-1);
    expect(last?.update).toMatchObject({
      source: 'form',
      value: 34,
      note: '本月新开工1项',
      evidence: [{ kind: 'link', url: 'https://example.org/kgl.pdf' }],
    });
  });

  it('offers in the form only the items the user may report for', async () => {
    const payload = {
      type: 'block_suggestion',
      action_id: 'item',
      block_id: 'item',
      value: '城市更新',
      user: { id: ZH_USER },
      team: { id: 'T0DUBAN01' },
      api_app_id: 'A0DUBANAPP',
      view: { id: 'V1', type: 'modal', callback_id: 'duban.progress.form', state: { values: {} } },
    };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const res = await signedPost(
      `${t.baseUrl}/slack/events`,
      SIGNING_SECRET,
      body,
      'application/x-www-form-urlencoded',
    );
    const options = (res.json() as { options: Array<{ value: string }> }).options.map((o) => o.value);
    expect(options).toContain(TARGET);
    expect(options.every((id) => t.store.model().item(id)?.item.departmentId === 'hurdb')).toBe(true);
    const narrowed = {
      ...payload,
      value: '',
      user: { id: ADMIN },
      view: {
        ...payload.view,
        state: { values: { department: { department: { type: 'static_select', selected_option: { value: 'edb' } } } } },
      },
    };
    const admin = await signedPost(
      `${t.baseUrl}/slack/events`,
      SIGNING_SECRET,
      `payload=${encodeURIComponent(JSON.stringify(narrowed))}`,
      'application/x-www-form-urlencoded',
    );
    const adminOptions = (admin.json() as { options: Array<{ value: string }> }).options.map((o) => o.value);
    expect(adminOptions.length).toBeGreaterThan(0);
    expect(adminOptions.every((id) => t.store.model().item(id)?.item.departmentId === 'edb')).toBe(true);
    const outsider = await signedPost(
      `${t.baseUrl}/slack/events`,
      SIGNING_SECRET,
      `payload=${encodeURIComponent(JSON.stringify({ ...payload, user: { id: OUTSIDER } }))}`,
      'application/x-www-form-urlencoded',
    );
    expect((outsider.json() as { options: unknown[] }).options).toEqual([]);
  });
});

describe('review and close (复核 → 销号)', () => {
  const PROJECT = 'ur-03';
  beforeEach(staffHurdb);

  it('sends a claim of done to the admins, and the item is done only once approved', async () => {
    const before = t.fake.calls.length;
    const answer = await ask(t, '/progress', `${PROJECT} 已全部完成`);
    expect(answer.text).toContain('已提交督查室复核');
    const request = await t.fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === ADMIN &&
        t.fake.calls.indexOf(r) >= before,
    );
    expect(allText(request.args)).toContain('请复核');
    const model = t.store.model();
    expect(model.evaluate('2026-11-28').byId.get(PROJECT)?.status).not.toBe('done');
    expect(model.db.reviews).toHaveLength(1);

    const approve = buttonsOf(request.args as MessageBody).find((b) => b.action_id === 'duban.review.approve')!;
    const refused = await click(t, approve, ZH_USER);
    expect(refused.text).toContain('只有督查室管理员');
    const decided = await click(t, approve, ADMIN);
    expect(decided.body.replace_original).toBe(true);
    expect(decided.text).toContain('复核通过，已销号');
    expect(t.store.model().evaluate('2026-11-28').byId.get(PROJECT)?.status).toBe('done');
    const events = (await t.store.history({ itemId: PROJECT })).map((e) => e.type).slice(-3);
    expect(events).toEqual(['update', 'review.request', 'review.decide']);
  });

  it('sends a claim back with a reason given in a form', async () => {
    const before = t.fake.calls.length;
    await ask(t, '/progress', 'ur-04 已完成');
    const request = await t.fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === ADMIN &&
        t.fake.calls.indexOf(r) >= before,
    );
    const back = buttonsOf(request.args as MessageBody).find((b) => b.action_id === 'duban.review.return')!;
    const openBefore = t.fake.calls.length;
    await t.slack.action({
      actionId: back.action_id,
      value: back.value,
      userId: ADMIN,
      channelId: ADMIN.replace('U', 'D'),
      responseUrl: t.fake.responseUrl('review-msg'),
      triggerId: 'trig-2',
    });
    const open = await t.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= openBefore,
    );
    const view = open.args.view as { private_metadata: string; callback_id: string };
    const empty = await t.slack.view({
      callbackId: view.callback_id,
      userId: ADMIN,
      privateMetadata: view.private_metadata,
      values: { reason: { reason: '  ' } },
    });
    expect(empty.json()).toEqual({ response_action: 'errors', errors: { reason: '请填写退回理由。' } });
    await t.slack.view({
      callbackId: view.callback_id,
      userId: ADMIN,
      privateMetadata: view.private_metadata,
      values: { reason: { reason: '缺竣工验收报告' } },
    });
    await t.fake.waitFor(
      (r) => r.kind === 'response' && r.id === 'review-msg' && allText(r.body).includes('已退回：缺竣工验收报告'),
    );
    await t.fake.waitFor(
      (r) =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === ZH_USER &&
        allText(r.args).includes('退回'),
    );
    expect(t.store.model().evaluate('2026-11-28').byId.get('ur-04')?.status).not.toBe('done');
    expect(t.store.model().db.reviews).toEqual([]);
  });
});

describe('exemptions and the audit trail', () => {
  it('lets an admin exempt an item with a reason; it is shown but never behind', async () => {
    const n = t.store.model().numberOf('ur-20')!;
    const answer = await ask(t, '/duban', `exempt #${n} 征收政策调整，年内暂缓`, ADMIN);
    expect(answer.text).toContain('已豁免');
    expect(t.store.model().evaluate('2026-11-28').byId.get('ur-20')?.status).toBe('exempt');
    const behind = await ask(t, '/duban', 'behind');
    expect(behind.text).not.toContain('通富路东侧城中村改造');
  });

  it("shows an item's audit trail to admins only", async () => {
    await staffHurdb();
    const thread = (await postedBy(t, '/targets', TARGET)).ts;
    const posted = await replyInThread(t, thread, '累计开工39项');
    await editReply(thread, posted, '累计开工38项（更正）');
    await deleteReply(thread, posted, '累计开工38项（更正）');
    const n = t.store.model().numberOf(TARGET)!;
    const refused = await ask(t, '/duban', `audit #${n}`, ZH_USER);
    expect(refused.text).toContain('只有督查室管理员');
    const audit = await ask(t, '/duban', `audit #${n}`, ADMIN);
    expect(audit.body.response_type).toBe('ephemeral');
    expect(audit.text).toContain('「城市更新项目开工数」操作记录');
    expect(audit.text).toContain('撤回');
    expect(audit.text).toContain('修改');
  });
});

describe('concurrent reports', () => {
  beforeEach(staffHurdb);

  it("keeps every one of several people's simultaneous replies, in order", async () => {
    const { ts } = await postedBy(t, '/targets', TARGET);
    const count = (await updatesOf(TARGET)).length;
    const start = valueOf(TARGET) ?? 0;
    const events = Array.from({ length: 8 }, (_, i) =>
      message({
        text: i % 2 ? '1 more started this month' : '本月新开工1项',
        userId: i % 2 ? EN_USER : ZH_USER,
        channelId: CHANNEL,
        threadTs: ts,
      }),
    );
    await Promise.all(events.map((e) => t.slack.event(e)));
    for (const e of events)
      await t.fake.waitFor((r) => r.kind === 'api' && r.method === 'reactions.add' && r.args.timestamp === e.ts, 5000);
    const updates = (await updatesOf(TARGET)).slice(count);
    expect(updates).toHaveLength(8);
    // Each increment is added to the value the one before it left: none is lost, none counted twice.
    expect(updates.map((u) => u.update.value)).toEqual(Array.from({ length: 8 }, (_, i) => start + i + 1));
    expect(updates.map((u) => u.seq)).toEqual([...updates.map((u) => u.seq)].sort((a, b) => a - b));
  });
});
