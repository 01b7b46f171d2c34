/** /duban status [department] | behind | help: scorecards and who is behind. */

import { z } from 'zod';
import { own } from '../src/domain/lookup.ts';
import { countStatuses } from '../src/domain/rollup.ts';
import { dueSoonReason, type ItemStatus, isBehind, isDueSoon } from '../src/domain/status.ts';
import { messages, pick } from '../src/i18n/index.ts';
import { ADMIN_SUBCOMMANDS, type AdminArgs, parseAdmin, runAdmin } from './admin.ts';
import { parseQuery, plainText, QueryArgs } from './args.ts';
import { assignRefusal } from './assign.ts';
import type { CommandContext } from './context.ts';
import {
  EXAMPLE as DOCUMENT_EXAMPLE,
  DOCUMENT_WORDS,
  type DocumentArgs,
  parseDocument,
  runDocument,
} from './documents.ts';
import { EXTEND_SUBCOMMANDS, runExtend } from './extension.ts';
import {
  asOfContext,
  countsText,
  departmentName,
  emptyStoreReply,
  itemSection,
  MAX_QUERY_LENGTH,
  reasonText,
  STATUS_EMOJI,
  usageReply,
} from './format.ts';
import { helpReply } from './help.ts';
import { parseIntakeCommand, runIntakeHere } from './intake.ts';
import { resolveItemRef } from './item-ref.ts';
import { LEADER_WORDS, type LeaderArgs, parseLeader, runLeader } from './leaders.ts';
import { LLM_SUBCOMMANDS, type LlmArgs, parseLlm, runLlm } from './llm-admin.ts';
import { joinMd, md, type Reply, type ReplyBlock } from './reply.ts';
import { runSchedule, SCHEDULE_SUBCOMMANDS } from './schedule.ts';
import { runScore, SCORE_WORDS } from './score.ts';
import { parseSpreadsheetCommand, runSpreadsheet, type SpreadsheetArgs } from './spreadsheet.ts';
import { summaryReply } from './summary.ts';
import { tooLongReply } from './targets.ts';
import { detailReply, listReply, lookupDepartment, overviewReply, ownedBy } from './views.ts';

const ITEM_WORDS = new Set(['item', '事项', '详情']);

const SUBCOMMANDS: Record<string, 'status' | 'behind' | 'help'> = {
  status: 'status',
  状态: 'status',
  记分卡: 'status',
  scorecard: 'status',
  behind: 'behind',
  落后: 'behind',
  谁落后: 'behind',
  lagging: 'behind',
  help: 'help',
  帮助: 'help',
  '?': 'help',
};

export const DubanArgs = z.discriminatedUnion('sub', [
  z.object({ sub: z.literal('help') }),
  z.object({ sub: z.literal('status'), query: QueryArgs }),
  z.object({ sub: z.literal('behind'), query: QueryArgs }),
  z.object({ sub: z.literal('unknown'), word: z.string() }),
  z.object({ sub: z.literal('too_long') }),
  /** `word`: what came after the subcommand when it could not be read (`frob` in `/duban member frob`). */
  z.object({
    sub: z.literal('admin'),
    name: z.enum(ADMIN_SUBCOMMANDS),
    args: z.custom<AdminArgs>().optional(),
    word: z.string().optional(),
  }),
  z.object({ sub: z.literal('schedule'), name: z.enum(SCHEDULE_SUBCOMMANDS), rest: z.string() }),
  z.object({ sub: z.literal('spreadsheet'), args: z.custom<SpreadsheetArgs>() }),
  z.object({ sub: z.literal('summary'), query: z.string() }),
  z.object({ sub: z.literal('llm'), args: z.custom<LlmArgs>() }),
  z.object({ sub: z.literal('assign') }),
  z.object({ sub: z.literal('score'), text: z.string() }),
  z.object({ sub: z.literal('extend'), rest: z.string() }),
  z.object({ sub: z.literal('document'), args: z.custom<DocumentArgs>() }),
  z.object({ sub: z.literal('intake'), text: z.string() }),
  /** One item by its short number (#12), id or name: `/duban #12`, `/duban item 12`, `/duban 事项 #12`. */
  z.object({ sub: z.literal('item'), ref: z.string() }),
  /** `/duban leader add|remove @person`, `/duban leader list`: the leaders (领导) App Home shows the zone to. */
  z.object({ sub: z.literal('leader'), args: z.custom<LeaderArgs>() }),
]);
export type DubanArgs = z.infer<typeof DubanArgs>;

export function parseDuban(raw: string): DubanArgs {
  const text = plainText(raw);
  if (!text) return { sub: 'help' };
  const [first = '', ...rest] = text.split(' ');
  if ((EXTEND_SUBCOMMANDS as readonly string[]).includes(first.toLowerCase())) {
    if (raw.length > MAX_QUERY_LENGTH * 20) return { sub: 'too_long' };
    return { sub: 'extend', rest: text.replace(/^\S+\s*/, '') };
  }
  if ((DOCUMENT_WORDS as readonly string[]).includes(first.toLowerCase()))
    return { sub: 'document', args: parseDocument(rest.join(' ')) };
  const scheduling = SCHEDULE_SUBCOMMANDS.find((a) => a === first.toLowerCase());
  if (scheduling) {
    if (raw.length > MAX_QUERY_LENGTH * 4) return { sub: 'too_long' };
    return { sub: 'schedule', name: scheduling, rest: raw.trim().replace(/^\S+\s*/, '') };
  }
  if ((LEADER_WORDS as readonly string[]).includes(first.toLowerCase())) {
    if (raw.length > MAX_QUERY_LENGTH * 4) return { sub: 'too_long' };
    return { sub: 'leader', args: parseLeader(raw.trim().replace(/^\S+\s*/, '')) };
  }
  const admin = ADMIN_SUBCOMMANDS.find((a) => a === first.toLowerCase());
  if (admin) {
    if (raw.length > MAX_QUERY_LENGTH * 4) return { sub: 'too_long' };
    // Mentions and channels are read from Slack's raw markup (<@U…>, <#C…>), not the plain text.
    const rawRest = raw.trim().replace(/^\S+\s*/, '');
    const args = parseAdmin(admin, rawRest);
    const word = rest[0]?.slice(0, 40);
    return { sub: 'admin', name: admin, ...(args ? { args } : word ? { word } : {}) };
  }
  const llm = own(LLM_SUBCOMMANDS, first.toLowerCase());
  if (llm) {
    if (text.length > MAX_QUERY_LENGTH) return { sub: 'too_long' };
    return llm === 'summary'
      ? { sub: 'summary', query: rest.join(' ').trim() }
      : { sub: 'llm', args: parseLlm(rest.join(' ')) };
  }
  if (/^(assign|交办)$/i.test(first)) return { sub: 'assign' };
  if ((SCORE_WORDS as readonly string[]).includes(first.toLowerCase())) {
    if (text.length > MAX_QUERY_LENGTH) return { sub: 'too_long' };
    return { sub: 'score', text: rest.join(' ') };
  }
  const intake = parseIntakeCommand(raw);
  if (intake) return { sub: 'intake', text: intake.text };
  if (/^[#＃]\d/.test(first) || ITEM_WORDS.has(first.toLowerCase())) {
    if (text.length > MAX_QUERY_LENGTH) return { sub: 'too_long' };
    return { sub: 'item', ref: ITEM_WORDS.has(first.toLowerCase()) ? rest.join(' ') : text };
  }
  const sheet = parseSpreadsheetCommand(raw);
  if (sheet) return { sub: 'spreadsheet', args: sheet };
  const sub = own(SUBCOMMANDS, first.toLowerCase());
  if (!sub) return { sub: 'unknown', word: first.slice(0, 40) };
  if (sub === 'help') return { sub };
  const parsed = parseQuery(rest.join(' '));
  if (!parsed.ok) return { sub: 'too_long' };
  return DubanArgs.parse({ sub, query: parsed.args });
}

export const duban = {
  name: '/duban',
  parse: (raw: string) => ({ ok: true as const, args: parseDuban(raw) }),
  run(args: DubanArgs, ctx: CommandContext): Reply | Promise<Reply> {
    const m = messages(ctx.locale);
    switch (args.sub) {
      case 'help':
        return helpReply('all', ctx.locale);
      case 'too_long':
        return tooLongReply(ctx, m.examples.status);
      case 'unknown':
        return usageReply(m.errors.unknownSubcommand(args.word), m.examples.status, ctx.locale);
      case 'status':
        if (args.query.help) return helpReply('duban', ctx.locale);
        return statusReply(args.query.query, args.query.page, ctx);
      case 'behind':
        if (args.query.help) return helpReply('duban', ctx.locale);
        return behindReply(args.query.query, args.query.page, ctx);
      case 'schedule':
        return runSchedule(args.name, args.rest, ctx);
      case 'admin':
        if (args.args) return runAdmin(args.args, ctx);
        return usageReply(m.errors.unknownSubcommand(args.word ?? args.name), m.examples.admin[args.name], ctx.locale);
      case 'spreadsheet':
        // /duban export becomes a send_export effect in runCommand (commands/index.ts) before this runs.
        return runSpreadsheet(args.args, ctx);
      case 'summary':
        return summaryReply(args.query, ctx);
      case 'llm':
        return runLlm(args.args, ctx);
      case 'assign':
        // In Slack the form opens (commands/index.ts); where there are no forms, say where to assign.
        return assignRefusal(ctx) ?? usageReply(m.assign.consoleNoForm, '/duban assign', ctx.locale);
      case 'score':
        return runScore(args.text, ctx);
      case 'extend':
        return runExtend(args.rest, ctx).then((r) => r.reply);
      case 'document':
        // The preview and the form are effects of runCommand (commands/index.ts); here only the answer.
        return runDocument(args.args, ctx).reply ?? usageReply(m.documents.usage, DOCUMENT_EXAMPLE, ctx.locale);
      case 'item':
        return itemReply(args.ref, ctx);
      case 'leader':
        return runLeader(args.args, ctx);
      case 'intake':
        // In Slack the intake listener (src/slack/listeners/intake.ts) answers with the form first.
        return runIntakeHere(args.text, ctx);
    }
  },
};

export function statusReply(query: string, page: number, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const { db } = ctx.model;
  if (db.departments.length === 0) return emptyStoreReply(ctx.locale);
  if (!query)
    return overviewReply(
      m.duban.zoneStatusTitle(pick(db.meta.zone, ctx.locale)),
      'tracked',
      ctx,
      '/duban',
      page,
      'status',
    );
  const found = lookupDepartment(query, ctx, m.examples.status, true);
  if (found.kind !== 'one')
    return found.kind === 'reply'
      ? found.reply
      : usageReply(m.errors.unknownName(query), m.examples.status, ctx.locale);
  return scorecardReply(found.department.id, ctx);
}

/** One department's scorecard: rank, counts by kind, what most needs attention, and its commitments. */
export function scorecardReply(departmentId: string, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const evaluation = ctx.model.evaluate(ctx.today);
  const rollup = ctx.model.rollup(ctx.today);
  const r = rollup.departments.find((d) => d.department.id === departmentId)!;
  const name = departmentName(r.department, ctx.locale);
  const title = m.duban.statusTitle(name);
  // The fields split the counts above by kind, so they add up to them.
  const kinds: Array<[string, typeof evaluation.targets]> = [
    [m.duban.targets, r.items.filter((s) => s.kind === 'target')],
    [m.duban.projects, r.items.filter((s) => s.kind === 'project')],
    [m.duban.commitments, r.items.filter((s) => s.kind === 'commitment')],
  ];
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    asOfContext(ctx),
    {
      type: 'section',
      text: md`*${m.list.rank(r.rank)}*${r.rank === undefined ? '' : ` / ${rollup.departments.filter((d) => d.rank !== undefined).length}`}　${countsText(r.counts, ctx.locale)}`,
      fields: kinds
        .filter(([, l]) => l.length > 0)
        .map(([label, l]) => md`*${label}*\n${countsText(countStatuses(l), ctx.locale)}`),
    },
  ];
  const behind = r.items.filter(isBehind);
  if (behind.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'section', text: md`*${m.home.behind}*` });
    for (const s of behind.slice(0, 5)) blocks.push(itemSection(s, ctx, { department: departmentId }));
    if (behind.length > 5) {
      // The way on: the department's whole list of items behind, page by page.
      const more = {
        type: 'actions' as const,
        buttons: [
          {
            text: m.duban.allBehind(behind.length),
            actionId: 'duban.page.all',
            value: JSON.stringify({ c: '/duban', t: `behind ${name}`.slice(0, MAX_QUERY_LENGTH), p: 1, l: ctx.locale }),
          },
        ],
      };
      blocks.push({ type: 'context', elements: [md`${m.list.behindMore(behind.length - 5)}`] }, more);
    }
  }
  const dueSoon = r.items.filter(isDueSoon);
  if (dueSoon.length > 0) {
    const lines = dueSoon
      .slice(0, 5)
      .map((s) => joinMd([md`⏰ ${pick(s.item.name, ctx.locale)} — `, reasonText(dueSoonReason(s)!, ctx)], ''));
    if (dueSoon.length > 5) lines.push(md`${m.list.moreByDepartment(dueSoon.length - 5, `/duban behind ${name}`)}`);
    blocks.push({ type: 'divider' }, { type: 'section', text: joinMd([md`*${m.list.dueSoonTitle}*`, ...lines]) });
  }
  const commitments = evaluation.commitments.filter((s) => s.item.departmentId === departmentId);
  if (commitments.length > 0) blocks.push({ type: 'divider' }, commitmentsSection(commitments, r.items, ctx));
  return {
    text: title,
    blocks,
    visibility: 'in_channel',
    about: { departmentId, itemIds: behind.map((s) => s.item.id) },
  };
}

/**
 * A department's commitments, each with the status of its own obligations (as counted above) and,
 * apart, how the items it links stand: those count for their own lead departments, so the counts above
 * and the marks here tell one story.
 */
function commitmentsSection(commitments: ItemStatus[], counted: ItemStatus[], ctx: CommandContext): ReplyBlock {
  const m = messages(ctx.locale);
  const own = new Map(counted.map((s) => [s.item.id, s]));
  const { byId } = ctx.model.evaluate(ctx.today);
  let linkedAny = false;
  const lines = commitments.slice(0, 15).map((s) => {
    const mine = own.get(s.item.id);
    const linked = 'targetIds' in s.item ? [...s.item.targetIds, ...s.item.projectIds] : [];
    const statuses = linked.map((id) => byId.get(id)).filter((x): x is ItemStatus => x !== undefined);
    // A commitment counted here shows its own status; one that only links items (counted where they are led) shows none.
    const parts = [`${mine ? STATUS_EMOJI[mine.status] : '▫️'} ${pick(s.item.name, ctx.locale)}`];
    if (statuses.length > 0) {
      linkedAny = true;
      parts.push(m.duban.linkedSummary(countsText(countStatuses(statuses), ctx.locale)));
    }
    return md`${parts.join(' · ')}`;
  });
  const text = joinMd([md`*${m.duban.commitments}*`, ...lines]);
  return linkedAny
    ? { type: 'section', text: joinMd([text, md`_${m.duban.ownObligations}_`]) }
    : { type: 'section', text };
}

/** Items behind, worst first, zone-wide or for one department; then, apart, the items only due soon. */
export function behindReply(query: string, page: number, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  if (ctx.model.db.departments.length === 0) return emptyStoreReply(ctx.locale);
  const evaluation = ctx.model.evaluate(ctx.today);
  const rollup = ctx.model.rollup(ctx.today);
  const dueSoon = evaluation.tracked.filter(isDueSoon);
  if (!query) {
    return listReply(
      {
        title: m.duban.behindTitle,
        statuses: rollup.behind,
        command: '/duban',
        text: 'behind',
        page,
        showOwner: true,
        emptyText: m.duban.nobodyBehind,
        behind: { dueSoon },
      },
      ctx,
    );
  }
  const found = lookupDepartment(query, ctx, m.examples.behind, true);
  if (found.kind !== 'one')
    return found.kind === 'reply'
      ? found.reply
      : usageReply(m.errors.unknownName(query), m.examples.behind, ctx.locale);
  const id = found.department.id;
  const name = departmentName(found.department, ctx.locale);
  const statuses = ownedBy(rollup.behind, id);
  return listReply(
    {
      title: m.duban.behindDeptTitle(name),
      statuses,
      command: '/duban',
      text: `behind ${query}`,
      page,
      showOwner: false,
      department: id,
      emptyText: m.duban.deptNobodyBehind(name),
      behind: { dueSoon: ownedBy(dueSoon, id) },
      about: { departmentId: id, itemIds: statuses.slice(0, 100).map((s) => s.item.id) },
    },
    ctx,
  );
}

/** One item's detail, whatever its kind; several matches are listed, none gets a polite answer with an example. */
function itemReply(ref: string, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const parsed = parseQuery(ref);
  const query = parsed.ok ? parsed.args.query : ref.trim();
  if (!query) return usageReply(m.item.usage, m.examples.item, ctx.locale);
  const found = resolveItemRef(query, ctx.model);
  const evaluation = ctx.model.evaluate(ctx.today);
  switch (found.kind) {
    case 'one':
      return detailReply(evaluation.byId.get(found.item.id)!, ctx);
    case 'many':
      return listReply(
        {
          command: '/duban',
          text: `item ${query}`,
          page: parsed.ok ? parsed.args.page : 1,
          title: m.list.searchTitle(query),
          statuses: found.items.map((i) => evaluation.byId.get(i.id)!),
          showOwner: true,
          emptyText: m.item.none(query),
        },
        ctx,
      );
    case 'unknown_number':
      return usageReply(m.item.unknownNumber(found.text), m.examples.item, ctx.locale);
    case 'none':
      return usageReply(m.item.none(found.text), m.examples.item, ctx.locale);
  }
}
