/**
 * Sub-tasks through the real Bolt app: a project's milestones owned by departments of their own. Each
 * department reports its own sub-task done, the project's percent rolls up from them, and the project
 * can be claimed done only once all are.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readModelFromState } from '../../src/domain/read-model.ts';
import { seedModel, startTestApp, type TestApp } from '../support/app.ts';
import { ask, ZH_USER } from './helpers.ts';

const ADMIN = 'U0ADMIN001';
/** A liaison of 中兴街道, which owns the 主体完工 sub-task only. */
const ZX_USER = 'U0ZHONGXI1';
/** 住建局's project with 开工 reached; 主体完工 (中兴街道's) and 竣工验收 (住建局's) open. */
const ITEM = 'ur-05';

let t: TestApp;

async function subTaskModel() {
  const base = await seedModel();
  const db = base.db;
  const state = {
    ...db,
    departments: db.departments.map((d) =>
      d.id === 'hurdb' ? { ...d, memberIds: [ZH_USER] } : d.id === 'zhongxing' ? { ...d, memberIds: [ZX_USER] } : d,
    ),
    projects: db.projects.map((p) =>
      p.id === ITEM
        ? {
            ...p,
            coDepartmentIds: ['zhongxing'],
            milestones: p.milestones.map((m) =>
              m.id === 'm2' ? { ...m, departmentId: 'zhongxing' } : m.id === 'm3' ? { ...m, departmentId: 'hurdb' } : m,
            ),
          }
        : p,
    ),
  };
  return readModelFromState(state, 'Asia/Shanghai', 0, undefined, base.calendar);
}

beforeEach(async () => {
  t = await startTestApp({ model: await subTaskModel(), admins: [ADMIN] });
  t.fake.setUser(ZH_USER, { locale: 'zh-CN', name: 'liaison' });
  t.fake.setUser(ZX_USER, { locale: 'zh-CN', name: 'zhongxing' });
});
afterEach(async () => t.close());

const status = () => t.store.model().evaluate('2026-11-28').byId.get(ITEM)!;

describe('sub-tasks of a project', () => {
  it('each department reports its own; the percent rolls up; done only once all are', async () => {
    expect(status().completion).toBe(0);
    // 中兴街道 may not report 住建局's sub-task, nor the project as a whole.
    const notTheirs = await ask(t, '/progress', `${ITEM} 竣工验收已完成`, ZX_USER);
    expect(notTheirs.text).toContain('不能为');
    const whole = await ask(t, '/progress', `${ITEM} 完成80%`, ZX_USER);
    expect(whole.text).toContain('不能为');
    expect(status().completion).toBe(0);

    const own = await ask(t, '/progress', `${ITEM} 主体完工已完成`, ZX_USER);
    expect(own.text).toContain('节点「主体完工」已完成');
    expect(status().completion).toBe(0.5);
    const detail = await ask(t, '/projects', ITEM);
    expect(detail.text).toContain('完成 50%');

    const early = await ask(t, '/progress', `${ITEM} 已全部完成`);
    expect(early.text).toContain('「新开花苑老旧小区改造」还有子任务未完成：竣工验收');
    expect(t.store.model().db.reviews).toEqual([]);

    await ask(t, '/progress', `${ITEM} 竣工验收已完成`);
    expect(status().completion).toBe(1);
    const claim = await ask(t, '/progress', `${ITEM} 已全部完成`);
    expect(claim.text).toContain('已提交督查室复核');
  });
});
