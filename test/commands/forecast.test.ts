/**
 * Forecasts where people read them: an item's detail (/duban #12), lists, reminders, the bulletin in
 * Slack and the exported bulletin and ledger words. The sample zone is read on 28 November 2026.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulletinReply } from '../../commands/bulletin.ts';
import { planReminders, reminderReply } from '../../commands/remind.ts';
import { buildBulletin } from '../../src/domain/bulletin.ts';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { reasonsInWords } from '../../src/spreadsheet/words.ts';
import { buildModel } from '../slack/helpers.ts';
import { ADMIN, type CommandSession, openSeedSession, textOf } from '../support/command-session.ts';

describe('an item’s detail says where it is heading', () => {
  let s: CommandSession;
  beforeAll(async () => {
    s = await openSeedSession();
  });
  afterAll(async () => s.close());
  const ask = (id: string, locale: 'zh-CN' | 'en' = 'zh-CN') =>
    s.ask(`/duban #${s.store.model().numberOf(id)}`, { userId: ADMIN, locale });

  it.each([
    [
      'a decreasing target with quarterly reports: the last three reports, too close to call',
      't-ipb-idle-factory',
      'zh-CN',
      '*预测*　按近 3 次上报的进度，预计年底 降至 27.9 万平方米（目标 30 万平方米，完成 114%），能否完成尚难判断（可能 24.6～31.2 万平方米）',
    ],
    [
      'the same in English',
      't-ipb-idle-factory',
      'en',
      '*Forecast*　At the pace of the last 3 reports, down to 27.9 10,000 m² (target 30 10,000 m², 114% of the cut) expected by year end, too close to call (likely 24.6–31.2 10,000 m²)',
    ],
    [
      'a target on course or not, too close to call',
      't-zx-warm-stations',
      'zh-CN',
      '*预测*　按近三个月进度，预计年底 10/10（100%），能否完成尚难判断（可能 9～11 个）',
    ],
    ['a project with one milestone done', 'ur-12', 'zh-CN', '*预测*　已完成节点不足两个，暂不预测'],
    [
      'a project whose milestones were reached early',
      'ai-incubator',
      'zh-CN',
      '*预测*　按已完成节点的进度，预计 12月12日 完成「申报省级科技企业孵化器」，早于计划 8 天（计划 12月20日）',
    ],
  ] as const)('%s', async (_name, id, locale, line) => {
    const reply = await ask(id, locale);
    expect(textOf(reply).split('\n')).toContain(line);
  });

  it('gives a target forecast to miss the reason, amber, and no second 预测 line', async () => {
    const text = textOf(await ask('t-ipb-signed-projects'));
    expect(text).toContain('*状态*\n🟡 预警');
    expect(text).toContain('• 按近三个月进度，预计年底 57/60（95%），缺口 3 个');
    expect(text).toContain('• 截至 11月27日 计划进度 90.7%，实际 85%，落后 5.7 个百分点');
    expect(text).not.toContain('*预测*');
  });

  it('says a project’s next milestone is forecast late, labelled a forecast, and leaves it on track', async () => {
    const text = textOf(await ask('ur-03'));
    expect(text).toContain('*状态*\n🟢 正常');
    expect(text).toContain('• 按已完成节点的进度，预计 12月29日 完成「竣工验收」，晚于计划 9 天（计划 12月20日）');
  });

  it('says nothing of a forecast for a target done or a level target', async () => {
    expect(textOf(await ask('t-zx-red-venues'))).not.toMatch(/预测|预计/);
    expect(textOf(await ask('t-edb-iva-growth'))).not.toMatch(/预测|预计/);
  });

  it('lists a target amber on its forecast with the forecast first', async () => {
    const text = textOf(await s.ask('/targets 投促局', { userId: ADMIN }));
    expect(text).toContain(
      '🟡 *新签约亿元以上产业项目* · 51 / 60 个\n按近三个月进度，预计年底 57/60（95%），缺口 3 个；截至 11月27日',
    );
  });
});

describe('with too few reports, the detail says so', () => {
  let s: CommandSession;
  beforeAll(async () => {
    s = await openSeedSession({ now: new Date('2026-03-10T10:00:00+08:00') });
  });
  afterAll(async () => s.close());

  it.each([
    ['zh-CN', '*预测*　上报次数不足，暂不预测'],
    ['en', '*Forecast*　Too few reports to forecast yet'],
  ] as const)('%s', async (locale, line) => {
    const n = s.store.model().numberOf('t-hurdb-renewal-starts');
    const text = textOf(await s.ask(`/duban #${n}`, { userId: ADMIN, locale }));
    expect(text.split('\n')).toContain(line);
  });
});

describe('a target forecast to miss in reminders and the bulletin', () => {
  const months = ['01-31', '02-28', '03-31', '04-30', '05-31', '06-30', '07-31', '08-31', '09-30'];
  // On plan by September (31 of 40 against 75%), but nothing since June: amber on its forecast alone.
  const values = [5, 10, 15, 20, 25, 30, 31, 31, 31];
  const today = '2026-10-09';
  const model = buildModel({
    departments: [{ id: 'build', name: { zh: '建设局', en: 'Construction Bureau' }, channelId: 'C0BUILD001' }],
    targets: [
      {
        id: 't-starts',
        departmentId: 'build',
        name: { zh: '城市更新项目开工数', en: 'Urban-renewal projects started' },
        kind: 'cumulative',
        unit: { zh: '项', en: 'projects' },
        target: 40,
        period: { start: '2026-01-01', end: '2026-12-31' },
        reporting: { cadence: 'none' },
      },
    ],
    updates: months.map((d, i) => ({
      id: `u-${i}`,
      itemId: 't-starts',
      at: `2026-${d}T10:00:00+08:00`,
      by: 'seed',
      value: values[i],
      source: 'command',
    })),
  });
  const zh = '按近三个月进度，预计年底 32/40（80%），缺口 8 项';
  const en = 'At the pace of the last three months, 32/40 (80%) expected by year end, 8 projects short';

  it.each([
    ['zh-CN', zh],
    ['en', en],
  ] as const)('the reminder names it behind with the forecast as the reason (%s)', (locale, words) => {
    const [plan] = planReminders(model, today, makeCalendar(chineseCalendarData()));
    expect(plan?.behind.map((s) => s.item.id)).toEqual(['t-starts']);
    expect(JSON.stringify(reminderReply(plan!, model, today, locale).blocks)).toContain(words);
  });

  it('the bulletin lists it among the risks, in Slack and in the exported words', () => {
    const bulletin = buildBulletin(model, today);
    expect(bulletin.risks.map((s) => s.item.id)).toEqual(['t-starts']);
    expect(JSON.stringify(bulletinReply(bulletin, model, 'zh-CN').blocks)).toContain(zh);
    expect(reasonsInWords(bulletin.risks[0]!, 'en', today)[0]).toBe(en);
  });
});
