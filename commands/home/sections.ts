/**
 * The parts of App Home, one function per part: the office's inbox, the zone overview, the latest
 * bulletin, a department's week, the top risks and the targets forecast to miss. Plain reply blocks
 * (commands/reply.ts); the Slack edge adds the ranking chart where a view asks for it.
 */
import { buildBulletin } from '../../src/domain/bulletin.ts';
import { localDate } from '../../src/domain/dates.ts';
import { calendarOf } from '../../src/domain/read-model.ts';
import { zeroCounts } from '../../src/domain/rollup.ts';
import type { Department } from '../../src/domain/schema.ts';
import { compareWorstFirst, isBehind } from '../../src/domain/status.ts';
import { formatDate, messages, pick } from '../../src/i18n/index.ts';
import type { CommandContext } from '../context.ts';
import { APPROVE as EXTENSION_APPROVE, REFUSE as EXTENSION_REFUSE } from '../extension.ts';
import { countsText, departmentName, itemSection, itemText, reasonText, STATUS_EMOJI } from '../format.ts';
import { PUBLISH_APPROVE, PUBLISH_RETURN } from '../publishing.ts';
import { REMIND_LOG } from '../remind.ts';
import { joinMd, type Mrkdwn, md, type ReplyBlock, trusted } from '../reply.ts';
import { APPROVE as REVIEW_APPROVE, SEND_BACK as REVIEW_SEND_BACK } from '../review.ts';
import { dueThisWeek } from './due.ts';
import { forecastMisses } from './forecast.ts';

/** How many of each kind a Home shows before pointing elsewhere: room for all roles' parts in 100 blocks. */
export const HOME_LIMITS = { inbox: 5, items: 8, due: 10, reminders: 3, risks: 8, misses: 8, worse: 3 } as const;

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CG][A-Z0-9]{2,}$/;

/** A person by mention when the id is a Slack user id, else nothing (an import or duban itself). */
function person(id: string): string {
  return SLACK_USER.test(id) ? ` <@${id}>` : '';
}

function itemLabel(itemId: string, ctx: CommandContext): { name: string; dept: string } {
  const found = ctx.model.item(itemId);
  const d = found ? ctx.model.department(found.item.departmentId) : undefined;
  return {
    name: found ? pick(found.item.name, ctx.locale) : itemId,
    dept: d ? departmentName(d, ctx.locale) : '',
  };
}

/** One kind of request waiting in the office's inbox: its entries oldest first, how each reads, its two buttons. */
type InboxKind<T> = {
  entries: T[];
  title: (n: number) => string;
  line: (entry: T) => Mrkdwn;
  approve: { text: string; actionId: string };
  refuse: { text: string; actionId: string };
  value: (entry: T) => string;
};

/** A kind's heading, its first HOME_LIMITS.inbox entries each with approve and refuse buttons; how many were left out. */
function inboxSection<T>(kind: InboxKind<T>): { blocks: ReplyBlock[]; hidden: number } {
  const blocks: ReplyBlock[] = [{ type: 'context', elements: [md`*${kind.title(kind.entries.length)}*`] }];
  for (const entry of kind.entries.slice(0, HOME_LIMITS.inbox))
    blocks.push(
      { type: 'section', text: kind.line(entry) },
      {
        type: 'actions',
        buttons: [
          { ...kind.approve, value: kind.value(entry), style: 'primary' },
          { ...kind.refuse, value: kind.value(entry), style: 'danger' },
        ],
      },
    );
  return { blocks, hidden: Math.max(0, kind.entries.length - HOME_LIMITS.inbox) };
}

/** What waits for the supervision office: reviews (复核), extension requests (延期), publications (审核发布). */
export function inboxBlocks(ctx: CommandContext): ReplyBlock[] {
  const m = messages(ctx.locale).home;
  const { review: rm, extension: em, scoring: sc } = messages(ctx.locale);
  const { db } = ctx.model;
  const date = (at: string) => formatDate(localDate(new Date(at), ctx.model.timeZone), ctx.locale, ctx.today);
  const reviews: InboxKind<(typeof db.reviews)[number]> = {
    entries: [...db.reviews].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)),
    title: m.reviews,
    line: (r) => {
      const { name, dept } = itemLabel(r.itemId, ctx);
      return trusted(`${md`${m.review(name, dept, date(r.requestedAt))}`.mrkdwn}${person(r.requestedBy)}`);
    },
    approve: { text: rm.approve, actionId: REVIEW_APPROVE },
    refuse: { text: rm.sendBack, actionId: REVIEW_SEND_BACK },
    value: (r) => r.id,
  };
  type Extension = { itemId: string; request: (typeof db.extensions)[string][number] };
  const extensions: InboxKind<Extension> = {
    entries: Object.entries(db.extensions)
      .flatMap(([itemId, list]) => list.filter((r) => r.status === 'pending').map((request) => ({ itemId, request })))
      .sort((a, b) => a.request.requestedAt.localeCompare(b.request.requestedAt)),
    title: m.extensions,
    line: ({ itemId, request }) => {
      const { name, dept } = itemLabel(itemId, ctx);
      const from = formatDate(request.from, ctx.locale, ctx.today);
      const line = m.extension(name, dept, from, formatDate(request.to, ctx.locale, ctx.today));
      return joinMd([
        trusted(`${md`${line}`.mrkdwn}${person(request.requestedBy)}`),
        md`> ${m.reason(request.reason.slice(0, 300))}`,
      ]);
    },
    approve: { text: em.approve, actionId: EXTENSION_APPROVE },
    refuse: { text: em.refuse, actionId: EXTENSION_REFUSE },
    value: (e) => e.request.id,
  };
  type Publication = [string, (typeof db.publications)[string]];
  const publications: InboxKind<Publication> = {
    entries: Object.entries(db.publications)
      .filter(([, p]) => p.status === 'pending')
      .sort(([, a], [, b]) => a.at.localeCompare(b.at)),
    title: m.publications,
    line: ([, p]) => {
      const where =
        p.preview && SLACK_CHANNEL.test(p.preview.channel)
          ? trusted(` · ${md`${m.previewIn}`.mrkdwn} <#${p.preview.channel}>`)
          : trusted('');
      return joinMd([md`${m.publication(sc.kind[p.kind], p.period)}`, where], '');
    },
    approve: { text: sc.approve, actionId: PUBLISH_APPROVE },
    refuse: { text: sc.sendBack, actionId: PUBLISH_RETURN },
    value: ([id]) => id,
  };
  const blocks: ReplyBlock[] = [{ type: 'section', text: md`*${m.inbox}*` }];
  const kinds = [reviews, extensions, publications] as ReadonlyArray<InboxKind<unknown>>;
  if (kinds.every((k) => k.entries.length === 0)) {
    blocks.push({ type: 'context', elements: [md`${m.inboxEmpty}`] });
    return blocks;
  }
  let hidden = 0;
  for (const kind of kinds) {
    if (kind.entries.length === 0) continue;
    const section = inboxSection(kind);
    blocks.push(...section.blocks);
    hidden += section.hidden;
  }
  if (hidden > 0) blocks.push({ type: 'context', elements: [md`${m.inboxMore(hidden)}`] });
  return blocks;
}

/** The zone's counts; the ranking chart goes right after this block. */
export function zoneHeadBlock(ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale).home;
  return { type: 'section', text: md`*${m.zone}*　${countsText(ctx.model.rollup(ctx.today).counts, ctx.locale)}` };
}

/** Every department on one line each, in rank order: the chart's figures in words. */
export function departmentLines(ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale);
  const lines: Mrkdwn[] = ctx.model
    .rollup(ctx.today)
    .departments.map(
      (r) =>
        md`${m.list.rank(r.rank)}　*${departmentName(r.department, ctx.locale)}*　${r.items.length > 0 ? countsText(r.counts, ctx.locale) : m.list.nothingCounted}`,
    );
  return { type: 'section', text: joinMd([md`*${m.home.departments}*`, ...lines]) };
}

/** The latest published bulletin: its date and counts, and how many items moved since. */
export function latestBulletinBlock(ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale).home;
  const last = ctx.model.db.lastBulletin;
  if (!last) return { type: 'section', text: joinMd([md`*${m.latestBulletin}*`, md`${m.noBulletin}`]) };
  const counts = zeroCounts();
  for (const status of Object.values(last.snapshot)) counts[status] += 1;
  const changes = buildBulletin(ctx.model, ctx.today, { date: last.date, snapshot: last.snapshot }).changes;
  const worse = changes.filter((c) => c.direction === 'worse');
  const lines: Mrkdwn[] = [
    md`*${m.latestBulletin}*`,
    md`${m.bulletinLine(formatDate(last.date, ctx.locale, ctx.today), countsText(counts, ctx.locale))}`,
    md`${m.sinceBulletin(changes.length - worse.length, worse.length)}`,
  ];
  if (worse.length > 0)
    lines.push(
      md`${m.worse}${worse
        .slice(0, HOME_LIMITS.worse)
        .map((c) => `${STATUS_EMOJI[c.from]}→${STATUS_EMOJI[c.to]} ${pick(c.status.item.name, ctx.locale)}`)
        .join('；')}`,
    );
  return { type: 'section', text: joinMd(lines) };
}

/** One department for its own people: rank and counts, what is due this week, its items with report buttons, reminders sent. */
export function departmentBlocks(d: Department, ctx: CommandContext): ReplyBlock[] {
  const m = messages(ctx.locale);
  const h = m.home;
  const r = ctx.model.rollup(ctx.today).departments.find((x) => x.department.id === d.id);
  const name = departmentName(d, ctx.locale);
  const items = r?.items ?? [];
  const blocks: ReplyBlock[] = [
    {
      type: 'section',
      text: md`*${h.yourDept(name)}*　${m.list.rank(r?.rank)}　${r && items.length > 0 ? countsText(r.counts, ctx.locale) : m.list.nothingCounted}`,
    },
  ];
  // What is due: milestones, deadlines and reports within seven days, and reports already late.
  const calendar = ctx.model.calendar ? calendarOf(ctx.model, ctx.model.calendar) : undefined;
  const due = dueThisWeek(items, ctx.today, calendar);
  const dueLines = due.slice(0, HOME_LIMITS.due).map((e) => {
    const date = formatDate(e.due, ctx.locale, ctx.today);
    const what =
      e.what === 'milestone' && e.milestone
        ? md`${h.dueMilestone(pick(e.milestone.name, ctx.locale), date)}`
        : e.what === 'deadline'
          ? md`${h.dueDeadline(date)}`
          : e.what === 'report'
            ? md`${h.dueReport(date)}`
            : reasonText(e.status.reasons.find((x) => x.code === 'report_missing')!, ctx);
    const n = ctx.model.numberOf(e.status.item.id);
    return md`• ${STATUS_EMOJI[e.status.status]} *${pick(e.status.item.name, ctx.locale)}*${n ? ` #${n}` : ''} — ${what}`;
  });
  blocks.push({
    type: 'section',
    text: joinMd([md`*${h.dueThisWeek}*`, ...(dueLines.length ? dueLines : [md`${h.nothingDue}`])]),
  });
  // Its items, worst first, each with the report form's button (the reminders' own, one handler).
  blocks.push({ type: 'section', text: md`*${h.myItems(items.length)}*` });
  for (const s of items.slice(0, HOME_LIMITS.items)) {
    const open = s.status !== 'done' && s.status !== 'exempt';
    blocks.push({
      type: 'section',
      text: itemText(s, ctx, { department: d.id }),
      ...(open ? { button: { text: h.report, actionId: REMIND_LOG, value: s.item.id } } : {}),
    });
  }
  if (items.length > HOME_LIMITS.items)
    blocks.push({
      type: 'context',
      elements: [md`${h.deptItemsMore(items.length - HOME_LIMITS.items, name)}`],
    });
  blocks.push(remindersBlock(d, ctx));
  return blocks;
}

/** The reminders the scheduled runs sent this department (the store's delivery records), newest first. */
function remindersBlock(d: Department, ctx: CommandContext): ReplyBlock {
  const h = messages(ctx.locale).home;
  const prefix = `reminder:${d.id}:`;
  const sent = Object.entries(ctx.model.db.deliveries)
    .filter(([key, v]) => key.startsWith(prefix) && v.status === 'sent')
    .map(([, v]) => v)
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, HOME_LIMITS.reminders);
  const lines = sent.map((v) => {
    const when = formatDate(localDate(new Date(v.at), ctx.model.timeZone), ctx.locale, ctx.today);
    // Only channel ids are linked; a reminder sent to people directly names no channel.
    const where = v.channel && SLACK_CHANNEL.test(v.channel) ? ` <#${v.channel}>` : '';
    return trusted(`• ${md`${h.reminderLine(when)}`.mrkdwn}${where}`);
  });
  return { type: 'section', text: joinMd([md`*${h.reminders}*`, ...(lines.length ? lines : [md`${h.noReminders}`])]) };
}

/** The items behind across the zone, worst first, each with its reasons and its department. */
export function riskBlocks(ctx: CommandContext): ReplyBlock[] {
  const h = messages(ctx.locale).home;
  const behind = ctx.model.rollup(ctx.today).behind.filter(isBehind);
  const blocks: ReplyBlock[] = [{ type: 'section', text: md`*${h.topRisks}*` }];
  if (behind.length === 0) blocks.push({ type: 'context', elements: [md`${h.noRisks}`] });
  for (const s of behind.slice(0, HOME_LIMITS.risks)) blocks.push(itemSection(s, ctx, { owner: true }));
  if (behind.length > HOME_LIMITS.risks)
    blocks.push({ type: 'context', elements: [md`${h.risksMore(behind.length - HOME_LIMITS.risks)}`] });
  return blocks;
}

/** Targets the forecast says will miss their year-end value, worst first. */
export function forecastMissBlocks(ctx: CommandContext): ReplyBlock[] {
  const h = messages(ctx.locale).home;
  const misses = forecastMisses(
    ctx.model
      .evaluate(ctx.today)
      .tracked.filter((s) => s.kind === 'target')
      .sort(compareWorstFirst),
  );
  const blocks: ReplyBlock[] = [{ type: 'section', text: md`*${h.forecastMiss}*` }];
  if (misses.length === 0) blocks.push({ type: 'context', elements: [md`${h.noForecastMiss}`] });
  for (const s of misses.slice(0, HOME_LIMITS.misses)) blocks.push(itemSection(s, ctx, { owner: true }));
  if (misses.length > HOME_LIMITS.misses)
    blocks.push({ type: 'context', elements: [md`${h.risksMore(misses.length - HOME_LIMITS.misses)}`] });
  return blocks;
}
