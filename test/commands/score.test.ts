/**
 * /duban score from the command layer on the bundled seed (its reports in the journal): the report in
 * both languages, the formula said in it, a month it cannot read, and what someone who is not an admin
 * sees before anything is published. The Slack tier (test/slack/publishing.test.ts) drives the preview,
 * approval and publication.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMonthly, runScore } from '../../commands/score.ts';
import { type CommandSession, LIAISON, openSeedSession, textOf } from '../support/command-session.ts';

let s: CommandSession;
beforeAll(async () => {
  s = await openSeedSession({ now: new Date('2026-12-07T10:00:00+08:00') });
});
afterAll(async () => s.close());

describe('the monthly report', () => {
  it.each([
    {
      locale: 'zh-CN' as const,
      words: [
        '2026年11月督办工作评价',
        '各部门排名（只看结果，不看发了多少消息）',
        '本月无到期事项（不评分）',
        '督查室',
        '评分 = 按时报送率×40',
      ],
    },
    {
      locale: 'en' as const,
      words: [
        "departments' results, Nov 2026",
        'ranked (on results only, never on how many messages were sent)',
        'Nothing due this month (not scored)',
        'reports on time',
        'Score = reports on time × 40',
      ],
    },
  ])('says the ranking, the parts and the formula in $locale', async ({ locale, words }) => {
    const text = textOf(await buildMonthly('2026-11', s.context({ locale })));
    for (const w of words) expect(text).toContain(w);
  });

  it.each([
    ['2026-13', '「2026-13」不是月份：请写成年-月，例如 2026-11。'],
    ['十一月', '「十一月」不是月份'],
  ])('answers the month %s with an example', async (month, said) => {
    const reply = await runScore(month, s.context({ userId: LIAISON }));
    expect(reply.visibility).toBe('ephemeral');
    expect(textOf(reply)).toContain(said);
    expect(textOf(reply)).toContain('/duban score 2026-11');
  });

  it('tells someone who is not an admin that the month is not published yet, defaulting to the previous month', async () => {
    const reply = await runScore('', s.context({ userId: LIAISON }));
    expect(textOf(reply)).toContain('2026年11月的督办工作评价尚未发布。');
  });
});
