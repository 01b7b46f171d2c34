/**
 * App Home by role from the command layer (no Slack): who has which role, what is due this week at the
 * boundaries, which targets count as forecast to miss, `/duban leader` read from Slack's text, and that
 * every role's Home of a large zone stays within Slack's 100 blocks. The Slack tier
 * (test/slack/home-roles.test.ts) checks the published views, the chart and the refresh.
 */
import { describe, expect, it } from 'vitest';
import { buildBenchModel, generateDataset } from '../../bench/generate.ts';
import { parseDuban } from '../../commands/duban.ts';
import { DUE_WINDOW_DAYS, dueThisWeek } from '../../commands/home/due.ts';
import { chooseRole } from '../../commands/home/roles.ts';
import { latestBulletinBlock } from '../../commands/home/sections.ts';
import { forecastMisses, type HomeRole, homeRoles, homeView } from '../../commands/home.ts';
import { parseLeader } from '../../commands/leaders.ts';
import { addDays } from '../../src/domain/dates.ts';
import { forecastTarget } from '../../src/domain/forecast.ts';
import { createReadModel, readModelFromState } from '../../src/domain/read-model.ts';
import { type CumulativeTarget, Database } from '../../src/domain/schema.ts';
import type { StoreState } from '../../src/domain/state.ts';
import type { ItemStatus, Reason } from '../../src/domain/status.ts';
import { renderBlocks } from '../../src/slack/blocks.ts';
import { seedModel } from '../support/seed-model.ts';

const TZ = 'Asia/Shanghai';
const TODAY = '2026-09-15';
const year = { start: '2026-01-01', end: '2026-12-31' };

function smallModel(leaderIds: string[] = []) {
  return createReadModel(
    Database.parse({
      version: 1,
      settings: { leaderIds },
      departments: [
        { id: 'a', name: { zh: '甲局' }, memberIds: ['U0MEMBER01'], leadIds: ['U0LEAD0001'] },
        { id: 'b', name: { zh: '乙局' } },
      ],
      targets: [
        {
          id: 't-a',
          departmentId: 'a',
          kind: 'cumulative',
          name: { zh: '甲指标' },
          unit: { zh: '个' },
          target: 10,
          period: year,
        },
      ],
    }),
    TZ,
  );
}

describe('homeRoles: the office first, then leader, then a department’s people', () => {
  it.each<[string, string | undefined, boolean, string[], HomeRole[]]>([
    ['an admin only', 'U0ADMIN001', true, [], ['office']],
    ['a leader only', 'U0BOSS0001', false, ['U0BOSS0001'], ['leader']],
    ['a member', 'U0MEMBER01', false, [], ['liaison']],
    ['a lead', 'U0LEAD0001', false, [], ['liaison']],
    [
      'an admin who leads a department and is a leader',
      'U0LEAD0001',
      true,
      ['U0LEAD0001'],
      ['office', 'leader', 'liaison'],
    ],
    ['someone in no role', 'U0NOBODY01', false, [], []],
    ['no user at all', undefined, false, [], []],
  ])('%s', (_, userId, isAdmin, leaders, expected) => {
    expect(homeRoles(smallModel(leaders), userId, isAdmin)).toEqual(expected);
  });

  it.each<[HomeRole[], HomeRole | undefined, HomeRole | undefined]>([
    [['office', 'liaison'], undefined, 'office'],
    [['office', 'liaison'], 'liaison', 'liaison'],
    [['office', 'liaison'], 'leader', 'office'],
    [[], 'leader', undefined],
  ])('with %j, asking for %s shows %s', (roles, wanted, expected) => {
    expect(chooseRole(roles, wanted)).toBe(expected);
  });
});

/** A status of a running item with the given next milestone and reasons, as the evaluation would give. */
function statusWith(parts: Partial<ItemStatus> & { id: string }): ItemStatus {
  const model = smallModel();
  const base = model.evaluate(TODAY).byId.get('t-a')!;
  return {
    ...base,
    reasons: [],
    nextMilestone: undefined,
    ...parts,
    item: { ...base.item, id: parts.id, reporting: { cadence: 'none', graceDays: 0 } },
  };
}

function milestone(due: string) {
  return { milestone: { id: `m-${due}`, name: { zh: `节点${due}` }, due }, daysLeft: 0 };
}

describe('dueThisWeek: what falls within the next seven days', () => {
  it.each<[string, string, boolean]>([
    ['due today', TODAY, true],
    ['due on the seventh day', addDays(TODAY, DUE_WINDOW_DAYS), true],
    ['due on the eighth day', addDays(TODAY, DUE_WINDOW_DAYS + 1), false],
    ['due yesterday (overdue: listed as behind, not as due)', addDays(TODAY, -1), false],
  ])('a milestone %s: listed %s', (_, due, listed) => {
    const s = statusWith({ id: 'x', status: 'green', nextMilestone: milestone(due) });
    expect(dueThisWeek([s], TODAY).map((e) => e.due)).toEqual(listed ? [due] : []);
  });

  it.each<[string, Reason, string | undefined]>([
    [
      'a deadline within the week',
      { code: 'deadline_due_soon', deadline: addDays(TODAY, 3), original: addDays(TODAY, 3), daysLeft: 3 },
      'deadline',
    ],
    [
      'a deadline a fortnight off',
      { code: 'deadline_due_soon', deadline: addDays(TODAY, 14), original: addDays(TODAY, 14), daysLeft: 14 },
      undefined,
    ],
    [
      'a report already late',
      { code: 'report_missing', dueBy: addDays(TODAY, -5), daysLate: 5, rag: 'amber' },
      'report_late',
    ],
  ])('%s', (_, reason, what) => {
    const s = statusWith({ id: 'x', status: 'amber', reasons: [reason] });
    expect(dueThisWeek([s], TODAY).map((e) => e.what)).toEqual(what ? [what] : []);
  });

  it('leaves out done and exempt items, and sorts by date', () => {
    const soon = statusWith({ id: 'soon', status: 'green', nextMilestone: milestone(addDays(TODAY, 1)) });
    const later = statusWith({ id: 'later', status: 'green', nextMilestone: milestone(addDays(TODAY, 5)) });
    const done = statusWith({ id: 'done', status: 'done', nextMilestone: milestone(TODAY) });
    const exempt = statusWith({ id: 'exempt', status: 'exempt', nextMilestone: milestone(TODAY) });
    expect(dueThisWeek([later, done, exempt, soon], TODAY).map((e) => e.status.item.id)).toEqual(['soon', 'later']);
  });
});

describe('forecastMisses: targets whose reasons include the forecast’s own', () => {
  const miss: Reason = {
    code: 'forecast_miss',
    rag: 'amber',
    forecast: forecastTarget(
      { ...(smallModel().db.targets[0] as CumulativeTarget), baseline: 0, target: 60 },
      {
        series: [
          ['2026-06-30', 20],
          ['2026-07-31', 22],
          ['2026-08-31', 24],
          ['2026-09-10', 25],
        ],
      },
      TODAY,
    )!,
  };
  const pace: Reason = { code: 'pace', expectedPct: 70, actualPct: 50, gapPts: 20, asOf: TODAY, rag: 'amber' };
  it.each<[string, Reason[], boolean]>([
    ['a forecast miss alone', [miss], true],
    ['a forecast miss beside a pace gap', [pace, miss], true],
    ['a pace gap alone', [pace], false],
    ['no reasons', [], false],
  ])('%s: listed %s', (_, reasons, listed) => {
    const s = statusWith({ id: 'x', status: 'amber', reasons });
    expect(forecastMisses([s]).length).toBe(listed ? 1 : 0);
  });

  it('lists the sample zone’s target forecast to miss (新签约亿元以上产业项目) and no target on course', async () => {
    const model = await seedModel();
    const misses = forecastMisses(model.evaluate(TODAY).targets);
    expect(misses.map((s) => s.item.id)).toContain('t-ipb-signed-projects');
    expect(misses.every((s) => s.forecast?.outlook === 'miss')).toBe(true);
  });

  it('keeps the order it is given (worst first when the list is)', () => {
    const a = statusWith({ id: 'a', status: 'red', reasons: [miss] });
    const b = statusWith({ id: 'b', status: 'green', reasons: [] });
    const c = statusWith({ id: 'c', status: 'amber', reasons: [miss] });
    expect(forecastMisses([a, b, c]).map((s) => s.item.id)).toEqual(['a', 'c']);
  });
});

describe('/duban leader read from Slack’s text', () => {
  it.each([
    ['add <@U0BOSS0001|wang>', { change: 'add', userId: 'U0BOSS0001' }],
    ['添加 <@U0BOSS0001>', { change: 'add', userId: 'U0BOSS0001' }],
    ['remove <@U0BOSS0001>', { change: 'remove', userId: 'U0BOSS0001' }],
    ['移除 <@U0BOSS0001>', { change: 'remove', userId: 'U0BOSS0001' }],
    ['add', { change: 'add' }],
    ['', { change: 'list' }],
    ['list', { change: 'list' }],
    ['列表', { change: 'list' }],
    ['promote <@U0BOSS0001>', { change: 'unknown', word: 'promote' }],
    ['<@U0BOSS0001>', { change: 'unknown', word: '' }],
  ])('reads %j', (text, expected) => {
    expect(parseLeader(text)).toEqual(expected);
  });

  it.each(['leader', 'leaders', '领导'])('is reached from /duban %s', (word) => {
    expect(parseDuban(`${word} add <@U0BOSS0001>`)).toEqual({
      sub: 'leader',
      args: { change: 'add', userId: 'U0BOSS0001' },
    });
  });
});

describe('every role’s Home of a large zone fits in 100 blocks', () => {
  // 60 departments and 1,200 items; one department's people, a leader, and an office with a full inbox.
  const dataset = generateDataset({ departments: 60, targets: 600, projects: 600, updatesPerItem: 2, seed: 7 });
  const member = dataset.doc.departments?.[0]?.memberIds?.[0] as string;
  const { model: base } = buildBenchModel({ departments: 60, targets: 600, projects: 600, updatesPerItem: 2, seed: 7 });
  const items = base.db.targets.slice(0, 30);
  const state: StoreState = {
    ...base.db,
    settings: { ...base.db.settings, leaderIds: ['U0BOSS0001'] },
    reviews: items.map((t, i) => ({
      id: `r${i}`,
      itemId: t.id,
      updateId: `u${i}`,
      requestedBy: 'U0MEMBER01',
      requestedAt: '2026-09-14T10:00:00+08:00',
    })),
    extensions: Object.fromEntries(
      items.map((t, i) => [
        t.id,
        [
          {
            id: `x${i}`,
            requestedBy: 'U0MEMBER01',
            requestedAt: '2026-09-14T10:00:00+08:00',
            from: '2026-12-31',
            to: '2027-03-31',
            reason: '征迁协调未完成，主体工程顺延'.repeat(20),
            status: 'pending' as const,
          },
        ],
      ]),
    ),
    publications: Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [
        `slot-${i}`,
        {
          kind: 'bulletin' as const,
          period: '2026-09-11',
          status: 'pending' as const,
          at: '2026-09-11T16:00:00+08:00',
          by: 'duban',
        },
      ]),
    ),
  };
  const model = readModelFromState(state, TZ);
  const ctx = (userId: string, isAdmin: boolean) => ({
    model,
    today: TODAY,
    locale: 'zh-CN' as const,
    userId,
    isAdmin,
  });

  it.each<[string, string, boolean, HomeRole | undefined]>([
    ['the office', 'U0ADMIN001', true, 'office'],
    ['a leader', 'U0BOSS0001', false, 'leader'],
    ['a department’s member', member, false, 'liaison'],
    ['someone in no role', 'U0NOBODY01', false, undefined],
  ])('%s', (_, userId, isAdmin, role) => {
    const view = homeView(ctx(userId, isAdmin));
    expect(view.role).toBe(role);
    // Rendered without a cap, plus the chart's one image block: still within Slack's limit.
    const blocks = renderBlocks(view.reply.blocks, 'zh-CN', 10_000).length + (view.chartAfter === undefined ? 0 : 1);
    expect(blocks).toBeGreaterThan(10);
    expect(blocks).toBeLessThanOrEqual(100);
  });

  it('says how many more wait in the office’s inbox than it shows', () => {
    const text = JSON.stringify(homeView(ctx('U0ADMIN001', true)).reply.blocks);
    expect(text).toContain('复核（30）');
    expect(text).toContain('延期申请（30）');
    expect(text).toContain('待审核发布（8）');
    expect(text).toContain('另有 53 项');
  });
});

describe('the latest bulletin on the office’s Home', () => {
  const base = smallModel();
  const ctx = (lastBulletin?: StoreState['lastBulletin']) => ({
    model: readModelFromState({ ...base.db, ...(lastBulletin ? { lastBulletin } : {}) }, TZ),
    today: TODAY,
    locale: 'zh-CN' as const,
  });
  const now = base.evaluate(TODAY).byId.get('t-a')!.status;

  it('says when none has been published', () => {
    expect(JSON.stringify(latestBulletinBlock(ctx()))).toContain('尚未发布过通报');
  });

  it.each<[string, 'green' | 'done' | typeof now, string]>([
    ['unchanged since', now, '此后 0 项好转，0 项变差'],
    ['better then than now', 'done', '此后 0 项好转，1 项变差'],
  ])('gives its date, its counts and what moved since: %s', (_, then, moved) => {
    const text = JSON.stringify(latestBulletinBlock(ctx({ slot: 's', date: '2026-09-11', snapshot: { 't-a': then } })));
    expect(text).toContain('9月11日 发布');
    expect(text).toContain(moved);
    if (moved.endsWith('1 项变差')) expect(text).toContain('变差：✅→');
  });
});
