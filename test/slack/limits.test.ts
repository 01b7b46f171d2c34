import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModel } from '../../src/domain/read-model.ts';
import { SEED_NOW, startTestApp, type TestApp } from '../support/app.ts';
import { type ApiCall, validateBlocks, validateView } from '../support/fake-slack.ts';
import { appHomeOpened } from '../support/slack-requests.ts';
import { ask, blocksOf, buildModel, buttonLabelled, click, EN_USER, headerOf, mention, ZH_USER } from './helpers.ts';

/**
 * A zone far beyond the seed: 300 departments with 200-character names, 5,000 targets and 1,500 projects
 * spread over them, 6,000 commitments, and a 4,000-character note on every report (blocked and delayed
 * projects show their note as the reason).
 */
function hugeZone() {
  const long = (head: string, filler: string, n = 200) => (head + filler.repeat(n)).slice(0, n);
  const year = { start: '2026-01-01', end: '2026-12-31' };
  const departments = Array.from({ length: 300 }, (_, i) => ({
    id: `d-${String(i).padStart(3, '0')}`,
    name: { zh: long(`第${i}部门`, '很长的部门名称'), en: long(`Department ${i} `, 'with a very long name ') },
    ...(i === 0 ? { memberIds: ['U0MEMBER01'] } : {}),
  }));
  const dept = (k: number) => departments[k % departments.length]!.id;
  const targets = Array.from({ length: 5000 }, (_, k) =>
    k % 5 === 0
      ? {
          id: `t-${k}`,
          departmentId: dept(k),
          kind: 'level',
          name: { zh: long(`增速${k}`, '超长指标名称'), en: long(`Growth ${k} `, 'long target name ') },
          unit: { zh: '%' },
          target: 7.5,
          period: year,
          tags: ['超长'],
        }
      : {
          id: `t-${k}`,
          departmentId: dept(k),
          kind: 'cumulative',
          name: { zh: long(`指标${k}`, '超长指标名称'), en: long(`Target ${k} `, 'long target name ') },
          unit: { zh: long('个', '计量单位') },
          target: 1000,
          period: year,
          tags: ['超长'],
        },
  );
  const projects = Array.from({ length: 1500 }, (_, k) => ({
    id: `p-${k}`,
    departmentId: dept(k),
    name: { zh: long(`项目${k}`, '超长项目名称'), en: long(`Project ${k} `, 'long project name ') },
    category: { zh: long('超长类别', '类别'), en: long('Long category ', 'category ') },
    tags: ['超长'],
    period: year,
    milestones: [
      { id: 'm1', name: { zh: long('开工', '里程碑名称') }, due: '2026-03-31' },
      { id: 'm2', name: { zh: long('主体完工', '里程碑名称') }, due: '2026-12-05' },
      { id: 'm3', name: { zh: long('竣工验收', '里程碑名称') }, due: '2026-12-31' },
    ],
  }));
  const commitments = departments.flatMap((d, i) =>
    Array.from({ length: 20 }, (_, j) => ({
      id: `c-${i}-${j}`,
      departmentId: d.id,
      name: { zh: long(`承诺${i}-${j}`, '超长承诺名称') },
      pledge: { zh: long('承诺', '承诺内容') },
      period: year,
    })),
  );
  const note = (k: number) => long(`备注${k}：`, '情况说明', 4000);
  const at = '2026-11-20T10:00:00+08:00';
  const updates = [
    ...targets.map((x, k) => ({
      id: `u-t-${k}`,
      itemId: x.id,
      at,
      by: 'U0REPORTER',
      value: k % 5 === 0 ? 3 : k % 1000,
      note: note(k),
      source: 'slack',
    })),
    ...projects.map((x, k) => ({
      id: `u-p-${k}`,
      itemId: x.id,
      at,
      by: 'U0REPORTER',
      percent: k % 100,
      state: (['blocked', 'delayed', 'in_progress'] as const)[k % 3],
      note: note(k),
      source: 'slack',
    })),
  ];
  return {
    meta: { zone: { zh: long('超长开发区', '名称'), en: long('Zone ', 'long ') }, sampleNotice: '示例'.repeat(500) },
    departments,
    targets,
    projects,
    commitments,
    updates,
  };
}

let t: TestApp;
let model: ReadModel;
const doc = hugeZone();

beforeAll(async () => {
  model = buildModel(doc);
  t = await startTestApp({ model, now: SEED_NOW });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  t.fake.setUser(EN_USER, { locale: 'en-US' });
  t.fake.setUser('U0MEMBER01', { locale: 'zh-CN' });
});
afterAll(async () => t.close());

it('builds a zone as large and as wordy as promised', () => {
  expect(model.db.departments).toHaveLength(300);
  expect(model.db.targets).toHaveLength(5000);
  expect(model.db.projects.length).toBeGreaterThanOrEqual(1500);
  expect(model.db.departments[7]!.name.zh).toHaveLength(200);
  expect(doc.updates).toHaveLength(6500);
  expect(doc.updates.every((u) => u.note.length === 4000)).toBe(true);
  expect(model.evaluate('2026-11-28').projects.some((s) => s.status === 'red')).toBe(true);
});

describe.each([
  ['Chinese', ZH_USER],
  ['English', EN_USER],
])('every slash command answer for a %s reader of the huge zone', (_language, user) => {
  it.each([
    ['/targets', ''],
    ['/targets', 'd-007'],
    ['/targets', 't-10'],
    ['/targets', 't-11'],
    ['/targets', '超长'],
    ['/targets', '部门'],
    ['/targets', '火星'],
    ['/projects', ''],
    ['/projects', 'd-008'],
    ['/projects', 'p-3'],
    ['/projects', 'p-4'],
    ['/projects', '超长类别'],
    ['/duban', 'status'],
    ['/duban', 'status d-000'],
    ['/duban', 'behind'],
    ['/duban', 'behind p300'],
  ])(
    '%s %s is accepted by Slack: at most 50 blocks, sections of at most 3,000 characters, headers of at most 150',
    async (command, text) => {
      const a = await ask(t, command, text, user);
      expect(validateBlocks(a.body.blocks)).toEqual([]);
      expect(a.accepted).toBe(true);
      expect(blocksOf(a.body).length).toBeGreaterThan(0);
    },
  );
});

describe('long names in the huge zone', () => {
  it('cuts a 200-character department name in a header to at most 150 characters, with an ellipsis', async () => {
    const a = await ask(t, '/targets', 'd-007');
    const header = headerOf(a.body)!;
    expect([...header].length).toBeLessThanOrEqual(150);
    expect(header.startsWith('第7部门很长的部门名称')).toBe(true);
    expect(header.endsWith('…')).toBe(true);
  });

  it('says how many items were left out when a list cannot fit', async () => {
    const a = await ask(t, '/duban', 'status d-000');
    expect(a.text).toMatch(/另有 \d+ 项(未显示|落后或预警)/);
  });
});

describe('pages of the huge zone', () => {
  it.each([
    ['/targets', ''],
    ['/duban', 'behind'],
    ['/targets', 'd-008'],
  ])('%s %s: page 2 is accepted by Slack too', async (command, text) => {
    const page1 = await ask(t, command, text);
    const page2 = await click(t, buttonLabelled(page1.body, '下一页'));
    expect(validateBlocks(page2.body.blocks)).toEqual([]);
    expect(page2.accepted).toBe(true);
    expect(page2.body.replace_original).toBe(true);
  });
});

describe('App Home and mentions in the huge zone', () => {
  it.each([
    ['a member of a department', 'U0MEMBER01'],
    ['someone in no department', 'U0NOBODY01'],
  ])('publishes a home view Slack accepts for %s', async (_who, userId) => {
    expect((await t.slack.event(appHomeOpened({ userId }))).status).toBe(200);
    const call = await t.fake.waitFor(
      (r): r is ApiCall => r.kind === 'api' && r.method === 'views.publish' && r.args.user_id === userId,
    );
    expect(validateView(call.args.view, 'home')).toEqual([]);
    expect(call.ok).toBe(true);
  });

  it.each(['谁落后了？', '超长', 'who is behind?'])(
    'answers the mention "%s" with a message Slack accepts',
    async (question) => {
      const m = await mention(t, question);
      expect(validateBlocks(m.args.blocks)).toEqual([]);
      expect(m.call.ok).toBe(true);
      expect(m.call.method).toBe('chat.postMessage');
    },
  );
});

describe('everything sent while serving the huge zone', () => {
  it('was accepted: every response_url post, message and view', () => {
    const chat = t.fake.calls.filter((c) => c.method.startsWith('chat.'));
    expect(t.fake.responses.length + chat.length).toBeGreaterThan(30);
    const rejected = [
      ...t.fake.responses
        .filter((r) => r.status !== 200)
        .map((r) => `${r.id}: ${validateBlocks(r.body.blocks).join('; ')}`),
      ...t.fake.calls
        .filter((c) => c.method !== 'users.info' && !c.ok)
        .map((c) => `${c.method}: ${JSON.stringify(c.response).slice(0, 200)}`),
    ];
    expect(rejected).toEqual([]);
  });
});

describe('one blocked project with a long note (the smallest zone that shows the overview limit)', () => {
  let small: TestApp;
  beforeAll(async () => {
    const year = { start: '2026-01-01', end: '2026-12-31' };
    small = await startTestApp({
      now: SEED_NOW,
      model: buildModel({
        departments: [{ id: 'hurdb', name: { zh: '住建局' }, memberIds: ['U0MEMBER01'] }],
        projects: [{ id: 'ur-long', departmentId: 'hurdb', name: { zh: '老旧小区改造' }, period: year }],
        updates: [
          {
            id: 'u1',
            itemId: 'ur-long',
            at: '2026-11-20T10:00:00+08:00',
            by: 'U0REPORTER',
            percent: 10,
            state: 'blocked',
            note: '征'.repeat(4000),
            source: 'slack',
          },
        ],
      }),
    });
  });
  afterAll(async () => small.close());

  it.each([
    ['/projects', ''],
    ['/duban', 'status'],
    ['/duban', 'status 住建局'],
    ['/duban', 'behind'],
    ['/projects', 'ur-long'],
  ])('%s %s answers with sections Slack accepts', async (command, text) => {
    const a = await ask(small, command, text);
    // The worst item's line starts with a status emoji, which is one code point but two UTF-16 units.
    expect(validateBlocks(a.body.blocks)).toEqual([]);
    expect(a.accepted).toBe(true);
    expect(a.text).toContain('老旧小区改造');
  });

  it('publishes a home view Slack accepts', async () => {
    await small.slack.event(appHomeOpened({ userId: 'U0MEMBER01' }));
    const call = await small.fake.waitFor('views.publish');
    expect(validateView(call.args.view, 'home')).toEqual([]);
    expect(call.ok).toBe(true);
  });
});
