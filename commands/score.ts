/**
 * /duban score [2026-11] (评价, 月度评价): the monthly report (src/domain/scoring.ts). For admins it
 * is built and sent as a preview for approval (commands/publishing.ts); everyone else sees the report
 * published for that month, if any. Without a month: the previous one.
 */
import { calendarOf } from '../src/domain/read-model.ts';
import { type DepartmentScore, isMonth, type MonthlyScores, previousMonth, scoreMonth } from '../src/domain/scoring.ts';
import { formatNumber, type Locale, messages, pick } from '../src/i18n/index.ts';
import { type CommandContext, canWrite } from './context.ts';
import { departmentName, usageReply } from './format.ts';
import { publishedMonthly, replyOfContent } from './publishing.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock, trusted } from './reply.ts';

export const SCORE_WORDS = ['score', '评价', '月度评价'] as const;
export const SCORE_EXAMPLE = '/duban score 2026-11';
const LISTED = 10;

function partsText(d: DepartmentScore, locale: Locale): string {
  const m = messages(locale).scoring;
  const parts = [
    d.reports.due > 0 ? m.reports(d.reports.onTime, d.reports.due) : m.noReports,
    m.overdue(d.overdue.length),
  ];
  if (d.done.total > 0) parts.push(m.done(d.done.onTime, d.done.total));
  if (d.gap) parts.push(m.gap(formatNumber(d.gap.points, locale)));
  return parts.join(' · ');
}

/** The monthly report as a message: ranking on outcomes, the office apart, nothing due apart, overdue items, the formula. */
export function monthlyReply(scores: MonthlyScores, ctx: Pick<CommandContext, 'model' | 'locale'>): Reply {
  const { locale, model } = ctx;
  const m = messages(locale).scoring;
  const title = m.title(pick(model.db.meta.zone, locale), m.month(scores.month));
  const line = (d: DepartmentScore, prefix: string): Mrkdwn =>
    joinMd(
      [
        md`${prefix}${departmentName(d.department, locale)}　`,
        trusted(m.score(formatNumber(d.score ?? 0, locale))),
        md`　${partsText(d, locale)}`,
      ],
      '',
    );
  const ranked = scores.departments.filter((d) => d.rank !== undefined);
  const unranked = scores.departments.filter((d) => d.rank === undefined && d.score !== undefined);
  const nothing = scores.departments.filter((d) => d.nothingDue);
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    { type: 'context', elements: [md`${m.period(scores.start, scores.end)}`] },
    { type: 'section', text: joinMd([md`*${m.ranking}*`, ...ranked.map((d) => line(d, `${d.rank}. `))]) },
  ];
  if (unranked.length > 0)
    blocks.push({ type: 'section', text: joinMd([md`*${m.unrankedTitle}*`, ...unranked.map((d) => line(d, ''))]) });
  if (nothing.length > 0)
    blocks.push({
      type: 'section',
      text: joinMd([
        md`*${m.nothingDueTitle}*`,
        md`${messages(locale).format.list(nothing.map((d) => departmentName(d.department, locale)))}`,
      ]),
    });
  const overdue = scores.departments.flatMap((d) => d.overdue.map((s) => ({ s, d })));
  if (overdue.length > 0)
    blocks.push({
      type: 'section',
      text: joinMd([
        md`*${m.overdueTitle(overdue.length)}*`,
        ...overdue
          .slice(0, LISTED)
          .map(
            ({ s, d }) =>
              md`🔴 ${pick(s.item.name, locale)}${messages(locale).format.parens(departmentName(d.department, locale))}`,
          ),
        ...(overdue.length > LISTED ? [md`…`] : []),
      ]),
    });
  blocks.push({ type: 'context', elements: [md`${m.formula}`] });
  return { text: title, blocks, visibility: 'in_channel' };
}

/** The month asked for: YYYY-MM, or the previous month when none is given. */
export function monthArg(text: string, today: string): { month: string } | { bad: string } {
  const word = text.trim();
  if (!word) return { month: previousMonth(today) };
  return isMonth(word) ? { month: word } : { bad: word.slice(0, 40) };
}

/** The report of a month from the journal (the store's whole history). */
export async function buildMonthly(month: string, ctx: CommandContext): Promise<Reply> {
  const history = ctx.store ? await ctx.store.history() : [];
  const data = ctx.scheduler?.calendarData ?? ctx.model.calendar;
  const scores = scoreMonth(ctx.model, history, month, data ? calendarOf(ctx.model, data) : undefined);
  return monthlyReply(scores, ctx);
}

export async function runScore(text: string, ctx: CommandContext): Promise<Reply> {
  const m = messages(ctx.locale).scoring;
  const arg = monthArg(text, ctx.today);
  if ('bad' in arg) return usageReply(m.badMonth(arg.bad), SCORE_EXAMPLE, ctx.locale);
  const { month } = arg;
  if (!ctx.isAdmin) {
    const published = publishedMonthly(ctx.model, month);
    if (!published?.content) return usageReply(m.notPublished(m.month(month)), SCORE_EXAMPLE, ctx.locale);
    return { ...replyOfContent(published.content), visibility: 'ephemeral' };
  }
  const report = await buildMonthly(month, ctx);
  if (!canWrite(ctx) || !ctx.scheduler)
    return {
      ...report,
      blocks: [...report.blocks, { type: 'context', elements: [md`${m.previewOnly}`] }],
      visibility: 'ephemeral',
    };
  // The preview goes out through the scheduled job's own bookkeeping: sent once, recorded as a publication step.
  await ctx.scheduler.runNow('monthly', { month });
  const supervision = ctx.model.db.settings.supervisionChannelId;
  const note = supervision
    ? trusted(`${md`${m.previewSent(m.kind.monthly)}`.mrkdwn}<#${supervision}>`)
    : md`${m.previewSentAdmins(m.kind.monthly)}`;
  return { ...report, blocks: [{ type: 'context', elements: [note] }, ...report.blocks], visibility: 'ephemeral' };
}
