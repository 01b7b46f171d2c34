/**
 * 延期申请 through the real Bolt app: the detail view's button and form, /duban extend, the request
 * posted to the admins with 批准 / 不批准, the refusal's reason form, the stored requests, the deadline
 * shown with the original beside it, the status past it, and the audit trail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText } from '../support/fake-slack.ts';
import { ask, buttonsOf, type MessageBody, sectionTexts, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
const OUTSIDER = 'U0OUTSIDE1';
/** 竹行新村老旧小区改造, 住建局's, period ending 2026-12-31; the seed's today is 2026-11-28. */
const PROJECT = 'ur-03';

let t: TestApp;

beforeEach(async () => {
  t = await startTestApp({ admins: [ADMIN] });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN', name: 'liaison' });
  t.fake.setUser(ADMIN, { locale: 'zh-CN', name: 'office' });
  t.fake.setUser(OUTSIDER, { locale: 'zh-CN', name: 'outsider' });
  await ask(t, '/duban', `member add <@${ZH_USER}|liaison> 住建局`, ADMIN);
});
afterEach(async () => t.close());

/** The request duban posts to the admin (no supervision channel is set), after `before` calls. */
async function requestPosted(before: number): Promise<ApiCall> {
  return t.fake.waitFor(
    (r): r is ApiCall =>
      r.kind === 'api' &&
      r.method === 'chat.postMessage' &&
      r.args.channel === ADMIN &&
      allText(r.args).includes('延期申请') &&
      t.fake.calls.indexOf(r) >= before,
  );
}

function requestsOf(itemId: string) {
  return t.store.model().db.extensions[itemId] ?? [];
}

describe('asking for more time from the detail view', () => {
  it('shows the deadline with a 申请延期 button, opens a form, and posts the request with 批准 / 不批准', async () => {
    const detail = await ask(t, '/projects', PROJECT);
    expect(sectionTexts(detail.body).some((s) => s.includes('*时限*') && s.includes('12月31日'))).toBe(true);
    const open = buttonsOf(detail.body).find((b) => b.action_id === 'duban.extension.open')!;
    expect(open.text.text).toBe('申请延期');

    const before = t.fake.calls.length;
    await t.slack.action({ actionId: open.action_id, value: open.value, userId: ZH_USER, triggerId: 'trig-x' });
    const opened = await t.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= before,
    );
    const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(allText(opened.args)).toContain('当前时限：12月31日');

    // Both fields are required, each named.
    const empty = await t.slack.view({
      callbackId: view.callback_id,
      userId: ZH_USER,
      privateMetadata: view.private_metadata,
      values: { date: { date: { type: 'datepicker', selected_date: null } }, reason: { reason: ' ' } },
    });
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: { date: '请选择新的时限，例如 2026-09-30。', reason: '请填写延期理由。' },
    });
    // An earlier date is refused on the date field.
    const earlier = await t.slack.view({
      callbackId: view.callback_id,
      userId: ZH_USER,
      privateMetadata: view.private_metadata,
      values: { date: { date: { type: 'datepicker', selected_date: '2026-12-01' } }, reason: { reason: '来不及' } },
    });
    expect((earlier.json() as { errors: { date: string } }).errors.date).toContain('须晚于当前时限');
    expect(requestsOf(PROJECT)).toEqual([]);

    const sent = t.fake.calls.length;
    const ok = await t.slack.view({
      callbackId: view.callback_id,
      userId: ZH_USER,
      privateMetadata: view.private_metadata,
      values: {
        date: { date: { type: 'datepicker', selected_date: '2027-03-31' } },
        reason: { reason: '征迁协调未完成，主体工程需顺延' },
      },
    });
    expect(ok.json()).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(ok.json())).toContain('已记录：申请将「竹行新村老旧小区改造」的时限延至');
    const request = await requestPosted(sent);
    const text = allText(request.args);
    expect(text).toContain('住建局申请将「竹行新村老旧小区改造」的时限由 12月31日 延至 2027年3月31日');
    expect(text).toContain('理由：征迁协调未完成，主体工程需顺延');
    expect(text).toContain(`<@${ZH_USER}>`);
    const labels = buttonsOf(request.args as MessageBody).map((b) => [b.action_id, b.text.text]);
    expect(labels).toEqual([
      ['duban.extension.approve', '批准'],
      ['duban.extension.refuse', '不批准'],
    ]);
    expect(requestsOf(PROJECT)).toMatchObject([
      { from: '2026-12-31', to: '2027-03-31', status: 'pending', requestedBy: ZH_USER },
    ]);
  });
});

describe('/duban extend and the decision', () => {
  it('approves: the stored request, the deadline shown beside the original, the requester told, the audit', async () => {
    const n = t.store.model().numberOf(PROJECT)!;
    const before = t.fake.calls.length;
    const asked = await ask(t, '/duban', `extend #${n} 2027/3/31 征迁协调未完成`);
    expect(asked.body.response_type).toBe('ephemeral');
    expect(asked.text).toContain('已送督查室审批');
    const request = await requestPosted(before);
    // One pending request at a time.
    const again = await ask(t, '/duban', `延期 #${n} 2027-06-30 再延`);
    expect(again.text).toContain('已有一项待批的延期申请（至 2027年3月31日）');
    expect(requestsOf(PROJECT)).toHaveLength(1);

    const approve = buttonsOf(request.args as MessageBody).find((b) => b.action_id === 'duban.extension.approve')!;
    const notAdmin = await clickAs(approve, ZH_USER, 'ext-a');
    expect(allText(notAdmin)).toContain('只有督查室管理员');
    const decidedAt = t.fake.calls.length;
    await clickAs(approve, ADMIN, 'ext-b');
    const replaced = await t.fake.waitFor((r) => r.kind === 'response' && r.id === 'ext-b');
    expect(allText((replaced as { body: unknown }).body)).toContain(
      '已批准「竹行新村老旧小区改造」延期至 2027年3月31日',
    );
    const told = await t.fake.waitFor(
      (r): r is ApiCall =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === ZH_USER &&
        t.fake.calls.indexOf(r) >= decidedAt,
    );
    expect(allText(told.args)).toContain('督查室已批准「竹行新村老旧小区改造」延期：时限 12月31日，延至 2027年3月31日');
    expect(requestsOf(PROJECT)).toMatchObject([{ status: 'approved', decidedBy: ADMIN }]);
    // A second click finds it decided.
    const twice = await clickAs(approve, ADMIN, 'ext-c');
    expect(allText(twice)).toContain('这项延期申请已处理');

    const detail = await ask(t, '/projects', PROJECT);
    expect(detail.text).toContain('12月31日（已批准延期至 2027年3月31日）');
    // Past the original date, within the extension: not overdue.
    const model = t.store.model();
    expect(
      model
        .evaluate('2027-01-05')
        .byId.get(PROJECT)
        ?.reasons.map((r) => r.code),
    ).not.toContain('deadline_overdue');
    expect(model.evaluate('2027-04-01').byId.get(PROJECT)?.status).toBe('red');

    const audit = await ask(t, '/duban', `audit #${n}`, ADMIN);
    expect(audit.text).toContain('申请「竹行新村老旧小区改造」延期：2026-12-31 → 2027-03-31，理由：征迁协调未完成');
    expect(audit.text).toContain('批准「竹行新村老旧小区改造」延期至 2027-03-31');
  });

  it('refuses with a reason asked in a form; the deadline stands and the item is overdue after it', async () => {
    const n = t.store.model().numberOf(PROJECT)!;
    const before = t.fake.calls.length;
    await ask(t, '/duban', `extend #${n} 2027-03-31 征迁协调未完成`);
    const request = await requestPosted(before);
    const refuse = buttonsOf(request.args as MessageBody).find((b) => b.action_id === 'duban.extension.refuse')!;
    const openBefore = t.fake.calls.length;
    await t.slack.action({
      actionId: refuse.action_id,
      value: refuse.value,
      userId: ADMIN,
      channelId: ADMIN.replace('U', 'D'),
      responseUrl: t.fake.responseUrl('ext-msg'),
      triggerId: 'trig-r',
    });
    const open = await t.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'views.open' && t.fake.calls.indexOf(r) >= openBefore,
    );
    const view = open.args.view as { private_metadata: string; callback_id: string };
    const empty = await t.slack.view({
      callbackId: view.callback_id,
      userId: ADMIN,
      privateMetadata: view.private_metadata,
      values: { reason: { reason: '' } },
    });
    expect(empty.json()).toEqual({ response_action: 'errors', errors: { reason: '请填写不批准的理由。' } });
    expect(requestsOf(PROJECT)[0]?.status).toBe('pending');
    await t.slack.view({
      callbackId: view.callback_id,
      userId: ADMIN,
      privateMetadata: view.private_metadata,
      values: { reason: { reason: '年度任务不得顺延' } },
    });
    await t.fake.waitFor(
      (r) =>
        r.kind === 'response' &&
        r.id === 'ext-msg' &&
        allText(r.body).includes('未批准「竹行新村老旧小区改造」延期：年度任务不得顺延'),
    );
    await t.fake.waitFor(
      (r) =>
        r.kind === 'api' &&
        r.method === 'chat.postMessage' &&
        r.args.channel === ZH_USER &&
        allText(r.args).includes('未批准「竹行新村老旧小区改造」的延期申请：年度任务不得顺延。时限仍为 12月31日'),
    );
    expect(requestsOf(PROJECT)).toMatchObject([{ status: 'refused', decisionReason: '年度任务不得顺延' }]);
    const s = t.store.model().evaluate('2027-01-02').byId.get(PROJECT)!;
    expect(s.status).toBe('red');
    expect(s.reasons.find((r) => r.code === 'deadline_overdue')).toMatchObject({ daysOverdue: 2 });
    const audit = await ask(t, '/duban', `audit #${n}`, ADMIN);
    expect(audit.text).toContain('不批准「竹行新村老旧小区改造」延期：年度任务不得顺延');
  });

  it('refuses a request after the deadline with a clear reply, and the item stays overdue', async () => {
    t.setNow(new Date('2027-01-05T10:00:00+08:00'));
    const n = t.store.model().numberOf(PROJECT)!;
    const asked = await ask(t, '/duban', `extend #${n} 2027-03-31 来不及`);
    expect(asked.body.response_type).toBe('ephemeral');
    expect(asked.text).toContain('「竹行新村老旧小区改造」的时限 2026年12月31日 已过，不能再申请延期');
    expect(requestsOf(PROJECT)).toEqual([]);
    const detail = await ask(t, '/projects', PROJECT);
    expect(detail.text).toContain('已超过时限 5 天');
  });

  it.each([
    { text: 'extend', says: '请写：/duban extend 事项编号 新时限 理由' },
    { text: 'extend #1', says: '请在事项编号后写上新的时限' },
    { text: 'extend #1 明年三月 理由', says: '「明年三月」不是日期' },
    { text: 'extend #1 2027-02-30 理由', says: '「2027-02-30」不是日期' },
    { text: 'extend #1 2027-03-31', says: '请在日期之后写上延期理由' },
    { text: 'extend #99999 2027-03-31 理由', says: '#99999' },
  ])('answers "/duban $text" with what to fix: $says', async ({ text, says }) => {
    const answer = await ask(t, '/duban', text);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain(says);
    expect(answer.text).toContain('/duban extend #12 2026-09-30');
  });

  it('refuses a target, which has no deadline to move', async () => {
    const n = t.store.model().numberOf('t-hurdb-renewal-starts')!;
    const answer = await ask(t, '/duban', `extend #${n} 2027-03-31 理由`);
    expect(answer.text).toContain('是指标，按全年序时进度评估，没有可延期的时限');
    expect(t.store.model().db.extensions).toEqual({});
  });

  it('refuses someone outside the lead department', async () => {
    const n = t.store.model().numberOf(PROJECT)!;
    const answer = await ask(t, '/duban', `extend #${n} 2027-03-31 理由`, OUTSIDER);
    expect(answer.text).toContain('只有牵头单位住建局的人员可以为「竹行新村老旧小区改造」申请延期');
    expect(requestsOf(PROJECT)).toEqual([]);
  });
});

async function clickAs(button: { action_id: string; value: string }, userId: string, id: string): Promise<unknown> {
  await t.slack.action({
    actionId: button.action_id,
    value: button.value,
    userId,
    channelId: ADMIN.replace('U', 'D'),
    responseUrl: t.fake.responseUrl(id),
  });
  const r = await t.fake.waitFor((x) => x.kind === 'response' && x.id === id);
  return (r as { body: unknown }).body;
}
