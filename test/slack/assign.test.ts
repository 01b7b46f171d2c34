/**
 * 交办 and 签收 through the real Bolt app: the "转为督办事项" message shortcut and /duban assign open
 * the form (prefilled from the message, or empty), a submission with mistakes is answered field by
 * field, a good one is recorded (item and journal event) and posted to the lead and supporting
 * departments with a 签收 button, and signing is recorded once, by the department's own people. An
 * item left unsigned for two working days is behind, and its first reminder carries the button.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detailReply } from '../../commands/views.ts';
import { readModelFromState } from '../../src/domain/read-model.ts';
import type { Commitment } from '../../src/domain/schema.ts';
import { writeLedger } from '../../src/spreadsheet/ledger.ts';
import { seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { message, messageShortcut } from '../support/slack-requests.ts';
import { ask, buttonsOf, CHANNEL, click, freshId, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const LEAD = 'U0HURDBLD1';
const EDB_MEMBER = 'U0EDBMEMB1';
const OUTSIDER = 'U0OUTSIDE1';
const HURDB_CHANNEL = 'C0HURDB001';
const EDB_CHANNEL = 'C0EDB00001';

/**
 * Two sentences of one public notice, forwarded as one message
 * (https://m.23xiu.com/xingzhengzhengce/380600.html): the housing bureau (住建局's alias 建设局)
 * leads, and "6月底前" is the deadline; "1月15日" is only when the notice was issued.
 */
const NOTICE =
  '1月15日，为确保我市最新或2022(历届)年度全市住房保障各项工作落到实处，市住房城乡建设局会同市发展改革委、财政局、国土资源局联合行文，印发了《关于下达东营市最新或2022(历届)年度住房保障工作计划的通知》。\n计划要求最新或2022(历届)年6月底前，新建项目开工率应达到60%以上，9月底前全部开工。';

type View = {
  callback_id: string;
  private_metadata: string;
  blocks: Array<{
    block_id?: string;
    element?: {
      initial_value?: string;
      initial_option?: { value: string };
      initial_options?: Array<{ value: string }>;
      initial_date?: string;
      options?: Array<{ value: string }>;
    };
  }>;
};

let t: TestApp;

beforeEach(async () => {
  const seed = await seedModel();
  const departments = seed.db.departments.map((d) =>
    d.id === 'hurdb'
      ? { ...d, channelId: HURDB_CHANNEL, memberIds: [ZH_USER], leadIds: [LEAD] }
      : d.id === 'edb'
        ? { ...d, channelId: EDB_CHANNEL, memberIds: [EDB_MEMBER] }
        : d,
  );
  const model = readModelFromState({ ...seed.db, departments }, 'Asia/Shanghai', 0, undefined, seed.calendar);
  t = await startTestApp({ model, admins: [ADMIN] });
});

afterEach(async () => {
  await t.close();
});

function callsAfter(before: number, method: string): ApiCall[] {
  return t.fake.calls.slice(before).filter((c): c is ApiCall => c.kind === 'api' && c.method === method && c.ok);
}

async function shortcut(userId: string, text: string, id = freshId('shortcut')) {
  const before = t.fake.calls.length;
  const http = await t.slack.send(
    messageShortcut({
      callbackId: 'duban.assign.message',
      userId,
      channelId: CHANNEL,
      message: { text, ts: '1764295200.000100' },
      responseUrl: t.fake.responseUrl(id),
    }),
  );
  expect(http.status).toBe(200);
  return { before, id };
}

async function openedView(before: number): Promise<View> {
  const open = await t.fake.waitFor(
    (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= before,
  );
  expect(open.ok).toBe(true);
  return open.args.view as View;
}

const field = (view: View, block: string) => view.blocks.find((b) => b.block_id === block)?.element;

type Values = Parameters<TestApp['slack']['view']>[0]['values'];
function values(o: { name?: string; lead?: string; co?: string[]; deadline?: string; urgency?: string }): Values {
  return {
    name: { name: o.name ?? '' },
    lead: { lead: { type: 'static_select', selected_option: o.lead ? { value: o.lead } : null } },
    co: { co: { type: 'multi_static_select', selected_options: (o.co ?? []).map((value) => ({ value })) } },
    deadline: { deadline: { type: 'datepicker', selected_date: o.deadline ?? null } },
    urgency: { urgency: { type: 'static_select', selected_option: { value: o.urgency ?? 'normal' } } },
    source: { source: { type: 'static_select', selected_option: { value: 'instruction' } } },
  };
}

/** Assigns through the shortcut's form as the admin; returns the new item and the lead channel's message. */
async function assign(o: Parameters<typeof values>[0] = {}) {
  const { before } = await shortcut(ADMIN, NOTICE);
  const view = await openedView(before);
  const posted = t.fake.calls.length;
  const res = await t.slack.view({
    callbackId: 'duban.assign.form',
    userId: ADMIN,
    privateMetadata: view.private_metadata,
    values: values({ name: '落实住房保障工作计划', lead: 'hurdb', co: ['edb'], deadline: '2026-12-31', ...o }),
  });
  expect(res.status).toBe(200);
  const body = res.json() as { response_action: string; view: unknown };
  const item = t.store.model().db.commitments.find((c) => c.assignment)!;
  const postedTo = (channel: string) =>
    t.fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === channel &&
        t.fake.calls.indexOf(r) >= posted,
    );
  const lead = await postedTo(HURDB_CHANNEL);
  const co = await postedTo(EDB_CHANNEL);
  return { body, item, lead, co };
}

describe('交办 from a message', () => {
  it('opens the form prefilled from the message: what, lead, deadline only where stated, urgency and source', async () => {
    const { before } = await shortcut(ADMIN, NOTICE);
    const view = await openedView(before);
    expect(view.callback_id).toBe('duban.assign.form');
    expect(field(view, 'name')?.initial_value).toBe(NOTICE.replace(/\s+/g, ' '));
    expect(field(view, 'lead')?.initial_option?.value).toBe('hurdb');
    expect(field(view, 'lead')?.options?.map((o) => o.value)).toContain('edb');
    expect(field(view, 'co')?.initial_options).toBeUndefined();
    // "6月底前" marks the deadline; today is 28 November 2026, so the next June's end.
    expect(field(view, 'deadline')?.initial_date).toBe('2027-06-30');
    expect(field(view, 'urgency')?.initial_option?.value).toBe('normal');
    expect(field(view, 'source')?.initial_option?.value).toBe('other');
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channel: CHANNEL, ts: '1764295200.000100' });
  });

  it('leaves the deadline and departments empty when the message states none', async () => {
    const { before } = await shortcut(ADMIN, '请认真组织实施。');
    const view = await openedView(before);
    expect(field(view, 'deadline')?.initial_date).toBeUndefined();
    expect(field(view, 'lead')?.initial_option).toBeUndefined();
  });

  it('refuses someone who may not assign, naming who can, and opens nothing', async () => {
    const { before, id } = await shortcut(ZH_USER, NOTICE);
    const answer = await t.fake.waitFor((r) => r.kind === 'response' && r.id === id);
    expect(allText((answer as { body: unknown }).body)).toContain('只有督查室管理员可以交办督办事项');
    expect(callsAfter(before, 'views.open')).toHaveLength(0);
  });

  it('lets department leads assign once the settings say so', async () => {
    const before = t.store.model().db.settings;
    await t.store.transact((tx) => {
      tx.append({
        type: 'settings',
        at: new Date().toISOString(),
        by: ADMIN,
        before,
        after: { ...before, assigners: 'admins_and_leads' },
      });
    });
    const refused = await shortcut(ZH_USER, NOTICE);
    const answer = await t.fake.waitFor((r) => r.kind === 'response' && r.id === refused.id);
    expect(allText((answer as { body: unknown }).body)).toContain('督查室管理员和各部门负责人');
    const { before: calls } = await shortcut(LEAD, NOTICE);
    expect((await openedView(calls)).callback_id).toBe('duban.assign.form');
  });
});

describe('/duban assign', () => {
  it.each(['assign', '交办'])('/duban %s opens the same form, empty', async (word) => {
    const before = t.fake.calls.length;
    await t.slack.command({
      command: '/duban',
      text: word,
      userId: ADMIN,
      channelId: CHANNEL,
      responseUrl: t.fake.responseUrl(freshId('assign')),
      triggerId: 'trig-assign',
    });
    const view = await openedView(before);
    expect(view.callback_id).toBe('duban.assign.form');
    expect(field(view, 'name')?.initial_value).toBeUndefined();
    expect(field(view, 'lead')?.initial_option).toBeUndefined();
    expect(field(view, 'deadline')?.initial_date).toBeUndefined();
    expect(field(view, 'urgency')?.initial_option?.value).toBe('normal');
  });

  it('answers someone who may not assign with who can', async () => {
    const answer = await ask(t, '/duban', 'assign', ZH_USER);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('只有督查室管理员可以交办督办事项');
  });
});

describe('submitting the form', () => {
  it('answers mistakes in the form, field by field, and records nothing', async () => {
    const res = await t.slack.view({
      callbackId: 'duban.assign.form',
      userId: ADMIN,
      values: values({ name: '  ', deadline: '2026-11-27' }),
    });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: {
        name: '请填写要办的事项，例如：“完成城北片区老旧小区改造开工”。',
        lead: '请选择牵头单位。',
        deadline: '完成时限不能早于今天（2026-11-28），请重新选择。',
      },
    });
    const none = await t.slack.view({
      callbackId: 'duban.assign.form',
      userId: ADMIN,
      values: values({ name: '落实', lead: 'hurdb', deadline: undefined }),
    });
    expect(none.json()).toEqual({
      response_action: 'errors',
      errors: { deadline: '请选择完成时限，例如 2026-12-31。' },
    });
    expect(t.store.model().db.commitments.some((c) => c.assignment)).toBe(false);
  });

  it('records the item and its event, tells the assigner its number, and posts it to the lead and supporting channels', async () => {
    const { body, item, lead, co } = await assign();
    const n = t.store.model().numberOf(item.id)!;
    expect(body.response_action).toBe('update');
    expect((body.view as { title: { text: string } }).title.text).toBe('交办督办事项');
    expect(allText(body.view)).toContain(`已交办 #${n}「落实住房保障工作计划」，牵头单位：住建局。`);
    expect(item).toMatchObject({
      departmentId: 'hurdb',
      coDepartmentIds: ['edb'],
      name: { zh: '落实住房保障工作计划' },
      pledge: { zh: '落实住房保障工作计划' },
      period: { start: '2026-11-28', end: '2026-12-31' },
      assignment: {
        source: 'instruction',
        urgency: 'normal',
        by: ADMIN,
        message: { channel: CHANNEL, ts: '1764295200.000100' },
      },
    } satisfies Partial<Record<keyof Commitment, unknown>>);
    expect(item.assignment?.link).toMatch(
      new RegExp(`^https://[^/]+\\.slack\\.com/archives/${CHANNEL}/p1764295200000100$`),
    );
    expect(item.assignment?.quote).toBe(NOTICE);
    const events = await t.store.history({ itemId: item.id });
    expect(events.map((e) => e.type)).toEqual(['item.assign']);
    expect(events[0]).toMatchObject({ by: ADMIN, item: { id: item.id, departmentId: 'hurdb' } });

    // The lead's message: what, the deadline, and the 签收 button; the thread is remembered for replies.
    expect(allText(lead.args)).toContain(`#${n} 落实住房保障工作计划`);
    expect(allText(lead.args)).toContain('请住建局牵头办理');
    expect(buttonsOf(lead.args)).toEqual([
      expect.objectContaining({
        action_id: 'duban.sign',
        value: `${item.id} hurdb`,
        text: expect.objectContaining({ text: '签收' }),
      }),
    ]);
    const ts = (lead.response as { ts: string }).ts;
    expect(t.store.model().db.threads[`${HURDB_CHANNEL}:${ts}`]?.itemIds).toEqual([item.id]);
    expect(allText(co.args)).toContain('请经发局配合住建局办理');
    expect(buttonsOf(co.args)[0]?.value).toBe(`${item.id} edb`);

    // A reply in the lead's thread is logged against the item.
    const before = t.fake.calls.length;
    const reply = await t.slack.event(
      message({ text: '完成30%，方案已报区政府', userId: ZH_USER, channelId: HURDB_CHANNEL, threadTs: ts }),
    );
    expect(reply.status).toBe(200);
    const confirmed = await t.fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.thread_ts === ts &&
        t.fake.calls.indexOf(r) >= before,
    );
    expect(allText(confirmed.args)).toContain('已记录');
    expect(t.store.model().progress.get(item.id)?.percent).toBe(30);
  });
});

describe('签收', () => {
  it('refuses an outsider, records a member, and tells a second signer who signed', async () => {
    const { item, lead } = await assign();
    const button = buttonsOf(lead.args)[0]!;
    const outsider = await click(t, button, OUTSIDER);
    expect(outsider.body.replace_original).toBe(false);
    expect(outsider.text).toContain('抱歉，只有住建局的联络员和负责人可以签收这个事项。');
    expect(t.store.model().db.signs[item.id]).toBeUndefined();

    const signed = await click(t, button, ZH_USER);
    expect(signed.body.replace_original).toBe(true);
    expect(signed.text).toContain(`已签收：<@${ZH_USER}> 2026-11-28 10:00`);
    expect(buttonsOf(signed.body)).toEqual([]);
    expect(t.store.model().db.signs[item.id]?.hurdb).toEqual({ by: ZH_USER, at: '2026-11-28T02:00:00.000Z' });

    const again = await click(t, button, LEAD);
    expect(again.body.replace_original).toBe(false);
    expect(again.text).toContain(`已由 <@${ZH_USER}> 于 2026-11-28 10:00 签收，无需重复签收。`);
    const signs = (await t.store.history({ itemId: item.id })).filter((e) => e.type === 'sign');
    expect(signs).toEqual([expect.objectContaining({ by: ZH_USER, departmentId: 'hurdb' })]);

    // A supporting department signs for its own part.
    const edb = await click(t, { action_id: 'duban.sign', value: `${item.id} edb` }, EDB_MEMBER);
    expect(edb.text).toContain(`已签收：<@${EDB_MEMBER}>`);
    expect(t.store.model().db.signs[item.id]?.edb?.by).toBe(EDB_MEMBER);

    // The audit trail, the item's detail and the ledger all show it.
    const n = t.store.model().numberOf(item.id)!;
    const audit = await ask(t, '/duban', `audit #${n}`, ADMIN);
    expect(audit.text).toContain('交办「落实住房保障工作计划」，牵头单位：住建局');
    expect(audit.text).toContain('住建局签收「落实住房保障工作计划」');
    const model = t.store.model();
    const detail = detailReply(model.evaluate('2026-11-28').byId.get(item.id)!, {
      model,
      today: '2026-11-28',
      locale: 'zh-CN',
    });
    const text = detail.blocks.map((b) => ('text' in b && typeof b.text === 'object' ? b.text.mrkdwn : '')).join('\n');
    expect(text).toContain(`住建局已签收：<@${ZH_USER}> 2026-11-28 10:00`);
    expect(text).toContain(`经发局已签收：<@${EDB_MEMBER}> 2026-11-28 10:00`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeLedger(model, '2026-11-28', 'zh-CN')) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('签收')!;
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => [r[3], r[4], r[7], r[8]])).toEqual([
      ['住建局', '牵头', ZH_USER, '2026-11-28 10:00'],
      ['经发局', '配合', EDB_MEMBER, '2026-11-28 10:00'],
    ]);
  });

  it('shows an unsigned item as behind after two working days, with the 签收 button in its first reminder', async () => {
    const { item } = await assign();
    const n = t.store.model().numberOf(item.id)!;
    // Assigned on Saturday 28 November: the two working days are Monday 30 November and Tuesday 1 December.
    t.setNow(new Date('2026-12-01T17:00:00+08:00'));
    expect((await ask(t, '/duban', 'behind 住建局', ADMIN)).text).not.toContain('未按时签收');
    t.setNow(new Date('2026-12-02T09:00:00+08:00'));
    const behind = await ask(t, '/duban', 'behind 住建局', ADMIN);
    expect(behind.text).toContain('落实住房保障工作计划');
    expect(behind.text).toContain('交办后未按时签收（应于 12月1日 前签收）');

    const before = t.fake.calls.length;
    await ask(t, '/duban', 'remind now 住建局', ADMIN);
    const reminder = await t.fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === HURDB_CHANNEL &&
        allText(r.args).includes('督办提醒') &&
        t.fake.calls.indexOf(r) >= before,
    );
    const sign = buttonsOf(reminder.args).find((b) => b.action_id === 'duban.sign');
    expect(sign?.value).toBe(`${item.id} hurdb reminder`);
    const signed = await click(t, sign!, ZH_USER);
    // The reminder stays as it is; the signer alone is told.
    expect(signed.body.replace_original).toBe(false);
    expect(signed.text).toContain(`已签收：<@${ZH_USER}> 2026-12-02 09:00`);
    expect((await ask(t, '/duban', 'behind 住建局', ADMIN)).text).not.toContain('未按时签收');
    expect(t.store.model().numberOf(item.id)).toBe(n);
  });

  it('escalates an assigned item left unsigned through two reminders, like any ignored reminder', async () => {
    const { item } = await assign();
    const reminderTo = (since: number) =>
      t.fake.calls
        .slice(since)
        .find(
          (c): c is ApiCall =>
            c.kind === 'api' &&
            c.method === 'chat.postMessage' &&
            c.args.channel === HURDB_CHANNEL &&
            allText(c.args).includes('督办提醒'),
        );
    t.setNow(new Date('2026-12-07T09:00:00+08:00'));
    let since = t.fake.calls.length;
    await t.scheduler.tick();
    const first = reminderTo(since);
    expect(buttonsOf(first!.args).find((b) => b.value.startsWith(item.id))?.action_id).toBe('duban.sign');

    t.setNow(new Date('2026-12-14T09:00:00+08:00'));
    since = t.fake.calls.length;
    await t.scheduler.tick();
    // The second reminder asks for progress and, in the same digest, tells the lead the item was ignored.
    const second = reminderTo(since);
    expect(buttonsOf(second!.args).find((b) => b.value.startsWith(item.id))?.action_id).toBe('duban.remind.log');
    expect(allText(second!.args)).toContain('已升级督办（第 1 级）');
    expect(allText(second!.args)).toContain(`<@${LEAD}>`);
    expect(allText(second!.args)).toContain('落实住房保障工作计划');
  });
});
