/**
 * 牵头 / 配合 through the real Bolt app: a scheduled run reminds a supporting department of its own
 * overdue sub-task (the lead is still reminded of the item), the supporting department reports that
 * sub-task done from the digest's button, and the lead splits an assigned item into a sub-task from
 * its detail view (the form, its errors, the stored sub-task, its journal event, the audit trail).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detailReply } from '../../commands/views.ts';
import { readModelFromState } from '../../src/domain/read-model.ts';
import type { Commitment } from '../../src/domain/schema.ts';
import { seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { ask, buttonsOf, click, type MessageBody, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const EDB_MEMBER = 'U0EDBMEMB1';
const OUTSIDER = 'U0OUTSIDE1';
const HURDB_CHANNEL = 'C0HURDB001';
const EDB_CHANNEL = 'C0EDB00001';
const ITEM = 'jb-01';
/** Monday 2026-11-30 at 09:00 in Shanghai: the weekly reminder run. */
const MONDAY_9 = new Date('2026-11-30T09:00:00+08:00');

/** An item assigned to 住建局 with 经发局 supporting; 经发局's sub-task was due the Wednesday before. */
const assigned: Commitment = {
  id: ITEM,
  departmentId: 'hurdb',
  coDepartmentIds: ['edb'],
  name: { zh: '落实住房保障工作计划' },
  pledge: { zh: '落实住房保障工作计划' },
  tags: [],
  period: { start: '2026-11-02', end: '2026-12-31' },
  reporting: { cadence: 'none', graceDays: 5 },
  targetIds: [],
  projectIds: [],
  milestones: [{ id: 'sub-1', name: { zh: '完成保障房项目资金拨付' }, due: '2026-11-25', departmentId: 'edb' }],
  assignment: { source: 'instruction', urgency: 'normal', by: ADMIN, at: '2026-11-02T02:00:00.000Z' },
};

let t: TestApp;

beforeEach(async () => {
  const seed = await seedModel();
  const db = seed.db;
  const state = {
    ...db,
    departments: db.departments.map((d) =>
      d.id === 'hurdb'
        ? { ...d, channelId: HURDB_CHANNEL, memberIds: [ZH_USER] }
        : d.id === 'edb'
          ? { ...d, channelId: EDB_CHANNEL, memberIds: [EDB_MEMBER] }
          : d,
    ),
    commitments: [...db.commitments, assigned],
    settings: { ...db.settings, schedule: { ...db.settings.schedule, recentUpdateWorkdays: 0 } },
  };
  const model = readModelFromState(state, 'Asia/Shanghai', 0, undefined, seed.calendar);
  t = await startTestApp({ model, admins: [ADMIN], now: MONDAY_9 });
  for (const u of [ZH_USER, EDB_MEMBER, OUTSIDER, ADMIN]) t.fake.setUser(u, { locale: 'zh-CN', name: u });
});
afterEach(async () => t.close());

function postsTo(channel: string, since: number): ApiCall[] {
  return t.fake.calls
    .slice(since)
    .filter(
      (c): c is ApiCall => c.kind === 'api' && c.method === 'chat.postMessage' && c.ok && c.args.channel === channel,
    );
}

async function opened(before: number) {
  const call = await t.fake.waitFor(
    (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= before,
  );
  return call.args.view as {
    callback_id: string;
    private_metadata: string;
    blocks: Array<{ block_id?: string; element?: { options?: Array<{ value: string }> } }>;
  };
}

async function press(actionId: string, value: string, userId: string) {
  const before = t.fake.calls.length;
  const http = await t.slack.action({ actionId, value, userId, triggerId: `trig-${userId}` });
  expect(http.status).toBe(200);
  return opened(before);
}

const milestonesOf = () => t.store.model().db.commitments.find((c) => c.id === ITEM)!.milestones;

describe('a supporting department’s sub-task in the scheduled run', () => {
  it('reminds 经发局 of its overdue sub-task, the lead of the item, and 经发局 logs it done from the digest', async () => {
    const since = t.fake.calls.length;
    await t.scheduler.tick();
    const edb = postsTo(EDB_CHANNEL, since);
    // One digest per department per run, with the sub-task line in it.
    expect(edb).toHaveLength(1);
    const text = allText(edb[0]!.args);
    expect(text).toContain('配合事项 · 本部门负责的子任务');
    expect(text).toContain(
      '「落实住房保障工作计划」子任务「完成保障房项目资金拨付」11月25日 到期，已逾期 5 天 · 配合（牵头：住建局）',
    );
    // The lead is reminded of the item as a whole.
    const hurdb = postsTo(HURDB_CHANNEL, since);
    expect(hurdb).toHaveLength(1);
    expect(allText(hurdb[0]!.args)).toContain('落实住房保障工作计划');
    expect(allText(hurdb[0]!.args)).not.toContain('配合事项 · 本部门负责的子任务');

    const button = buttonsOf(edb[0]!.args as MessageBody).find((b) => b.action_id === 'duban.remind.subtask')!;
    expect(button.text.text).toBe('报送子任务');
    expect(button.value).toBe(`${ITEM} sub-1`);
    // Someone of neither department is told so, and no form opens.
    const outsider = await click(t, button, OUTSIDER);
    expect(outsider.text).toContain('只有经发局的成员、负责人和管理员可以报送这个子任务。');
    expect(t.fake.calls.some((c) => c.kind === 'api' && c.method === 'views.open')).toBe(false);

    const view = await press(button.action_id, button.value, EDB_MEMBER);
    expect(view.callback_id).toBe('duban.subtask.report');
    const submit = (done: boolean) =>
      t.slack.view({
        callbackId: view.callback_id,
        userId: EDB_MEMBER,
        privateMetadata: view.private_metadata,
        values: {
          done: { done: { type: 'checkboxes', selected_options: done ? [{ value: 'done' }] : [] } },
          note: { note: '资金已拨付到位' },
        },
      });
    const unticked = await submit(false);
    expect(unticked.json()).toEqual({
      response_action: 'errors',
      errors: { done: '请勾选“本子任务已完成”；其他进展请在提醒消息的话题中回复。' },
    });
    expect(t.store.model().progress.get(ITEM)?.milestonesDone['sub-1']).toBeUndefined();

    const ok = await submit(true);
    expect(ok.json()).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(ok.json())).toContain('完成保障房项目资金拨付');
    expect(t.store.model().progress.get(ITEM)?.milestonesDone['sub-1']).toBe('2026-11-30');
    const logged = (await t.store.history({ itemId: ITEM })).filter((e) => e.type === 'update');
    expect(logged).toEqual([
      expect.objectContaining({
        by: EDB_MEMBER,
        update: expect.objectContaining({ milestoneId: 'sub-1', state: 'done', note: '资金已拨付到位' }),
      }),
    ]);
    // Submitted again (a double click): nothing more is recorded.
    const twice = await submit(true);
    expect(twice.json()).toEqual({ response_action: 'errors', errors: { done: '这个子任务已不存在或已完成。' } });
    expect((await t.store.history({ itemId: ITEM })).filter((e) => e.type === 'update')).toHaveLength(1);
    // Done: the button of the old digest now opens nothing.
    const again = await click(t, button, EDB_MEMBER);
    expect(again.text).toContain('这个子任务已不存在或已完成');
  });
});

describe('拆分子任务 from the detail view', () => {
  const detailFor = (userId: string) => {
    const model = t.store.model();
    return detailReply(model.evaluate('2026-11-30').byId.get(ITEM)!, {
      model,
      today: '2026-11-30',
      locale: 'zh-CN',
      userId,
      isAdmin: false,
    });
  };
  const addButton = (userId: string) =>
    detailFor(userId)
      .blocks.flatMap((b) => (b.type === 'section' && b.button ? [b.button] : []))
      .find((b) => b.actionId === 'duban.subtask.add');

  it('is offered to the lead’s people, checks each field, stores the sub-task with its event, and shows it', async () => {
    expect(addButton(EDB_MEMBER)).toBeUndefined();
    const button = addButton(ZH_USER)!;
    expect(button.text).toBe('拆分子任务');
    // A supporting department may not split the lead's item, even with the button from someone else's view.
    const refused = await click(t, { action_id: button.actionId, value: button.value }, EDB_MEMBER);
    expect(refused.text).toContain('只有牵头单位的成员、负责人和管理员可以拆分子任务');

    const view = await press(button.actionId, button.value, ZH_USER);
    expect(view.callback_id).toBe('duban.subtask.form');
    expect(view.blocks.find((b) => b.block_id === 'department')?.element?.options?.map((o) => o.value)).toEqual([
      'hurdb',
      'edb',
    ]);
    const submit = (name: string, department: string | null, due: string | null) =>
      t.slack.view({
        callbackId: view.callback_id,
        userId: ZH_USER,
        privateMetadata: view.private_metadata,
        values: {
          name: { name },
          department: {
            department: { type: 'static_select', selected_option: department ? { value: department } : null },
          },
          due: { due: { type: 'datepicker', selected_date: due } },
        },
      });
    const empty = await submit(' ', null, null);
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: {
        name: '请填写子任务名称，例如：“完成征收协议签订”。',
        department: '请选择责任单位（牵头单位或配合单位之一）。',
        due: '请选择完成时限，例如 2026-06-30。',
      },
    });
    const late = await submit('完成保障房分配入住', 'stib', '2027-01-15');
    expect(late.json()).toEqual({
      response_action: 'errors',
      errors: {
        department: '请选择责任单位（牵头单位或配合单位之一）。',
        due: '完成时限不能晚于事项时限 12月31日，请选择 12月31日 或更早的日期。',
      },
    });
    expect(milestonesOf()).toHaveLength(1);

    const ok = await submit('完成保障房分配入住', 'edb', '2026-12-20');
    expect(ok.json()).toMatchObject({ response_action: 'update' });
    const shown = JSON.stringify(ok.json());
    expect(shown).toContain(
      '已为「落实住房保障工作计划」添加子任务「完成保障房分配入住」，由经发局负责，12月20日 前完成。',
    );
    // The form became the detail view, with the new sub-task and its department.
    expect(shown).toContain('完成保障房分配入住（经发局） · 12月20日');
    expect(milestonesOf()).toEqual([
      expect.objectContaining({ id: 'sub-1' }),
      { id: 'sub-2', name: { zh: '完成保障房分配入住' }, due: '2026-12-20', departmentId: 'edb' },
    ]);
    // The same submission again adds nothing.
    const twice = await submit('完成保障房分配入住', 'edb', '2026-12-20');
    expect(twice.json()).toMatchObject({ response_action: 'update' });
    expect(milestonesOf()).toHaveLength(2);
    const events = (await t.store.history({ itemId: ITEM })).filter((e) => e.type === 'subtask.add');
    expect(events).toEqual([
      expect.objectContaining({ by: ZH_USER, itemId: ITEM, milestone: expect.objectContaining({ id: 'sub-2' }) }),
    ]);
    const n = t.store.model().numberOf(ITEM)!;
    const audit = await ask(t, '/duban', `audit #${n}`, ADMIN);
    expect(audit.text).toContain('为「落实住房保障工作计划」添加子任务「完成保障房分配入住」（经发局，12月20日 前）');
  });
});

describe('拆分子任务 in English', () => {
  it('lets an admin split the item, with the form and its errors in English', async () => {
    t.fake.setUser(ADMIN, { locale: 'en', name: 'office' });
    const view = (await press('duban.subtask.add', ITEM, ADMIN)) as unknown as {
      callback_id: string;
      private_metadata: string;
      title: { text: string };
    };
    expect(view.title.text).toBe('Add a sub-task');
    const late = await t.slack.view({
      callbackId: view.callback_id,
      userId: ADMIN,
      privateMetadata: view.private_metadata,
      values: {
        name: { name: 'Allocate the completed homes' },
        department: { department: { type: 'static_select', selected_option: { value: 'hurdb' } } },
        due: { due: { type: 'datepicker', selected_date: '2027-01-15' } },
      },
    });
    expect((late.json() as { errors: Record<string, string> }).errors).toEqual({
      due: expect.stringContaining("The due date cannot be after the item's deadline"),
    });
    expect(milestonesOf()).toHaveLength(1);
  });
});
