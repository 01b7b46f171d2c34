/** Views shared by /targets, /projects, /duban and mentions: lists, details, overviews, "not found". */
import { own } from '../src/domain/lookup.ts';
import { matchDepartment, suggestDepartments } from '../src/domain/match.ts';
import { countStatuses } from '../src/domain/rollup.ts';
import type { Commitment, Department, Item } from '../src/domain/schema.ts';
import { compareWorstFirst, dueSoonReason, type ItemStatus } from '../src/domain/status.ts';
import { formatDate, formatNumber, messages, pick } from '../src/i18n/index.ts';
import { signLines } from './assign.ts';
import type { CommandContext } from './context.ts';
import { deadlineText, OPEN_FORM } from './extension.ts';
import { forecastSection } from './forecast.ts';
import {
  asOfContext,
  countsText,
  departmentName,
  departmentSection,
  itemSection,
  itemText,
  pageBlocks,
  paginate,
  reasonText,
  reporterName,
  statusLabel,
  usageReply,
} from './format.ts';
import { machineSummaryLine } from './llm-digest.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock } from './reply.ts';
import { ADD_SUBTASK, maySplit, splittable } from './subtasks.ts';
import { hasTrend, trendButton } from './trend.ts';

export type ListSpec = {
  title: string;
  statuses: ItemStatus[];
  command: string;
  text: string;
  page: number;
  showOwner: boolean;
  emptyText: string;
  about?: Reply['about'];
  /** The department whose list this is: items it only supports are labelled, with their lead. */
  department?: string;
  /** A list of items behind: counts only red and amber, and says which other items only have milestones due soon. */
  behind?: { dueSoon: ItemStatus[] };
};

/** A paginated list of items, worst first, with a header and the date it is as of. */
export function listReply(spec: ListSpec, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const p = paginate([...spec.statuses].sort(compareWorstFirst), spec.page);
  const blocks: ReplyBlock[] = [{ type: 'header', text: spec.title }, asOfContext(ctx)];
  if (spec.statuses.length === 0) {
    blocks.push({ type: 'section', text: md`${spec.emptyText}` });
  } else {
    const c = countStatuses(spec.statuses);
    const counts = spec.behind ? m.list.behindCounts(c.red, c.amber) : countsText(c, ctx.locale);
    blocks.push({ type: 'section', text: md`${counts}` }, { type: 'divider' });
    const opts = { owner: spec.showOwner, ...(spec.department ? { department: spec.department } : {}) };
    for (const s of p.items) blocks.push(itemSection(s, ctx, opts));
    blocks.push(...pageBlocks(p, spec.command, spec.text, ctx.locale));
  }
  if (spec.behind && spec.behind.dueSoon.length > 0 && p.page === p.pages)
    blocks.push(...dueSoonBlocks(spec.behind.dueSoon, ctx));
  return {
    text: spec.title,
    blocks,
    visibility: 'in_channel',
    about: spec.about ?? { itemIds: p.items.map((s) => s.item.id) },
  };
}

const DUE_SOON_SHOWN = 10;

/**
 * Items not behind whose next milestone is due soon, one line each, after a list of items behind: kept
 * apart so "behind" means behind. Cut short, it says how to narrow it (by department).
 */
function dueSoonBlocks(statuses: ItemStatus[], ctx: CommandContext): ReplyBlock[] {
  const m = messages(ctx.locale);
  const sorted = [...statuses].sort(
    (a, b) =>
      (dueSoonReason(a)?.daysLeft ?? 0) - (dueSoonReason(b)?.daysLeft ?? 0) || a.item.id.localeCompare(b.item.id),
  );
  const lines = sorted.slice(0, DUE_SOON_SHOWN).map((s) => {
    const due = dueSoonReason(s);
    const n = ctx.model.numberOf(s.item.id);
    return joinMd(
      [md`⏰ *${pick(s.item.name, ctx.locale)}*${n ? `（#${n}）` : ''} — `, due ? reasonText(due, ctx) : md``],
      '',
    );
  });
  const blocks: ReplyBlock[] = [
    { type: 'divider' },
    { type: 'section', text: joinMd([md`*${m.list.dueSoonTitle}*　${m.duban.dueSoon(statuses.length)}`, ...lines]) },
  ];
  const next = sorted[DUE_SOON_SHOWN] && ctx.model.department(sorted[DUE_SOON_SHOWN].item.departmentId);
  if (next)
    blocks.push({
      type: 'context',
      elements: [
        md`${m.list.moreByDepartment(statuses.length - DUE_SOON_SHOWN, `/duban behind ${departmentName(next, ctx.locale)}`)}`,
      ],
    });
  return blocks;
}

/** Departments ranked by a subset of items (targets only, projects only, or everything tracked). */
export function overviewReply(
  title: string,
  subset: 'targets' | 'projects' | 'tracked',
  ctx: CommandContext,
  command: string,
  page: number,
  text = '',
): Reply {
  const m = messages(ctx.locale);
  const rollup = ctx.model.rollupOf(subset, ctx.today);
  const withItems = rollup.departments.filter((r) => r.items.length > 0);
  const p = paginate(withItems, page);
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    asOfContext(ctx),
    { type: 'section', text: md`${countsText(rollup.counts, ctx.locale)}` },
    { type: 'context', elements: [md`${m.list.rankedBy}`] },
    { type: 'divider' },
  ];
  if (withItems.length === 0) blocks.push({ type: 'section', text: md`${m.list.nothingCounted}` });
  for (const r of p.items) blocks.push(departmentSection(r, ctx));
  blocks.push(...pageBlocks(p, command, text, ctx.locale));
  return { text: title, blocks, visibility: 'in_channel' };
}

/** Everything about one item: status and why, figures, milestones, latest reports. */
export function detailReply(s: ItemStatus, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const item = s.item;
  const title = pick(item.name, ctx.locale);
  const owner = ctx.model.department(item.departmentId);
  const fields: Mrkdwn[] = [
    md`*${m.list.statusField}*\n${statusLabel(s.status, ctx.locale)}`,
    md`*${m.list.kindField}*\n${m.kind[s.kind]}`,
  ];
  if (owner) fields.push(md`*${m.list.ownerField}*\n${departmentName(owner, ctx.locale)}`);
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    asOfContext(ctx),
    { type: 'section', text: itemText(s, ctx), fields },
  ];
  const reasons = s.reasons.map((r) => md`• ${reasonText(r, ctx)}`);
  if (reasons.length > 0) blocks.push({ type: 'section', text: joinMd(reasons) });
  if (s.kind !== 'target') blocks.push(deadlineSection(s, ctx));
  // An assigned item (交办): who signed for it (签收), department by department.
  const signs = s.kind === 'commitment' ? signLines(item as Commitment, ctx) : [];
  if (signs.length > 0) blocks.push({ type: 'section', text: joinMd([md`*${m.assign.signTitle}*`, ...signs]) });
  const milestones = 'milestones' in item ? item.milestones : [];
  // 拆分子任务: for an open assigned item, to whoever may split it (or anyone, when who is asking is unknown).
  const split =
    splittable(s) &&
    (!ctx.userId || maySplit(ctx.model.db.departments, ctx.userId, item, !!ctx.isAdmin)) &&
    milestones.length < 30;
  if (milestones.length > 0 || split) {
    const lines = milestones.map((ms) => {
      const done = own(s.progress.milestonesDone, ms.id);
      const mark = done ? '✅' : s.overdue.some((o) => o.id === ms.id) ? '🔴' : '▫️';
      // A sub-task's own department, when it is not the lead.
      const d =
        ms.departmentId && ms.departmentId !== item.departmentId ? ctx.model.department(ms.departmentId) : undefined;
      const whose = d ? m.subtasks.detailDept(departmentName(d, ctx.locale)) : '';
      return md`${mark} ${pick(ms.name, ctx.locale)}${whose} · ${formatDate(done ?? ms.due, ctx.locale, ctx.today)}`;
    });
    const text = joinMd([md`*${m.subtasks.detailTitle}*`, ...lines]);
    blocks.push(
      split
        ? { type: 'section', text, button: { text: m.subtasks.add, actionId: ADD_SUBTASK, value: item.id } }
        : { type: 'section', text },
    );
  }
  const series = s.progress.series;
  const scaleMax =
    s.kind === 'target' && 'target' in item ? Math.max(item.target, 'baseline' in item ? item.baseline : 0) : 100;
  const chart = sparkline(series, scaleMax);
  if (chart) {
    const first = formatDate(series[0]![0], ctx.locale, ctx.today);
    const last = formatDate(series[series.length - 1]![0], ctx.locale, ctx.today);
    const text = md`*${m.list.trend}*　\`${chart}\`　${first} → ${last}`;
    // 趋势图: the picture of this line, sent to whoever asks (src/slack/listeners/charts.ts).
    blocks.push(hasTrend(s) ? { type: 'section', text, button: trendButton(s, ctx) } : { type: 'section', text });
  } else if (hasTrend(s)) blocks.push({ type: 'actions', buttons: [trendButton(s, ctx)] });
  const forecast = forecastSection(s, ctx);
  if (forecast) blocks.push(forecast);
  const recent = recentUpdates(ctx, item, 5);
  if (recent.length > 0) blocks.push({ type: 'section', text: joinMd([md`*${m.list.recentReports}*`, ...recent]) });
  return {
    text: title,
    blocks,
    visibility: 'in_channel',
    about: { departmentId: item.departmentId, itemIds: [item.id] },
  };
}

/** 时限, with the original beside an approved extension, and 申请延期 while the item is open. */
function deadlineSection(s: ItemStatus, ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale).extension;
  const text = md`*${m.deadlineField}*　${deadlineText(s.item, ctx)}`;
  return s.status === 'done' || s.status === 'exempt'
    ? { type: 'section', text }
    : { type: 'section', text, button: { text: m.button, actionId: OPEN_FORM, value: s.item.id } };
}

function recentUpdates(ctx: CommandContext, item: Item, n: number): Mrkdwn[] {
  const recent = ctx.model.progress.get(item.id)?.recent ?? [];
  return recent.slice(0, n).map((u) => {
    const date = formatDate(u.at.slice(0, 10), ctx.locale, ctx.today);
    const figure =
      u.value !== undefined
        ? formatNumber(u.value, ctx.locale)
        : u.percent !== undefined
          ? `${formatNumber(u.percent, ctx.locale)}%`
          : u.state
            ? messages(ctx.locale).state[u.state]
            : '';
    const note = u.note ? ` — ${u.note.slice(0, 200)}` : '';
    const evidence = u.evidence > 0 ? ` 📎${u.evidence}` : '';
    const line = md`${date} · ${reporterName(u.by, ctx.locale)} · ${figure}${note}${evidence}`;
    const summary = machineSummaryLine(u, ctx.locale);
    return summary ? joinMd([line, summary]) : line;
  });
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** The trend over the period as a compact text chart: one mark per report, scaled to the target. */
export function sparkline(points: ReadonlyArray<readonly [string, number]>, max?: number, min = 0): string {
  if (points.length < 2) return '';
  const values = points.map(([, v]) => v);
  const hi = Math.max(max ?? -Infinity, ...values);
  const lo = Math.min(min, ...values);
  const span = hi - lo || 1;
  return values
    .map((v) => SPARKS[Math.min(SPARKS.length - 1, Math.round(((v - lo) / span) * (SPARKS.length - 1)))])
    .join('');
}

/** "Not found" with the nearest departments (or all of them), and an example of the right form. */
export function notFoundReply(query: string, ctx: CommandContext, example: string, extraNames: string[] = []): Reply {
  const m = messages(ctx.locale);
  const departments = ctx.model.db.departments;
  const near = suggestDepartments(departments, query).map((d) => departmentName(d, ctx.locale));
  const names = [...new Set([...near, ...extraNames])].slice(0, 5);
  const extra: Mrkdwn[] = names.length
    ? [md`${m.errors.didYouMean(m.format.list(names))}`]
    : departments.length
      ? [md`${m.errors.knownDepartments(m.format.list(departments.map((d) => departmentName(d, ctx.locale))))}`]
      : [];
  return usageReply(
    m.errors.unknownName(query.length > 60 ? `${query.slice(0, 60)}…` : query),
    example,
    ctx.locale,
    extra,
  );
}

export function ambiguousReply(query: string, departments: Department[], ctx: CommandContext, example: string): Reply {
  const m = messages(ctx.locale);
  return usageReply(
    m.errors.ambiguous(query, m.format.list(departments.map((d) => departmentName(d, ctx.locale)))),
    example,
    ctx.locale,
  );
}

export type DepartmentLookup =
  | { kind: 'one'; department: Department }
  | { kind: 'reply'; reply: Reply }
  | { kind: 'none' };

/** Resolves a query to one department, or to the reply explaining why it could not. */
export function lookupDepartment(
  query: string,
  ctx: CommandContext,
  example: string,
  strict: boolean,
): DepartmentLookup {
  const match = matchDepartment(ctx.model.db.departments, query);
  if (match.kind === 'one') return { kind: 'one', department: match.department };
  if (match.kind === 'many') return { kind: 'reply', reply: ambiguousReply(query, match.departments, ctx, example) };
  return strict ? { kind: 'reply', reply: notFoundReply(query, ctx, example) } : { kind: 'none' };
}

export function ownedBy(statuses: ItemStatus[], departmentId: string): ItemStatus[] {
  return statuses.filter((s) => s.item.departmentId === departmentId || s.item.coDepartmentIds.includes(departmentId));
}
