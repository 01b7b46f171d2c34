/** Every slash command duban answers, and the one entry point the Slack edge and the console call. */
import { z } from 'zod';
import type { CommandContext } from './context.ts';
import { duban } from './duban.ts';
import { MAX_QUERY_LENGTH } from './format.ts';
import { projects } from './projects.ts';
import type { Reply } from './reply.ts';
import { targets, tooLongReply } from './targets.ts';

export { runMention } from './mention.ts';
export type { CommandContext } from './context.ts';
export type { Reply } from './reply.ts';

export const SLASH_COMMANDS = ['/targets', '/projects', '/duban'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

export function isSlashCommand(name: string): name is SlashCommand {
  return (SLASH_COMMANDS as readonly string[]).includes(name);
}

/** Runs a slash command as a user typed it. Never throws for bad input: mistakes become usage replies. */
export function runCommand(command: SlashCommand, text: string, ctx: CommandContext): Reply {
  switch (command) {
    case '/targets': {
      const parsed = targets.parse(text);
      return parsed.ok ? targets.run(parsed.args, ctx) : tooLongReply(ctx, '/targets 住建局');
    }
    case '/projects': {
      const parsed = projects.parse(text);
      return parsed.ok ? projects.run(parsed.args, ctx) : tooLongReply(ctx, '/projects 城市更新');
    }
    case '/duban':
      return duban.run(duban.parse(text).args, ctx);
  }
}

/** What a pagination button carries: the command, its text without the page, and the page to show. */
export const PageValue = z.object({
  c: z.enum(SLASH_COMMANDS),
  t: z.string().max(MAX_QUERY_LENGTH),
  p: z.number().int().min(1).max(10_000),
});

/** Re-runs a paginated command for a button click; undefined when the value is not one of ours. */
export function runPage(value: string, ctx: CommandContext): Reply | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  const v = PageValue.safeParse(parsed);
  if (!v.success) return undefined;
  return runCommand(v.data.c, `${v.data.t} p${v.data.p}`.trim(), ctx);
}
