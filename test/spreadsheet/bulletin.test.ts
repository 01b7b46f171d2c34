/** The 通报 in Markdown: departments ranked with counts, items behind with reasons, overdue milestones. */
import { describe, expect, it } from 'vitest';
import { createReadModel } from '../../src/domain/read-model.ts';
import { writeBulletinMarkdown } from '../../src/spreadsheet/index.ts';
import { TODAY, TZ, seedStore } from './helpers.ts';

const model = createReadModel(seedStore(), TZ);
const zh = writeBulletinMarkdown(model, TODAY, 'zh-CN');
const en = writeBulletinMarkdown(model, TODAY, 'en');
const rollup = model.rollup(TODAY);

describe('the bulletin', () => {
  it('opens with the zone, the date and the counts', () => {
    const c = rollup.counts;
    expect(zh.split('\n').slice(0, 3)).toEqual([
      '# 南通经济技术开发区目标任务推进情况通报（截至 2026年11月28日）',
      '',
      `全区共跟踪 ${c.red + c.amber + c.green + c.done + c.pending + c.exempt} 项，其中落后 ${c.red} 项、预警 ${c.amber} 项、正常 ${c.green} 项、已完成 ${c.done} 项。`,
    ]);
  });

  it('ranks every department in a table, best first', () => {
    const rows = zh.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.map((l) => l.split(' | ')[1])).toEqual(rollup.departments.map((d) => d.department.shortName.zh));
    expect(rows[0]).toBe('| 1 | 投促局 | 0 | 0 | 2 | 0 | 0 | 100% |');
  });

  it('lists every red item with its reasons, and the overdue milestones', () => {
    const red = rollup.behind.filter((s) => s.status === 'red');
    const section = zh.slice(zh.indexOf('## 二、落后事项'), zh.indexOf('## 三、预警事项'));
    expect(section.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(red.length);
    expect(section).toContain('- **AI+载体新增入驻企业**（科创局）：计划进度 91%，实际 43.3%，落后 47.7 个百分点');
    expect(zh).toContain('- 重塑“4+6”招商体系（投促局）：招商考核激励办法印发（6月30日）');
  });

  it('is written in English when asked, with the sample-data note', () => {
    expect(en).toContain('## 2. Behind');
    expect(en).toContain('- **Firms newly moved into AI+ carriers** (STIB): Plan 91%, actual 43.3%, 47.7 points behind');
    expect(en.trimEnd().endsWith('> Note: this bulletin contains sample data.')).toBe(true);
  });
});
