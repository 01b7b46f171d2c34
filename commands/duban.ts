/** /duban status [department] | behind | help: scorecards and who is behind. */
import { own } from '../src/domain/lookup.ts';
import { z } from 'zod';
import { countStatuses } from '../src/domain/rollup.ts';
import { isBehind } from '../src/domain/status.ts';
import { messages, pick } from '../src/i18n/index.ts';
import { parseQuery, plainText, QueryArgs } from './args.ts';
import type { CommandContext } from './context.ts';
import { runSchedule, SCHEDULE_SUBCOMMANDS } from './schedule.ts';
import { ADMIN_SUBCOMMANDS, EXAMPLES as ADMIN_EXAMPLES, parseAdmin, runAdmin, type AdminArgs } from './admin.ts';
import { asOfContext, countsText, departmentName, emptyStoreReply, itemSection, MAX_QUERY_LENGTH, STATUS_EMOJI, usageReply } from './format.ts';
import { helpReply } from './help.ts';
import { joinMd, md, type Reply, type ReplyBlock } from './reply.ts';
import { tooLongReply } from './targets.ts';
import { listReply, lookupDepartment, overviewReply } from './views.ts';
import { parseSpreadsheetCommand, runSpreadsheet, type SpreadsheetArgs } from './spreadsheet.ts';
import { LLM_SUBCOMMANDS, parseLlm, runLlm, type LlmArgs } from './llm-admin.ts';
import { summaryReply } from './summary.ts';

export const EXAMPLE = '/duban status 住建局';

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
  z.object({ sub: z.literal('admin'), name: z.enum(ADMIN_SUBCOMMANDS), args: z.custom<AdminArgs>().optional() }),
  z.object({ sub: z.literal('schedule'), name: z.enum(SCHEDULE_SUBCOMMANDS), rest: z.string() }),
  z.object({ sub: z.literal('spreadsheet'), args: z.custom<SpreadsheetArgs>() }),
  z.object({ sub: z.literal('summary'), query: z.string() }),
  z.object({ sub: z.literal('llm'), args: z.custom<LlmArgs>() }),
]);
export type DubanArgs = z.infer<typeof DubanArgs>;

export function parseDuban(raw: string): DubanArgs {
  const text = plainText(raw);
  if (!text) return { sub: 'help' };
  const [first = '', ...rest] = text.split(' ');
  const scheduling = SCHEDULE_SUBCOMMANDS.find((a) => a === first.toLowerCase());
  if (scheduling) {
    if (raw.length > MAX_QUERY_LENGTH * 4) return { sub: 'too_long' };
    return { sub: 'schedule', name: scheduling, rest: raw.trim().replace(/^\S+\s*/, '') };
  }
  const admin = ADMIN_SUBCOMMANDS.find((a) => a === first.toLowerCase());
  if (admin) {
    if (raw.length > MAX_QUERY_LENGTH * 4) return { sub: 'too_long' };
    // Mentions and channels are read from Slack's raw markup (<@U…>, <#C…>), not the plain text.
    const rawRest = raw.trim().replace(/^\S+\s*/, '');
    const args = parseAdmin(admin, rawRest);
    return { sub: 'admin', name: admin, ...(args ? { args } : {}) };
  }
  const llm = own(LLM_SUBCOMMANDS, first.toLowerCase());
  if (llm) {
    if (text.length > MAX_QUERY_LENGTH) return { sub: 'too_long' };
    return llm === 'summary' ? { sub: 'summary', query: rest.join(' ').trim() } : { sub: 'llm', args: parseLlm(rest.join(' ')) };
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
        return tooLongReply(ctx, EXAMPLE);
      case 'unknown':
        return usageReply(m.errors.unknownSubcommand(args.word), EXAMPLE, ctx.locale);
      case 'status':
        if (args.query.help) return helpReply('duban', ctx.locale);
        return statusReply(args.query.query, args.query.page, ctx);
      case 'behind':
        if (args.query.help) return helpReply('duban', ctx.locale);
        return behindReply(args.query.page, ctx);
      case 'schedule':
        return runSchedule(args.name, args.rest, ctx);
      case 'admin':
        return args.args ? runAdmin(args.args, ctx) : usageReply(m.errors.unknownSubcommand(args.name), ADMIN_EXAMPLES[args.name], ctx.locale);
      case 'spreadsheet':
        // In Slack, /duban export is answered by src/slack/listeners/files.ts before this runs: it sends files.
        return runSpreadsheet(args.args, ctx);
      case 'summary':
        return summaryReply(args.query, ctx);
      case 'llm':
        return runLlm(args.args, ctx);
    }
  },
};

export function statusReply(query: string, page: number, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  const { db } = ctx.model;
  if (db.departments.length === 0) return emptyStoreReply(ctx.locale);
  if (!query) return overviewReply(m.duban.zoneStatusTitle(pick(db.meta.zone, ctx.locale)), 'tracked', ctx, '/duban', page, 'status');
  const found = lookupDepartment(query, ctx, EXAMPLE, true);
  if (found.kind !== 'one') return found.kind === 'reply' ? found.reply : usageReply(m.errors.unknownName(query), EXAMPLE, ctx.locale);
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
  const mine = (list: typeof evaluation.targets) => list.filter((s) => s.item.departmentId === departmentId);
  const kinds: Array<[string, typeof evaluation.targets]> = [
    [m.duban.targets, mine(evaluation.targets)],
    [m.duban.projects, mine(evaluation.projects)],
  ];
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    asOfContext(ctx),
    {
      type: 'section',
      text: md`*${m.list.rank(r.rank)}* / ${rollup.departments.length}　${countsText(r.counts, ctx.locale)}`,
      fields: kinds.filter(([, l]) => l.length > 0).map(([label, l]) => md`*${label}*\n${countsText(countStatuses(l), ctx.locale)}`),
    },
  ];
  const behind = r.items.filter(isBehind);
  if (behind.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'section', text: md`*${m.home.behind}*` });
    for (const s of behind.slice(0, 5)) blocks.push(itemSection(s, ctx));
    if (behind.length > 5) blocks.push({ type: 'context', elements: [md`${m.list.omitted(behind.length - 5)}`] });
  }
  const commitments = evaluation.commitments.filter((s) => s.item.departmentId === departmentId);
  if (commitments.length > 0) {
    blocks.push({ type: 'divider' }, {
      type: 'section',
      text: joinMd([md`*${m.duban.commitments}*`, ...commitments.slice(0, 15).map((s) => md`${STATUS_EMOJI[s.status]} ${pick(s.item.name, ctx.locale)}`)]),
    });
  }
  return { text: title, blocks, visibility: 'in_channel', about: { departmentId, itemIds: behind.map((s) => s.item.id) } };
}

export function behindReply(page: number, ctx: CommandContext): Reply {
  const m = messages(ctx.locale);
  if (ctx.model.db.departments.length === 0) return emptyStoreReply(ctx.locale);
  const rollup = ctx.model.rollup(ctx.today);
  return listReply(
    { title: m.duban.behindTitle, statuses: rollup.behind, command: '/duban', text: 'behind', page, showOwner: true, emptyText: m.duban.nobodyBehind },
    ctx,
  );
}
