/**
 * Ids that plain objects already "have" (constructor, toString, …) are ordinary ids: a zone whose
 * departments, targets, projects and milestones use them is listed by name, can be reported on, and an
 * overdue milestone is overdue, never taken for done because `{}.constructor` exists.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Id } from '../../src/domain/schema.ts';
import { importIntoStore } from '../../src/store/import.ts';
import { openStore } from '../../src/store/store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { ask, itemStatuses, sectionTexts, ZH_USER } from './helpers.ts';

/** Every name on Object.prototype that is also a valid id: constructor, toString, valueOf, hasOwnProperty, … */
const NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => Id.safeParse(n).success);
const NOW = new Date('2026-11-28T10:00:00+08:00');
const NATIVE = /function |\[native code\]|\[object Object\]|undefined/;

/**
 * A zone in which every name is a department id and a milestone id, and the item ids of `kind` (items
 * share one namespace, so the other kind gets prefixed ids). Department i owns target i and project i;
 * project i's milestone was due on 2026-06-30 and nobody reported it done.
 */
function zone(kind: 'targets' | 'projects') {
  return {
    departments: NAMES.map((n, i) => ({
      id: n,
      name: { zh: `测试${i}局`, en: `Test Bureau ${i}` },
      shortName: { zh: `测${i}局` },
      memberIds: [ZH_USER],
    })),
    targets: NAMES.map((n, i) => ({
      id: kind === 'targets' ? n : `t-${n}`,
      departmentId: n,
      name: { zh: `目标${i}号`, en: `Target ${i}` },
      kind: 'cumulative',
      unit: { zh: '项' },
      target: 40,
      period: { start: '2026-01-01', end: '2026-12-31' },
    })),
    projects: NAMES.map((n, i) => ({
      id: kind === 'projects' ? n : `p-${n}`,
      departmentId: n,
      name: { zh: `项目${i}号`, en: `Project ${i}` },
      period: { start: '2026-01-01', end: '2026-12-31' },
      milestones: [{ id: n, name: { zh: `节点${i}号`, en: `Milestone ${i}` }, due: '2026-06-30' }],
    })),
    updates: NAMES.map((n, i) => ({
      id: `u-${i}`,
      itemId: kind === 'projects' ? n : `p-${n}`,
      at: '2026-11-20T17:00:00+08:00',
      by: 'seed',
      state: 'in_progress',
      percent: 60,
      source: 'import',
    })),
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'duban-proto-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

it('covers the names that matter', () => {
  expect(NAMES).toEqual(
    expect.arrayContaining([
      'constructor',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'isPrototypeOf',
      'propertyIsEnumerable',
      'toLocaleString',
    ]),
  );
});

describe.each(['targets', 'projects'] as const)(
  'a zone whose department, milestone and %s ids are names of Object.prototype',
  (kind) => {
    let t: TestApp;
    beforeAll(async () => {
      const file = join(dir, `${kind}.json`);
      await writeFile(join(dir, `${kind}-import.json`), JSON.stringify(zone(kind)));
      const store = await openStore(file, { timeZone: 'Asia/Shanghai', clock: () => NOW });
      await importIntoStore(store, join(dir, `${kind}-import.json`), { now: NOW, by: 'test' });
      await store.close();
      t = await startTestApp({ dataFile: file, now: NOW });
      t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
    });
    afterAll(async () => t?.close());

    describe.each(NAMES.map((n, i) => [n, i] as const))('id %s', (name, i) => {
      const targetId = kind === 'targets' ? name : `t-${name}`;
      const projectId = kind === 'projects' ? name : `p-${name}`;

      it("lists the department's target and project by name", async () => {
        const targets = await ask(t, '/targets', `测试${i}局`);
        expect(targets.text).toContain(`目标${i}号`);
        expect(targets.text).not.toMatch(NATIVE);
        const projects = await ask(t, '/projects', `测试${i}局`);
        expect(projects.text).toContain(`项目${i}号`);
        expect(projects.text).not.toMatch(NATIVE);
        const status = await ask(t, '/duban', `status 测试${i}局`);
        expect(status.text).not.toMatch(NATIVE);
      });

      it('shows the item by its id, with its number', async () => {
        const detail = await ask(t, '/targets', targetId);
        expect(detail.text).toContain(`目标${i}号`);
        expect(detail.text).not.toMatch(NATIVE);
        expect(detail.text).toMatch(/#\d+/);
      });

      it('takes a report on the item by its id', async () => {
        const reported = await ask(t, '/progress', `${targetId} 31 本月新开工5项`);
        expect(reported.text).not.toMatch(/稍后再试|找不到|NATIVE/);
        expect(reported.text).toContain(`目标${i}号`);
        const progress = t.store.model().progress.get(targetId);
        expect(progress?.value).toBe(31);
      });

      it('rates the project with an overdue milestone red, and the milestone overdue, not done', async () => {
        const s = t.store
          .model()
          .evaluate('2026-11-28')
          .projects.find((p) => p.item.id === projectId);
        expect(s?.status).toBe('red');
        expect(s?.overdue.map((m) => m.id)).toEqual([name]);
        const projects = await ask(t, '/projects', `测试${i}局`);
        expect(itemStatuses(projects.body)).toEqual(['🔴']);
        expect(sectionTexts(projects.body).join('\n')).toContain(`节点${i}号`);
      });
    });
  },
);

describe('words that plain objects already have, typed as /duban subcommands', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ now: NOW });
    t.fake.setUser(ZH_USER, { locale: 'zh-CN' });
  });
  afterAll(async () => t?.close());

  it.each(['constructor', '__proto__', 'hasownproperty', 'valueof'])(
    'answers "/duban %s" as an unknown subcommand',
    async (word) => {
      const answer = await ask(t, '/duban', word);
      expect(answer.body.response_type).toBe('ephemeral');
      expect(answer.text).toContain(word);
      expect(answer.text).not.toMatch(/稍后再试|模型|LLM|function /i);
    },
  );
});

describe('a data file written with such ids', () => {
  it("reads them back as the items' own entries after a restart", async () => {
    const file = join(dir, 'restart.json');
    await writeFile(join(dir, 'restart-import.json'), JSON.stringify(zone('projects')));
    const first = await openStore(file, { timeZone: 'Asia/Shanghai', clock: () => NOW });
    await importIntoStore(first, join(dir, 'restart-import.json'), { now: NOW, by: 'test' });
    await first.close();
    const again = await openStore(file, { timeZone: 'Asia/Shanghai', clock: () => NOW });
    try {
      const db = again.model().db;
      for (const name of NAMES) {
        expect(Object.getPrototypeOf(db.progress)).toBeNull();
        expect(db.progress[name]?.percent).toBe(60);
        expect(db.progress[name]?.milestonesDone[name]).toBeUndefined();
        expect(typeof db.numbers[name]).toBe('number');
        expect(db.snoozes[name]).toBeUndefined();
        expect(db.streaks[name]).toBeUndefined();
      }
      const red = again
        .model()
        .evaluate('2026-11-28')
        .projects.filter((p) => p.status === 'red');
      expect(red.map((p) => p.item.id).sort()).toEqual([...NAMES].sort());
    } finally {
      await again.close();
    }
  });
});
