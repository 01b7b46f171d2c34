/** Every slash command duban answers, and the one entry point the Slack edge and the console call. */
import { z } from 'zod';
import { plainText } from './args.ts';
import { canWrite, type CommandContext } from './context.ts';
import { duban } from './duban.ts';
import { MAX_QUERY_LENGTH, usageReply } from './format.ts';
import { helpReply } from './help.ts';
import { EXAMPLE as PROGRESS_EXAMPLE, interpretAndLog, resolveItem, askChoice, type LogResult, type ReportOutcome } from './progress.ts';
import { projects } from './projects.ts';
import type { Reply } from './reply.ts';
import { targets, tooLongReply } from './targets.ts';
import { LOCALES, messages, type Locale } from '../src/i18n/index.ts';
import { searchReply } from './mention.ts';
import { resolveExport, type ExportRequest } from './spreadsheet.ts';

export { runMention } from './mention.ts';
export type { CommandContext } from './context.ts';
export type { Reply } from './reply.ts';

export const SLASH_COMMANDS = ['/targets', '/projects', '/duban', '/progress'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

export function isSlashCommand(name: string): name is SlashCommand {
  return (SLASH_COMMANDS as readonly string[]).includes(name);
}

/** What the edge must do besides showing the reply. */
export type Effect =
  | { type: 'open_form'; itemId?: string }
  | { type: 'request_review'; reviewId: string; note?: string }
  /** A note was logged with the model on: it may propose figures read from it, counted only once clicked. */
  | { type: 'propose_figures'; logged: Extract<LogResult, { kind: 'logged' }> }
  /** /duban export: build the ledger or the bulletin and send the files to the asker alone. */
  | { type: 'send_export'; request: Exclude<ExportRequest, { kind: 'reply' }> };
export type CommandResult = { reply?: Reply; effects: Effect[] };

/** The effects of a logged update: a claim of done goes to review. */
export function effectsOf(outcome: ReportOutcome): Effect[] {
  if (outcome.kind !== 'logged' || !outcome.result.reviewId) return [];
  return [{ type: 'request_review', reviewId: outcome.result.reviewId, ...(outcome.result.update.note ? { note: outcome.result.update.note } : {}) }];
}

/** The model's chance to read figures from a logged note, where a model is configured. */
export function proposalOf(outcome: ReportOutcome, ctx: CommandContext): Effect[] {
  return outcome.kind === 'logged' && ctx.assistant ? [{ type: 'propose_figures', logged: outcome.result }] : [];
}

export function replyOf(outcome: ReportOutcome): Reply | undefined {
  return outcome.kind === 'logged' || outcome.kind === 'asked' || outcome.kind === 'refused' ? outcome.reply : undefined;
}

/** /progress <item> <value|percent|status> [note]; /progress alone opens the form. */
async function runProgress(raw: string, ctx: CommandContext): Promise<CommandResult> {
  const m = messages(ctx.locale).progress;
  if (raw.length > MAX_QUERY_LENGTH * 20) return { reply: tooLongReply(ctx, PROGRESS_EXAMPLE), effects: [] };
  const text = plainText(raw);
  if (/^(help|帮助|\?|？)$/i.test(text)) return { reply: helpReply('progress', ctx.locale), effects: [] };
  if (!text) return { effects: [{ type: 'open_form' }] };
  if (!canWrite(ctx)) return { reply: usageReply(messages(ctx.locale).admin.readOnly, PROGRESS_EXAMPLE, ctx.locale), effects: [] };
  const [first = '', ...rest] = text.split(' ');
  const found = resolveItem(ctx.model, first);
  if (found.kind === 'none') return { reply: usageReply(m.noSuchItem(first.slice(0, 60)), PROGRESS_EXAMPLE, ctx.locale), effects: [] };
  const note = rest.join(' ');
  if (found.kind === 'many') {
    const reply = await askChoice({ userId: ctx.userId, text: note, itemIds: found.items.slice(0, 10).map((i) => i.id), options: [], evidence: [], source: 'command' }, m.whichItem, ctx);
    return { reply: { ...reply, visibility: 'ephemeral' }, effects: [] };
  }
  if (!note) return { effects: [{ type: 'open_form', itemId: found.item.id }] };
  const outcome = await interpretAndLog(found.item, note, { evidence: [], source: 'command' }, ctx);
  const reply = replyOf(outcome);
  return { ...(reply ? { reply: outcome.kind === 'asked' ? { ...reply, visibility: 'ephemeral' } : reply } : {}), effects: [...effectsOf(outcome), ...proposalOf(outcome, ctx)] };
}

/** Runs a slash command as a user typed it. Never throws for bad input: mistakes become usage replies. */
export async function runCommand(command: SlashCommand, text: string, ctx: CommandContext): Promise<CommandResult> {
  switch (command) {
    case '/targets': {
      const parsed = targets.parse(text);
      return { reply: parsed.ok ? targets.run(parsed.args, ctx) : tooLongReply(ctx, '/targets 住建局'), effects: [] };
    }
    case '/projects': {
      const parsed = projects.parse(text);
      return { reply: parsed.ok ? projects.run(parsed.args, ctx) : tooLongReply(ctx, '/projects 城市更新'), effects: [] };
    }
    case '/duban': {
      const args = duban.parse(text).args;
      if (args.sub === 'spreadsheet' && args.args.sub === 'export') {
        // Files are built and sent by the edge; a mistake (unknown department, empty store) is answered here.
        const request = resolveExport(args.args, ctx);
        return request.kind === 'reply' ? { reply: request.reply, effects: [] } : { effects: [{ type: 'send_export', request }] };
      }
      return { reply: await duban.run(args, ctx), effects: [] };
    }
    case '/progress':
      return runProgress(text, ctx);
  }
}

/** What a pagination button carries: the command, its text without the page, and the page to show. */
export const PageValue = z.object({
  c: z.enum(['/targets', '/projects', '/duban', '@duban']),
  t: z.string().max(MAX_QUERY_LENGTH),
  p: z.number().int().min(1).max(10_000),
  l: z.enum(LOCALES as [Locale, ...Locale[]]).optional(),
});

/** Re-runs a paginated command for a button click; undefined when the value is not one of ours. */
export async function runPage(value: string, ctx: CommandContext): Promise<Reply | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const v = PageValue.safeParse(parsed);
  if (!v.success) return undefined;
  const c = v.data.l ? { ...ctx, locale: v.data.l } : ctx;
  if (v.data.c === '@duban') return searchReply(v.data.t, v.data.p, c);
  return (await runCommand(v.data.c, `${v.data.t} p${v.data.p}`.trim(), c)).reply;
}
