/**
 * App Home by role, through the real Slack app against the fake Web API: the supervision office's
 * inbox with its buttons, the zone and the ranking chart (uploaded once, shown by file id); a
 * department's week and items with report buttons; a leader's risks; the role switcher; Home published
 * again after a change; and `/duban leader`, refused to anyone but an admin and kept in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_NOW, buildBenchModel } from '../../bench/generate.ts';
import { SEED_NOW, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, allText, validateView } from '../support/fake-slack.ts';
import { appHomeOpened } from '../support/slack-requests.ts';
import { ask, type Block, blocksOf, sectionTexts } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
/** An admin who also leads 经发局: two roles, so the switcher. */
const ADMIN_LEAD = 'U0ADMIN002';
const LIAISON = 'U0LIAISON1';
const OTHER_LIAISON = 'U0LIAISON2';
const LEADER = 'U0BOSS0001';
const STRANGER = 'U0STRANGE1';
const EN_LEADER = 'U0BOSSEN01';
const TARGET = 't-hurdb-renewal-starts';

type View = { type: string; blocks: Block[] };
type Image = { type: 'image'; slack_file: { id: string }; alt_text: string };

const CHART_WAIT_MS = 20_000;

function isPublishTo(userId: string, after: number, t: TestApp) {
  return (r: unknown): r is ApiCall => {
    const call = r as ApiCall;
    return (
      call.kind === 'api' &&
      call.method === 'views.publish' &&
      call.args.user_id === userId &&
      t.fake.calls.indexOf(call) >= after
    );
  };
}

function imageOf(view: View): Image | undefined {
  return blocksOf(view).find((b) => b.type === 'image') as Image | undefined;
}

function actionIds(view: View): string[] {
  return blocksOf(view).flatMap((b) => [
    ...((b.elements as Array<{ action_id?: string }> | undefined) ?? []).flatMap((e) => e.action_id ?? []),
    ...(typeof b.accessory?.action_id === 'string' ? [b.accessory.action_id] : []),
  ]);
}

/** Opens Home as `userId`; resolves with the first view published (or the first with the chart, when asked). */
async function openHome(t: TestApp, userId: string, opts: { chart?: boolean } = {}): Promise<View> {
  const before = t.fake.calls.length;
  expect((await t.slack.event(appHomeOpened({ userId }))).status).toBe(200);
  const published = isPublishTo(userId, before, t);
  const call = await t.fake.waitFor(
    (r): r is ApiCall => published(r) && (!opts.chart || imageOf(r.args.view as View) !== undefined),
    CHART_WAIT_MS,
  );
  expect(call.ok).toBe(true);
  const view = call.args.view as View;
  expect(validateView(view, 'home')).toEqual([]);
  expect(view.blocks.length).toBeLessThanOrEqual(100);
  return view;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ now: SEED_NOW, admins: [ADMIN, ADMIN_LEAD] });
  await ask(t, '/duban', `member add <@${LIAISON}|liaison> 住建局`, ADMIN);
  await ask(t, '/duban', `member add <@${OTHER_LIAISON}|other> 中兴街道`, ADMIN);
  await ask(t, '/duban', `lead add <@${ADMIN_LEAD}> 经发局`, ADMIN);
  // A claim of done waits for the office's review (复核).
  const claimed = await ask(t, '/progress', 'ur-03 已全部完成', LIAISON);
  expect(claimed.text).toContain('已提交督查室复核');
  // The request goes to each admin after the answer: wait, so later answers are not mistaken for it.
  await t.fake.waitFor(
    () => t.fake.callsTo('chat.postMessage').filter((c) => c.ok && allText(c.args).includes('请复核')).length === 2,
  );
}, 60_000);
afterAll(async () => t.close());

describe('/duban leader', () => {
  it('is refused politely to anyone but an admin, naming the right form', async () => {
    const answer = await ask(t, '/duban', `leader add <@${LEADER}>`, LIAISON);
    expect(answer.body.response_type).toBe('ephemeral');
    expect(answer.text).toContain('抱歉，只有督查室管理员可以做这项操作。');
    expect(answer.text).toContain('/duban leader add @王主任');
    expect(t.store.model().db.settings.leaderIds).toEqual([]);
  });

  it('is stored and audited when an admin names a leader, and listed', async () => {
    const answer = await ask(t, '/duban', `leader add <@${LEADER}|wang>`, ADMIN);
    expect(answer.text).toContain(`<@${LEADER}> 已设为领导`);
    expect(t.store.model().db.settings.leaderIds).toEqual([LEADER]);
    const events = await t.store.history();
    expect(events.at(-1)).toMatchObject({ type: 'settings', by: ADMIN, after: { leaderIds: [LEADER] } });
    const audit = await ask(t, '/duban', 'audit', ADMIN);
    expect(audit.text).toContain(`<@${LEADER}> 设为领导`);
    const again = await ask(t, '/duban', `leader add <@${LEADER}>`, ADMIN);
    expect(again.text).toContain('已经是领导');
    expect((await ask(t, '/duban', 'leader list', LIAISON)).text).toContain(`<@${LEADER}>`);
  });

  it('answers a word it does not know with the ways it can be used', async () => {
    const answer = await ask(t, '/duban', `leader promote <@${LEADER}>`, ADMIN);
    expect(answer.text).toContain('看不懂「promote」');
    expect(answer.text).toContain('/duban leader add @王主任');
  });
});

describe('App Home of the supervision office', () => {
  it('shows what waits for the office with the review buttons, the zone with the chart, and the latest bulletin', async () => {
    const view = await openHome(t, ADMIN, { chart: true });
    const sections = sectionTexts(view);
    expect(sections).toContain('*待办*');
    const review = t.store.model().db.reviews[0]!;
    const name = t.store.model().item(review.itemId)!.item.name.zh;
    expect(allText(view)).toContain(`「${name}」· 住建局`);
    const buttons = blocksOf(view).flatMap((b) => (b.elements as Array<{ action_id: string; value: string }>) ?? []);
    expect(buttons.filter((b) => b.value === review.id).map((b) => b.action_id)).toEqual([
      'duban.review.approve',
      'duban.review.return',
    ]);
    expect(sections.some((s) => s.startsWith('*全区概况*'))).toBe(true);
    expect(sections.some((s) => s.startsWith('*最近一期通报*'))).toBe(true);
    // The image is a file duban uploaded privately: its bytes reached the fake, and the upload was completed.
    const image = imageOf(view)!;
    expect(image.alt_text).toContain('各部门进度排名');
    expect(t.fake.uploads.map((u) => u.fileId)).toContain(image.slack_file.id);
    const completed = t.fake.callsTo('files.completeUploadExternal').filter((c) => c.ok);
    expect(completed.flatMap((c) => (c.args.files as Array<{ id: string }>).map((f) => f.id))).toContain(
      image.slack_file.id,
    );
    expect(completed.every((c) => c.args.channel_id === undefined)).toBe(true);
  });

  it('draws and uploads the chart once for two openings of the same zone', async () => {
    const uploads = t.fake.callsTo('files.getUploadURLExternal').length;
    const completes = t.fake.callsTo('files.completeUploadExternal').length;
    const first = await openHome(t, ADMIN);
    const second = await openHome(t, ADMIN);
    expect(imageOf(first)?.slack_file.id).toBeDefined();
    expect(imageOf(second)?.slack_file.id).toBe(imageOf(first)?.slack_file.id);
    expect(t.fake.callsTo('files.getUploadURLExternal')).toHaveLength(uploads);
    expect(t.fake.callsTo('files.completeUploadExternal')).toHaveLength(completes);
  });
});

describe('App Home of a leader', () => {
  it('shows the chart, the top risks with their reasons and the targets forecast to miss', async () => {
    const view = await openHome(t, LEADER, { chart: true });
    const sections = sectionTexts(view);
    expect(sections[0]).toMatch(/^\*全区概况\*/);
    const risks = sections.indexOf('*主要风险（最差在前）*');
    expect(risks).toBeGreaterThan(0);
    // The worst item first, with its reason in words and its department.
    expect(sections[risks + 1]).toMatch(/^🔴 /);
    expect(sections[risks + 1]).toContain('牵头');
    const misses = sections.indexOf('*预计完不成的目标*');
    expect(misses).toBeGreaterThan(risks);
    // The sample's 新签约亿元以上产业项目 is on pace (5.7 points behind) but its trend ends at 57 of 60.
    const listed = sections.slice(misses + 1).find((x) => x.includes('新签约亿元以上产业项目'));
    expect(listed).toContain('预计年底 57/60');
    expect(sections).not.toContain('*待办*');
    expect(imageOf(view)).toBeDefined();
  });
});

describe('App Home of a department’s liaison', () => {
  it('shows the department’s week, its items worst first with report buttons, and the reminders sent', async () => {
    const view = await openHome(t, LIAISON);
    const sections = sectionTexts(view);
    expect(sections[0]).toMatch(/^\*您的部门：住建局\*　第 \d 名/);
    expect(sections[1]).toMatch(/^\*本周到期\*/);
    expect(sections[2]).toMatch(/^\*本部门事项（\d+ 项，最差在前）\*$/);
    const items = blocksOf(view).filter((b) => b.accessory?.action_id === 'duban.remind.log');
    expect(items.length).toBeGreaterThan(0);
    const ids = items.map((b) => String(b.accessory?.value));
    expect(ids.every((id) => t.store.model().item(id)?.item.departmentId === 'hurdb')).toBe(true);
    expect(sections.some((s) => s.startsWith('*发给本部门的督办提醒*'))).toBe(true);
    expect(imageOf(view)).toBeUndefined();
    expect(actionIds(view)).not.toContain('duban.review.approve');
  });

  it('lists a reminder once the run has sent it', async () => {
    await ask(t, '/duban', 'remind now 住建局', ADMIN);
    await t.fake.waitFor(() => Object.keys(t.store.model().db.deliveries).some((k) => k.startsWith('reminder:hurdb:')));
    const view = await openHome(t, LIAISON);
    const reminders = sectionTexts(view).find((s) => s.startsWith('*发给本部门的督办提醒*'))!;
    expect(reminders).toMatch(/• 11月28日 督办提醒/);
  });
});

describe('someone in no role', () => {
  it('sees the zone, with no inbox, no chart and no switcher', async () => {
    const view = await openHome(t, STRANGER);
    expect(sectionTexts(view)[0]).toMatch(/^\*全区概况\*/);
    expect(sectionTexts(view)).not.toContain('*待办*');
    expect(imageOf(view)).toBeUndefined();
    expect(actionIds(view)).toEqual([]);
  });
});

describe('several roles', () => {
  it('shows the office first with a switch to the department, and remembers the switch', async () => {
    const view = await openHome(t, ADMIN_LEAD);
    expect(allText(view)).toContain('当前：督查室视图　切换：');
    expect(actionIds(view)).toContain('duban.home.role.liaison');
    const before = t.fake.calls.length;
    await t.slack.action({
      actionId: 'duban.home.role.liaison',
      value: 'liaison',
      userId: ADMIN_LEAD,
      view: { type: 'home' },
    });
    const switched = await t.fake.waitFor(isPublishTo(ADMIN_LEAD, before, t));
    const liaisonView = switched.args.view as View;
    expect(sectionTexts(liaisonView)[0]).toMatch(/^\*您的部门：经发局\*/);
    expect(actionIds(liaisonView)).toContain('duban.home.role.office');
    const reopened = await openHome(t, ADMIN_LEAD);
    expect(sectionTexts(reopened)[0]).toMatch(/^\*您的部门：经发局\*/);
  });

  it('never shows a role the user does not have, whatever button is sent', async () => {
    const before = t.fake.calls.length;
    await t.slack.action({
      actionId: 'duban.home.role.office',
      value: 'office',
      userId: LIAISON,
      view: { type: 'home' },
    });
    const published = await t.fake.waitFor(isPublishTo(LIAISON, before, t));
    const view = published.args.view as View;
    expect(sectionTexts(view)[0]).toMatch(/^\*您的部门：住建局\*/);
    expect(sectionTexts(view)).not.toContain('*待办*');
    expect(actionIds(view)).not.toContain('duban.review.approve');
  });
});

describe('Home after a change', () => {
  it('is published again for the office and the department reporting, not for another department', async () => {
    await openHome(t, ADMIN);
    await openHome(t, LIAISON);
    await openHome(t, OTHER_LIAISON);
    const before = t.fake.calls.length;
    const n = t.store.model().numberOf(TARGET)!;
    const answer = await ask(t, '/progress', `#${n} 累计33项 已完成招标`, LIAISON);
    expect(answer.text).toContain('已记录');
    const liaison = await t.fake.waitFor(isPublishTo(LIAISON, before, t));
    await t.fake.waitFor(isPublishTo(ADMIN, before, t));
    expect(allText(liaison.args.view)).toContain('33 / 40');
    // The same burst's refresh is over once those two are published; the other department was not touched.
    await new Promise((r) => setTimeout(r, 300));
    expect(t.fake.calls.slice(before).filter(isPublishTo(OTHER_LIAISON, before, t))).toEqual([]);
  });

  it('empties the office’s inbox once the review is approved from Home', async () => {
    const view = await openHome(t, ADMIN);
    const review = t.store.model().db.reviews[0]!;
    expect(actionIds(view)).toContain('duban.review.approve');
    const before = t.fake.calls.length;
    await t.slack.action({ actionId: 'duban.review.approve', value: review.id, userId: ADMIN, view: { type: 'home' } });
    const refreshed = await t.fake.waitFor(
      (r): r is ApiCall =>
        isPublishTo(ADMIN, before, t)(r) && allText(r.args.view).includes('暂无等待督查室处理的事项。'),
    );
    expect(t.store.model().db.reviews).toEqual([]);
    expect(actionIds(refreshed.args.view as View)).not.toContain('duban.review.approve');
  });
});

describe('in English', () => {
  it('shows a leader’s Home in the leader’s language, chart included', async () => {
    t.fake.setUser(EN_LEADER, { locale: 'en-US' });
    await ask(t, '/duban', `leader add <@${EN_LEADER}>`, ADMIN);
    const view = await openHome(t, EN_LEADER, { chart: true });
    expect(blocksOf(view)[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(/^duban · /) } });
    const sections = sectionTexts(view);
    expect(sections[0]).toMatch(/^\*Zone overview\*/);
    expect(sections).toContain('*Top risks (worst first)*');
    expect(sections).toContain('*Targets forecast to miss*');
    expect(allText(view)).not.toMatch(/主要风险|预计完不成/);
    expect(imageOf(view)!.alt_text).toContain('Departments ranked by progress');
  });
});

describe('App Home of a large zone', () => {
  // 60 departments and 600 items: the chart draws 30 of them, and every view stays within 100 blocks.
  const { model, dataset } = buildBenchModel({ departments: 60, targets: 300, projects: 300, updatesPerItem: 1 });
  const member = dataset.doc.departments?.[0]?.memberIds?.[0] as string;
  let big: TestApp;
  beforeAll(async () => {
    big = await startTestApp({ model, now: BENCH_NOW, admins: [ADMIN] });
  }, 60_000);
  afterAll(async () => big.close());

  it.each([
    ['the office', ADMIN, true],
    ['a department’s member', member, false],
    ['someone in no role', STRANGER, false],
  ])('%s: a valid view of at most 100 blocks', async (_, userId, chart) => {
    const view = await openHome(big, userId, { chart });
    expect(view.blocks.length).toBeGreaterThan(5);
    expect(imageOf(view) !== undefined).toBe(chart);
  });
});
