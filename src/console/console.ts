/**
 * The local console: type exactly what a Slack user would (/targets 住建局, @duban 谁落后了?) and see
 * the reply rendered from the same Block Kit the bot sends. No Slack workspace needed.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { isSlashCommand, runCommand, runMention, type CommandContext } from '../../commands/index.ts';
import { homeReply } from '../../commands/home.ts';
import { usageReply } from '../../commands/format.ts';
import type { Reply } from '../../commands/reply.ts';
import { localDate } from '../domain/dates.ts';
import type { ReadModel } from '../domain/read-model.ts';
import { messages, type Locale } from '../i18n/index.ts';
import { LIMITS, renderBlocks, renderMessage } from '../slack/blocks.ts';
import { blocksToText } from './render-text.ts';

export type ConsoleDeps = {
  model: () => ReadModel;
  clock: () => Date;
  timeZone: string;
  locale: Locale;
  userId?: string;
  color?: boolean;
};

/** Answers one line as Slack would; returns the rendered text (empty for blank lines). */
export function answerLine(line: string, deps: ConsoleDeps): string {
  const input = line.trim();
  if (!input) return '';
  const ctx: CommandContext = {
    model: deps.model(),
    today: localDate(deps.clock(), deps.timeZone),
    locale: deps.locale,
    ...(deps.userId ? { userId: deps.userId } : {}),
  };
  let reply: Reply;
  let blocks;
  if (input.startsWith('/')) {
    const [command = '', ...rest] = input.split(/\s+/);
    reply = isSlashCommand(command)
      ? runCommand(command, rest.join(' '), ctx)
      : usageReply(messages(deps.locale).errors.unknownSubcommand(command), '/duban help', deps.locale);
  } else if (/^home$/i.test(input)) {
    reply = homeReply(ctx);
    blocks = renderBlocks(reply.blocks, deps.locale, LIMITS.surfaceBlocks);
  } else {
    // "@duban …", "@督办 …" or a bare question are all treated as a mention.
    reply = runMention(input.replace(/^@\S+\s*/, ''), ctx);
  }
  const rendered = blocks ?? renderMessage(reply, deps.locale).blocks;
  const tag = reply.visibility === 'ephemeral' ? '(only visible to you)\n' : '';
  return tag + blocksToText(rendered, { color: deps.color ?? false });
}

const BANNER: Record<Locale, string> = {
  'zh-CN': '督办 duban 本地控制台。输入 /targets、/projects、/duban help、@督办 谁落后了？ 或 home；输入 exit 退出。',
  en: 'duban local console. Type /targets, /projects, /duban help, "@duban who is behind?" or home; exit to quit.',
};

/** Interactive loop until end of input or "exit". */
export async function runConsole(deps: ConsoleDeps, input: Readable, output: Writable): Promise<void> {
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  output.write(`${BANNER[deps.locale]}\n\n`);
  rl.setPrompt('duban> ');
  rl.prompt();
  for await (const line of rl) {
    if (/^(exit|quit|q|退出)$/i.test(line.trim())) break;
    output.write(answerLine(line, deps));
    output.write('\n');
    rl.prompt();
  }
  rl.close();
}
