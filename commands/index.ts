/** Every slash command duban answers, and the one entry point the Slack edge and the console call. */
import { z } from 'zod';
import { LOCALES, type Locale, messages } from '../src/i18n/index.ts';
import { assignRefusal } from './assign.ts';
import { type CommandContext, canWrite } from './context.ts';
import { runDocument } from './documents.ts';
import { duban } from './duban.ts';
import type { Effect } from './effects.ts';
import { runExtend } from './extension.ts';
import { MAX_QUERY_LENGTH } from './format.ts';
import { searchReply } from './mention.ts';
import { runProgress } from './progress.ts';
import { projects } from './projects.ts';
import type { Reply } from './reply.ts';
import { replyOf } from './reporting/index.ts';
import { resolveExport } from './spreadsheet.ts';
import { targets, tooLongReply } from './targets.ts';

export type { CommandContext } from './context.ts';
export { runMention } from './mention.ts';
export type { Reply } from './reply.ts';

export const SLASH_COMMANDS = ['/targets', '/projects', '/duban', '/progress'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

export function isSlashCommand(name: string): name is SlashCommand {
  return (SLASH_COMMANDS as readonly string[]).includes(name);
}

export { type Effect, effectsOfReport, type ReportedVia } from './effects.ts';
export type CommandResult = { reply?: Reply; effects: Effect[] };
export { replyOf };

/** Runs a slash command as a user typed it. Never throws for bad input: mistakes become usage replies. */
export async function runCommand(command: SlashCommand, text: string, ctx: CommandContext): Promise<CommandResult> {
  switch (command) {
    case '/targets': {
      const parsed = targets.parse(text);
      return {
        reply: parsed.ok ? targets.run(parsed.args, ctx) : tooLongReply(ctx, messages(ctx.locale).examples.targets),
        effects: [],
      };
    }
    case '/projects': {
      const parsed = projects.parse(text);
      return {
        reply: parsed.ok ? projects.run(parsed.args, ctx) : tooLongReply(ctx, messages(ctx.locale).examples.projects),
        effects: [],
      };
    }
    case '/duban': {
      const args = duban.parse(text).args;
      if (args.sub === 'spreadsheet' && args.args.sub === 'export') {
        // Files are built and sent by the edge; a mistake (unknown department, empty store) is answered here.
        const request = resolveExport(args.args, ctx);
        return request.kind === 'reply'
          ? { reply: request.reply, effects: [] }
          : { effects: [{ type: 'send_export', request }] };
      }
      // The 交办 form opens at the edge, for those who may assign (canWrite: a Slack request, not the console).
      if (args.sub === 'assign' && canWrite(ctx)) {
        const refusal = assignRefusal(ctx);
        return refusal ? { reply: refusal, effects: [] } : { effects: [{ type: 'open_assign_form' }] };
      }
      // 延期申请: the request also goes to the supervision office, as an effect.
      if (args.sub === 'extend') return runExtend(args.rest, ctx);
      if (args.sub === 'document') return runDocument(args.args, ctx);
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
