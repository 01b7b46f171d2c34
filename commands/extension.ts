/**
 * 延期申请: `/duban extend #12 2026-09-30 理由`, or the detail view's button and its form. The lead
 * department asks before the deadline; the supervision office approves or refuses (with a reason).
 * Both steps are journal events; the original date is always kept and shown beside the new one.
 */
import { isCalendarDate } from '../src/domain/dates.ts';
import {
  approvedExtensions,
  type ExtensionProblem,
  type ExtensionRequest,
  extensionProblem,
  findExtension,
} from '../src/domain/extension.ts';
import type { Item } from '../src/domain/schema.ts';
import { effectiveDeadline } from '../src/domain/status.ts';
import { formatDate, messages, pick } from '../src/i18n/index.ts';
import { deadlineWords } from '../src/words/status.ts';
import { type CommandContext, canWrite, type WriteContext } from './context.ts';
import type { Effect } from './effects.ts';
import { departmentName, usageReply } from './format.ts';
import { joinMd, type Mrkdwn, md, type Reply, trusted } from './reply.ts';
import { resolveItem } from './reporting/index.ts';

export const EXAMPLE = '/duban extend #12 2026-09-30 征迁协调未完成，主体工程顺延';
export const EXTEND_SUBCOMMANDS = ['extend', '延期', '申请延期'] as const;

export const OPEN_FORM = 'duban.extension.open';
export const FORM = 'duban.extension.form';
export const APPROVE = 'duban.extension.approve';
export const REFUSE = 'duban.extension.refuse';
export const REFUSE_FORM = 'duban.extension.refuse';

/** 2026-09-30, 2026/9/30, 2026.9.30 or 2026年9月30日 as YYYY-MM-DD; undefined when it is no date. */
export function readDate(text: string): string | undefined {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : undefined;
}

export type ExtendArgs =
  | { kind: 'ok'; item: string; to: string; reason: string }
  | { kind: 'usage'; problem: 'item' | 'date' | 'reason'; word?: string };

/** `#12 2026-09-30 理由…`: the item, the new date, and the reason (the rest). */
export function parseExtend(rest: string): ExtendArgs {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const [item, date, ...reason] = words;
  if (!item) return { kind: 'usage', problem: 'item' };
  if (!date) return { kind: 'usage', problem: 'date' };
  const to = readDate(date);
  if (!to) return { kind: 'usage', problem: 'date', word: date.slice(0, 40) };
  const why = reason.join(' ').trim();
  if (!why) return { kind: 'usage', problem: 'reason' };
  return { kind: 'ok', item, to, reason: why.slice(0, 1000) };
}

/** The item's deadline in words, with the original kept beside an extension: "6月30日（已批准延期至 9月30日）". */
export function deadlineText(item: Item, ctx: CommandContext): string {
  const extended = approvedExtensions(ctx.model.db.extensions);
  return deadlineWords(
    { deadline: effectiveDeadline(item, extended), original: item.period.end },
    ctx.locale,
    ctx.today,
  );
}

export type RequestOutcome =
  | { kind: 'requested'; itemId: string; request: ExtensionRequest; reply: Reply }
  | { kind: 'refused'; reply: Reply; field: 'item' | 'date' | 'reason' };

function problemText(problem: ExtensionProblem, item: Item, ctx: CommandContext): string {
  const m = messages(ctx.locale).extension;
  const name = pick(item.name, ctx.locale);
  const date = (d: string) => formatDate(d, ctx.locale, ctx.today);
  switch (problem.code) {
    case 'not_lead_department': {
      const dept = ctx.model.department(item.departmentId);
      return m.notLead(name, dept ? departmentName(dept, ctx.locale) : item.departmentId);
    }
    case 'done':
      return m.done(name);
    case 'pending':
      return m.pending(name, date(problem.request.to));
    case 'past_deadline':
      return m.pastDeadline(name, date(problem.deadline));
    case 'not_later':
      return m.notLater(date(problem.deadline));
    case 'too_late_in_year':
      return m.tooFar(date(problem.latest));
  }
}

/** Records a request, once, if the rules allow it; the reply says what was recorded. */
export async function requestExtension(
  itemId: string,
  to: string,
  reason: string,
  ctx: WriteContext,
): Promise<RequestOutcome> {
  const { result } = await ctx.store.transact((tx) => {
    const state = tx.state;
    const target = state.targets.find((i) => i.id === itemId);
    // A target is judged by its pace against the year's plan: it has no deadline to move.
    if (target) return { kind: 'target' as const, item: target };
    const item = [...state.projects, ...state.commitments].find((i) => i.id === itemId);
    if (!item) return { kind: 'no_item' as const };
    const owner = state.departments.find((d) => d.id === item.departmentId);
    const deadline = effectiveDeadline(item, approvedExtensions(state.extensions));
    const status = ctx.model.evaluate(ctx.today).byId.get(itemId)?.status;
    const problem = extensionProblem({
      item,
      deadline,
      to,
      today: ctx.today,
      done: status === 'done' || status === 'exempt',
      inLeadDepartment: !!owner && (owner.memberIds.includes(ctx.userId) || owner.leadIds.includes(ctx.userId)),
      isAdmin: ctx.isAdmin,
      extensions: state.extensions,
    });
    if (problem) return { kind: 'problem' as const, problem, item };
    const at = ctx.now.toISOString();
    const request: ExtensionRequest = {
      id: `ext-${state.journal.lastSeq + 1}`,
      requestedBy: ctx.userId,
      requestedAt: at,
      from: deadline,
      to,
      reason,
      status: 'pending',
    };
    tx.append({ type: 'extension.request', at, by: ctx.userId, itemId, request });
    return { kind: 'ok' as const, request, item };
  });
  const m = messages(ctx.locale).extension;
  if (result.kind === 'no_item')
    return {
      kind: 'refused',
      field: 'item',
      reply: usageReply(messages(ctx.locale).progress.noSuchItem(itemId), EXAMPLE, ctx.locale),
    };
  if (result.kind === 'target')
    return {
      kind: 'refused',
      field: 'item',
      reply: usageReply(m.notForTargets(pick(result.item.name, ctx.locale)), EXAMPLE, ctx.locale),
    };
  if (result.kind === 'problem') {
    const field = result.problem.code === 'not_later' || result.problem.code === 'too_late_in_year' ? 'date' : 'item';
    return {
      kind: 'refused',
      field,
      reply: usageReply(problemText(result.problem, result.item, ctx), EXAMPLE, ctx.locale),
    };
  }
  const text = m.requested(pick(result.item.name, ctx.locale), formatDate(to, ctx.locale, ctx.today));
  return {
    kind: 'requested',
    itemId,
    request: result.request,
    reply: { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'ephemeral' },
  };
}

/** `/duban extend …`: the reply, and the request posted to the office as an effect. */
export async function runExtend(rest: string, ctx: CommandContext): Promise<{ reply: Reply; effects: Effect[] }> {
  const m = messages(ctx.locale);
  const args = parseExtend(rest);
  if (args.kind === 'usage') {
    const problem =
      args.problem === 'item'
        ? m.extension.usage
        : args.problem === 'reason'
          ? m.extension.missingReason
          : args.word
            ? m.extension.badDate(args.word)
            : m.extension.missingDate;
    return { reply: usageReply(problem, EXAMPLE, ctx.locale), effects: [] };
  }
  if (!canWrite(ctx)) return { reply: usageReply(m.admin.readOnly, EXAMPLE, ctx.locale), effects: [] };
  const found = resolveItem(ctx.model, args.item);
  if (found.kind !== 'one')
    return { reply: usageReply(m.progress.noSuchItem(args.item.slice(0, 60)), EXAMPLE, ctx.locale), effects: [] };
  const outcome = await requestExtension(found.item.id, args.to, args.reason, ctx);
  return outcome.kind === 'requested'
    ? { reply: outcome.reply, effects: [{ type: 'request_extension', requestId: outcome.request.id }] }
    : { reply: outcome.reply, effects: [] };
}

function itemOf(ctx: CommandContext, itemId: string): Item | undefined {
  return ctx.model.item(itemId)?.item;
}

/** The request the supervision office sees, with 批准 / 不批准 buttons. */
export function extensionRequestReply(itemId: string, request: ExtensionRequest, ctx: CommandContext): Reply {
  const m = messages(ctx.locale).extension;
  const item = itemOf(ctx, itemId);
  const name = item ? pick(item.name, ctx.locale) : itemId;
  const dept = item ? ctx.model.department(item.departmentId) : undefined;
  const date = (d: string) => formatDate(d, ctx.locale, ctx.today);
  const line = m.request(dept ? departmentName(dept, ctx.locale) : '', name, date(request.from), date(request.to));
  const n = ctx.model.numberOf(itemId);
  const lines: Mrkdwn[] = [
    md`*${m.requestTitle}*${n ? `（#${n}）` : ''}`,
    // The requester id was validated as a Slack user id when recorded.
    trusted(`${md`${line}`.mrkdwn} <@${request.requestedBy}>`),
    md`> ${m.reasonLine(request.reason.slice(0, 1000))}`,
  ];
  if (item && request.from !== item.period.end) lines.push(md`${m.deadlineField}：${deadlineText(item, ctx)}`);
  return {
    text: line,
    blocks: [
      { type: 'section', text: joinMd(lines) },
      {
        type: 'actions',
        buttons: [
          { text: m.approve, actionId: APPROVE, value: request.id, style: 'primary' },
          { text: m.refuse, actionId: REFUSE, value: request.id, style: 'danger' },
        ],
      },
    ],
    // No `about`: replies in the request's thread are the office's talk, not progress reports.
    visibility: 'in_channel',
  };
}

export type ExtensionDecision =
  | { kind: 'not_admin' }
  | { kind: 'gone' }
  | { kind: 'decided'; itemId: string; request: ExtensionRequest; decidedReply: Reply; requesterReply: Reply };

/** Records an admin's decision once; a second click finds it decided. */
export async function decideExtension(
  requestId: string,
  decision: 'approved' | 'refused',
  reason: string | undefined,
  ctx: WriteContext,
): Promise<ExtensionDecision> {
  if (!ctx.isAdmin) return { kind: 'not_admin' };
  const { result, model } = await ctx.store.transact((tx) => {
    const found = findExtension(tx.state.extensions, requestId);
    if (found?.request.status !== 'pending') return { kind: 'gone' as const };
    tx.append({
      type: 'extension.decide',
      at: ctx.now.toISOString(),
      by: ctx.userId,
      itemId: found.itemId,
      requestId,
      decision,
      ...(reason ? { reason: reason.slice(0, 1000) } : {}),
    });
    return { kind: 'ok' as const, itemId: found.itemId, request: found.request };
  });
  if (result.kind === 'gone') return result;
  const after = { ...ctx, model };
  const m = messages(ctx.locale).extension;
  const item = itemOf(after, result.itemId);
  const name = item ? pick(item.name, ctx.locale) : result.itemId;
  const date = (d: string) => formatDate(d, ctx.locale, ctx.today);
  const line = decision === 'approved' ? m.approvedBy(name, date(result.request.to)) : m.refusedBy(name, reason ?? '');
  const decidedReply: Reply = {
    text: line,
    blocks: [
      {
        type: 'section',
        text: trusted(`${md`${decision === 'approved' ? '✅' : '↩️'} ${line}`.mrkdwn} <@${ctx.userId}>`),
      },
    ],
    visibility: 'in_channel',
  };
  return {
    kind: 'decided',
    itemId: result.itemId,
    request: result.request,
    decidedReply,
    requesterReply: requesterReply(result.itemId, result.request, decision, reason, after),
  };
}

/** What the requester is told, in their language (`ctx.locale`). */
export function requesterReply(
  itemId: string,
  request: ExtensionRequest,
  decision: 'approved' | 'refused',
  reason: string | undefined,
  ctx: CommandContext,
): Reply {
  const m = messages(ctx.locale).extension;
  const item = itemOf(ctx, itemId);
  const name = item ? pick(item.name, ctx.locale) : itemId;
  const date = (d: string) => formatDate(d, ctx.locale, ctx.today);
  const line =
    decision === 'approved'
      ? m.approvedNotice(name, date(item?.period.end ?? request.from), date(request.to))
      : m.refusedNotice(name, reason ?? '', item ? deadlineText(item, ctx) : date(request.from));
  return {
    text: line,
    blocks: [{ type: 'section', text: md`${line}` }],
    visibility: 'in_channel',
  };
}
