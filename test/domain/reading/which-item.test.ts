import { describe, expect, it } from 'vitest';
import { rankItems } from '../../../src/domain/reading/index.ts';
import { CumulativeTarget, LevelTarget, Project } from '../../../src/domain/schema.ts';

const year = { start: '2026-01-01', end: '2026-12-31' };
const target = (id: string, zh: string, unit: string) =>
  CumulativeTarget.parse({
    id,
    departmentId: 'd',
    name: { zh },
    kind: 'cumulative',
    unit: { zh: unit },
    target: 40,
    period: year,
  });
const project = (id: string, zh: string) => Project.parse({ id, departmentId: 'd', name: { zh }, period: year });
const items = [
  project('p-dg', '东港花园老旧小区改造'),
  project('p-xh', '星湖花园老旧小区改造'),
  target('t-starts', '城市更新项目开工数', '项'),
  target('t-firms', '新增入驻企业', '家'),
  target('t-invest', '城市更新完成投资', '亿元'),
  LevelTarget.parse({
    id: 't-rate',
    departmentId: 'd',
    name: { zh: '城市更新项目开工率' },
    kind: 'level',
    unit: { zh: '%' },
    target: 90,
    period: year,
  }),
];

describe('which item a reply is about', () => {
  it.each([
    ['城市更新项目累计开工31项', 't-starts'],
    ['累计开工31项', 't-starts'],
    ['新增入驻企业12家', 't-firms'],
    ['累计完成投资3.2亿元', 't-invest'],
    ['星湖花园老旧小区改造完成70%', 'p-xh'],
    ['东港花园老旧小区改造已竣工', 'p-dg'],
  ])('"%s" → %s, without asking', (text, id) => {
    expect(rankItems(text, items).best?.id).toBe(id);
  });

  it("never offers an item that cannot take the figure: a count of 项 is no project's percentage", () => {
    const { ranked } = rankItems('开工31项', items);
    expect(ranked.map((i) => i.id)).not.toContain('p-xh');
    expect(ranked.map((i) => i.id)).not.toContain('t-invest');
  });

  it('asks, the likelier first, when two items are named alike (花园老旧小区改造 for either garden)', () => {
    const { best, ranked } = rankItems('花园老旧小区改造完成70%', items);
    expect(best).toBeUndefined();
    expect(
      ranked
        .slice(0, 2)
        .map((i) => i.id)
        .sort(),
    ).toEqual(['p-dg', 'p-xh']);
  });
});
