import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_NOW, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText, validateView } from '../support/fake-slack.ts';
import { appHomeOpened } from '../support/slack-requests.ts';
import { blocksOf, buildModel, headerOf, sectionTexts } from './helpers.ts';

const MEMBER = 'U0MEMBER01';
const LEAD = 'U0LEADER77';
const STRANGER = 'U0STRANGE1';

type View = { type: string; blocks: unknown[] };

/** Opens the App Home tab as `userId` and resolves with the view published for that user. */
async function openHome(t: TestApp, userId: string): Promise<{ call: ApiCall; view: View }> {
  const res = await t.slack.event(appHomeOpened({ userId }));
  expect(res.status).toBe(200);
  const call = await t.fake.waitFor(
    (r): r is ApiCall => r.kind === 'api' && r.method === 'views.publish' && r.args.user_id === userId,
  );
  return { call, view: call.args.view as View };
}

const year = { start: '2026-01-01', end: '2026-12-31' };

/** Three departments; the member belongs to the one that ranks last, so "first" cannot be an accident of ranking. */
function memberModel() {
  return buildModel({
    meta: { zone: { zh: '测试区', en: 'Test Zone' } },
    departments: [
      { id: 'good', name: { zh: '优秀局' } },
      { id: 'fair', name: { zh: '一般局' }, leadIds: [LEAD] },
      { id: 'poor', name: { zh: '落后局' }, memberIds: [MEMBER] },
    ],
    targets: [
      {
        id: 't-good',
        departmentId: 'good',
        kind: 'cumulative',
        name: { zh: '优秀指标' },
        unit: { zh: '个' },
        target: 10,
        period: year,
      },
      {
        id: 't-fair',
        departmentId: 'fair',
        kind: 'cumulative',
        name: { zh: '一般指标' },
        unit: { zh: '个' },
        target: 10,
        period: year,
      },
      {
        id: 't-poor',
        departmentId: 'poor',
        kind: 'cumulative',
        name: { zh: '落后指标' },
        unit: { zh: '个' },
        target: 10,
        period: year,
      },
    ],
    updates: [
      { id: 'u1', itemId: 't-good', at: '2026-11-20T10:00:00+08:00', by: 'seed', value: 10, source: 'seed' },
      { id: 'u2', itemId: 't-fair', at: '2026-11-20T10:00:00+08:00', by: 'seed', value: 7, source: 'seed' },
      { id: 'u3', itemId: 't-poor', at: '2026-11-20T10:00:00+08:00', by: 'seed', value: 1, source: 'seed' },
    ],
  });
}

describe('App Home with the seed data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: SEED_NOW });
  });
  afterAll(async () => t.close());

  it('publishes a valid home view of at most 100 blocks for the user who opened it', async () => {
    const { call, view } = await openHome(t, STRANGER);
    expect(call.ok).toBe(true);
    expect(validateView(view, 'home')).toEqual([]);
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(headerOf(view)).toBe('督办 · 南通经济技术开发区');
  });

  it('shows the zone, every department ranked, and what needs attention', async () => {
    const { view } = await openHome(t, STRANGER);
    const text = allText(view);
    expect(text).toContain('截至 2026年11月28日');
    expect(text).toMatch(/\*全区概况\*　🔴 \d+　🟡 \d+　🟢 \d+　✅ \d+/u);
    for (const name of ['经发局', '住建局', '中兴街道', '投促局', '科创局'])
      expect(text).toMatch(new RegExp(`\\*${name}\\*　第 \\d 名`));
    // The office that supervises the others is listed last, not ranked among them.
    expect(text).toMatch(/\*督查室\*　不参与排名　🔴 \d+/u);
    expect(sectionTexts(view)).toContain('*最需关注*');
    expect(text).toContain('在任意频道输入 /targets、/projects 或 @督办 提问。');
  });

  it('does not claim a department for a user who belongs to none', async () => {
    const { view } = await openHome(t, STRANGER);
    expect(allText(view)).not.toContain('您的部门');
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const messagesTab = appHomeOpened({ userId: 'U0MSGTAB01', tab: 'messages' });
    expect((await t.slack.event(messagesTab)).status).toBe(200);
    // The Home tab opened afterwards is published; by then a publish for the Messages tab would be recorded too.
    await openHome(t, 'U0HOMETAB1');
    expect(t.fake.callsTo('views.publish').filter((c) => c.args.user_id === 'U0MSGTAB01')).toEqual([]);
  });
});

describe('App Home for a member of a department', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ model: memberModel(), now: SEED_NOW });
  });
  afterAll(async () => t.close());

  it('shows a member’s own department first, before the zone overview, with its items', async () => {
    const { call, view } = await openHome(t, MEMBER);
    expect(call.ok).toBe(true);
    expect(validateView(view, 'home')).toEqual([]);
    const sections = sectionTexts(view);
    expect(sections[0]).toMatch(/^\*您的部门：落后局\*　第 3 名　🔴 1/u);
    expect(sections[1]).toMatch(/^\*本周到期\*/);
    expect(sections[2]).toBe('*本部门事项（1 项，最差在前）*');
    expect(sections[3]).toContain('落后指标');
    expect(sections.findIndex((s) => s.startsWith('*全区概况*'))).toBeGreaterThan(1);
  });

  it('treats a department lead like a member', async () => {
    const { view } = await openHome(t, LEAD);
    expect(sectionTexts(view)[0]).toMatch(/^\*您的部门：一般局\*/);
  });

  it('shows someone outside every department the zone first', async () => {
    const { view } = await openHome(t, STRANGER);
    expect(sectionTexts(view)[0]).toMatch(/^\*全区概况\*/);
    expect(blocksOf(view)[0]).toMatchObject({ type: 'header', text: { text: '督办 · 测试区' } });
  });
});
