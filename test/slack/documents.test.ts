/**
 * 督办单 by hand, through the real Bolt app and the fake Web API: an admin asks for a document about an
 * item, gets the unnumbered .docx in the DM with 发出 / 取消; 发出 numbers it (督〔2026〕N号), posts the
 * file to the department's channel, records a `document` event shown in the audit and a row of the
 * ledger's 督办单 sheet; a second click never gives a second number. The template form refuses unknown
 * placeholders naming them and stores the wording the next document uses.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ItemStatus } from '../../src/domain/status.ts';
import { docxParagraphs } from '../documents/read-docx.ts';
import { loadWorkbook } from '../spreadsheet/helpers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { ask, buttonsOf, click, freshId, type MessageBody } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const LIAISON = 'U0LIAISON9';
const HURDB_CHANNEL = 'C0HURDB001';
const dmOf = (user: string) => `D${user.slice(1)}`;

let t: TestApp;
let item: ItemStatus;
let itemNo: number;

beforeAll(async () => {
  t = await startTestApp({ admins: [ADMIN] });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
  t.fake.setUser(LIAISON, { locale: 'zh-CN', name: 'liaison' });
  t.fake.setChannel(HURDB_CHANNEL, { name: 'hurdb' });
  await t.store.transact((tx) =>
    tx.append({
      type: 'channel',
      at: '2026-11-28T02:00:00.000Z',
      by: ADMIN,
      departmentId: 'hurdb',
      after: HURDB_CHANNEL,
    }),
  );
  const model = t.store.model();
  item = model.evaluate('2026-11-28').tracked.find((s) => s.item.departmentId === 'hurdb' && s.status === 'red')!;
  itemNo = model.numberOf(item.item.id)!;
});
afterAll(async () => t.close());

/** The bytes of the last file completed to `channel`. */
function lastFileTo(channel: string, since = 0) {
  const complete = t.fake
    .callsTo('files.completeUploadExternal')
    .filter((c) => t.fake.calls.indexOf(c) >= since && c.ok && c.args.channel_id === channel)
    .at(-1);
  if (!complete) return undefined;
  const fileId = (complete.args.files as Array<{ id: string }>)[0]!.id;
  const bytes = t.fake.uploads.filter((u) => u.fileId === fileId).at(-1)!.bytes;
  return { complete, bytes, text: docxParagraphs(bytes) };
}

/** Asks for a preview and returns the preview message duban put in the admin's DM. */
async function preview(text: string) {
  const before = t.fake.calls.length;
  const answer = await ask(t, '/duban', text, ADMIN);
  const message = await t.fake.waitFor(
    (r) =>
      r.kind === 'api' &&
      r.method === 'chat.postMessage' &&
      t.fake.calls.indexOf(r) >= before &&
      buttonsOf(r.args as MessageBody).some((b) => b.action_id === 'duban.document.send'),
  );
  const buttons = buttonsOf((message as ApiCall).args as MessageBody);
  return { answer, before, message: message as ApiCall, send: buttons[0]!, cancel: buttons[1]! };
}

const documentEvents = async () => (await t.store.history()).filter((e) => e.type === 'document');

describe('/duban 督办单 #N level', () => {
  beforeEach(() => t.fake.calls.splice(0));

  it('sends the admin an unnumbered draft and a message with 发出 / 取消, posting nothing to the department', async () => {
    const { answer, message, send, cancel } = await preview(`督办单 #${itemNo} 督办函`);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain(`已把「${item.item.name.zh}」的督办函预览稿发到您与督办的私信`);
    expect(message.args.channel).toBe(ADMIN);
    expect(allText(message.args)).toContain('督办函预览 · 住建局');
    expect(allText(message.args)).toContain('<#C0HURDB001>');
    expect([send.text, cancel.text].map((x) => (x as { text: string }).text)).toEqual(['发出', '取消']);
    const draft = lastFileTo(dmOf(ADMIN))!;
    expect(draft.complete.args.initial_comment).toBe('📄 督办函预览稿（发往住建局）：发出前未编号。');
    expect(draft.text).toContain('督〔2026〕　号');
    expect(draft.text).toContain('预览稿　发出时编号');
    expect(lastFileTo(HURDB_CHANNEL)).toBeUndefined();
    expect(await documentEvents()).toHaveLength(0);
  });

  it('发出 numbers the document, posts it to the department’s channel and records it once, however often it is clicked', async () => {
    const { send } = await preview(`督办单 #${itemNo} 督办函`);
    const before = t.fake.calls.length;
    const sent = await click(t, send, ADMIN);
    expect(sent.body.text).toBe('✅ 督办函 督〔2026〕1号 已发到 #C0HURDB001。');
    // In the message itself the channel is Slack's link to it.
    expect(JSON.stringify(sent.body.blocks)).toContain('已发到 <#C0HURDB001>。');
    const posted = lastFileTo(HURDB_CHANNEL, before)!;
    expect(posted.complete.args.initial_comment).toBe('📄 督办函 督〔2026〕1号：请住建局于 12月1日 前反馈办理情况。');
    expect(t.fake.callsTo('files.getUploadURLExternal').at(-1)!.args.filename).toBe('督办函-督〔2026〕1号-住建局.docx');
    expect(posted.text[0]).toBe('南通经济技术开发区督查室　督办函');
    expect(posted.text).toContain('督〔2026〕1号');
    expect(posted.text).toContain('住房和城乡建设局：');
    expect(posted.text.some((p) => p.startsWith(`1. 「${item.item.name.zh}」（#${itemNo}）：`))).toBe(true);
    expect(posted.text.some((p) => p.startsWith('请于12月1日前将办理情况书面反馈'))).toBe(true);

    const again = await click(t, send, ADMIN);
    expect(again.body.text).toBe('督办函 督〔2026〕1号 已经发到 #C0HURDB001，未重复发出。');
    expect(
      t.fake.callsTo('files.completeUploadExternal').filter((c) => c.args.channel_id === HURDB_CHANNEL),
    ).toHaveLength(1);
    const events = await documentEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      number: 1,
      year: 2026,
      level: 'letter',
      departmentId: 'hurdb',
      itemIds: [item.item.id],
      channel: HURDB_CHANNEL,
      by: ADMIN,
    });
  });

  it('gives the next document the next number, and 取消 uses none', async () => {
    const cancelled = await preview(`督办单 #${itemNo} 提示单`);
    const answer = await click(t, cancelled.cancel, ADMIN);
    expect(answer.body.text).toBe('已取消，未发出，也未占用编号。');
    const next = await preview(`督办单 #${itemNo} 提示单`);
    expect((await click(t, next.send, ADMIN)).body.text).toBe('✅ 提示单 督〔2026〕2号 已发到 #C0HURDB001。');
    expect(lastFileTo(HURDB_CHANNEL)!.text[0]).toBe('南通经济技术开发区督查室　提示单');
    expect((await documentEvents()).map((e) => (e.type === 'document' ? e.number : 0))).toEqual([1, 2]);
  });

  it('lists the documents in the audit and in the ledger’s 督办单 sheet', async () => {
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain(`发出督办函 督〔2026〕1号 至住建局：${item.item.name.zh}`);
    const before = t.fake.calls.length;
    const http = await t.slack.command({
      command: '/duban',
      text: 'export',
      userId: ADMIN,
      channelId: 'C0GENERAL1',
      responseUrl: t.fake.responseUrl(freshId('duban')),
    });
    expect(http.status).toBe(200);
    // Building the workbook takes a moment on a busy machine.
    const complete = (await t.fake.waitFor(
      (r) => r.kind === 'api' && r.method === 'files.completeUploadExternal' && t.fake.calls.indexOf(r) >= before,
      15_000,
    )) as ApiCall;
    const fileId = (complete.args.files as Array<{ id: string }>)[0]!.id;
    const wb = await loadWorkbook(t.fake.uploads.filter((u) => u.fileId === fileId).at(-1)!.bytes);
    const sheet = wb.getWorksheet('督办单')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '文号', '文种', '部门', '事项', '日期', '频道']);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '督〔2026〕2号',
      '提示单',
      '住建局',
      `#${itemNo} ${item.item.name.zh}`,
      '2026-11-28',
      HURDB_CHANNEL,
    ]);
    expect(sheet.getRow(3).getCell(1).value).toBe('督〔2026〕1号');
  });

  it.each([
    [LIAISON, `督办单 #1 督办单`, '抱歉，只有督查室管理员可以做这项操作。'],
    [ADMIN, `督办单 #1 加急单`, '「加急单」不是文种。请写 提示单、督办单 或 督办函'],
    [ADMIN, `督办单 #99999`, '没有找到事项「#99999」'],
    [ADMIN, `督办单`, '用法：`/duban 督办单 #12 [提示单|督办单|督办函]`'],
  ])('answers %s typing %j politely, sending nothing', async (user, text, expected) => {
    const answer = await ask(t, '/duban', text, user);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain(expected);
    expect(t.fake.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('asks for a channel before a document can be sent to a department without one', async () => {
    const model = t.store.model();
    const other = model.evaluate('2026-11-28').tracked.find((s) => !model.department(s.item.departmentId)?.channelId)!;
    const answer = await ask(t, '/duban', `督办单 #${model.numberOf(other.item.id)}`, ADMIN);
    expect(answer.text).toContain('还没有设置频道，督办单无法发出。请先用 `/duban channel');
    expect(t.fake.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  });
});

describe('/duban 督办单 模板', () => {
  it('opens the form with the wording in force, refuses unknown placeholders naming them, and stores the rest', async () => {
    const before = t.fake.calls.length;
    const http = await t.slack.command({
      command: '/duban',
      text: '督办单 模板',
      userId: ADMIN,
      channelId: 'C0GENERAL1',
      triggerId: 'trig-1',
      responseUrl: t.fake.responseUrl(freshId('duban')),
    });
    expect(http.status).toBe(200);
    const open = (await t.fake.waitFor(
      (r) => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= before,
    )) as ApiCall;
    const view = open.args.view as {
      callback_id: string;
      blocks: Array<{ block_id?: string; element?: { initial_value?: string } }>;
    };
    expect(view.callback_id).toBe('duban.document.templates');
    expect(view.blocks.find((b) => b.block_id === 'letter')?.element?.initial_value).toBe('督办函');
    expect(allText(open.args)).toContain('{部门} {事项} {原因} {时限}');

    const bad = await t.slack.view({
      callbackId: 'duban.document.templates',
      userId: ADMIN,
      values: { body: { value: '{单位}：请于{期限}前反馈' }, letter: { value: '督办函' } },
    });
    const errors = (bad.json() as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual(['body']);
    expect(errors.body).toContain('不认识的占位符：{单位}、{期限}');

    const good = await t.slack.view({
      callbackId: 'duban.document.templates',
      userId: ADMIN,
      values: { letter: { value: '{督查室}督办函' }, requirement: { value: '请于{时限}前报{督查室}（{编号}）。' } },
    });
    expect(good.status).toBe(200);
    const settings = (await t.store.history()).filter((e) => e.type === 'settings').at(-1)!;
    expect(settings.type === 'settings' && settings.after.documents?.templates).toEqual({
      title: { letter: '{督查室}督办函' },
      requirement: '请于{时限}前报{督查室}（{编号}）。',
    });

    const { send } = await preview(`督办单 #${itemNo} 督办函`);
    const since = t.fake.calls.length;
    await click(t, send, ADMIN);
    const posted = lastFileTo(HURDB_CHANNEL, since)!;
    expect(posted.text).toContain('南通经济技术开发区督查室督办函');
    expect(posted.text, posted.text.join('\n')).toContain('请于12月1日前报南通经济技术开发区督查室（督〔2026〕3号）。');
  });

  it('预览 sends the admin a sample document, unnumbered, in the wording as it stands', async () => {
    const before = t.fake.calls.length;
    const http = await t.slack.action({
      actionId: 'duban.document.templates.preview',
      value: 'preview',
      userId: ADMIN,
      view: { type: 'modal', callbackId: 'duban.document.templates' },
    });
    expect(http.status).toBe(200);
    await t.fake.waitFor(
      (r) => r.kind === 'api' && r.method === 'files.completeUploadExternal' && t.fake.calls.indexOf(r) >= before,
    );
    const sample = lastFileTo(dmOf(ADMIN), before)!;
    expect(sample.complete.args.initial_comment).toBe('已把按当前模板生成的样稿发到您的私信（示例数据，未编号）。');
    expect(sample.text[0]).toBe('南通经济技术开发区督查室　督办单');
    expect(sample.text).toContain('预览稿　发出时编号');
    expect(lastFileTo(HURDB_CHANNEL, before)).toBeUndefined();
  });

  it('refuses the form to someone who is not an admin', async () => {
    const res = await t.slack.view({
      callbackId: 'duban.document.templates',
      userId: LIAISON,
      values: { body: { value: '{部门}：' } },
    });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { body: '抱歉，只有督查室管理员可以做这项操作。' },
    });
  });
});
