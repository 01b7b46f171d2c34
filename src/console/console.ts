/**
 * The local console: type exactly what a Slack user would (/targets 住建局, @duban 谁落后了?) and see
 * the reply rendered from the same Block Kit the bot sends. No Slack workspace needed. A line
 * starting with ">" replies in the thread of the last answer, as a liaison would in Slack.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { canWrite, type SchedulerPort } from '../../commands/context.ts';
import { usageReply } from '../../commands/format.ts';
import { homeReply } from '../../commands/home.ts';
import { type CommandContext, isSlashCommand, runCommand, runMention } from '../../commands/index.ts';
import type { Reply } from '../../commands/reply.ts';
import { logReportFromThread, threadCandidates } from '../../commands/reporting/index.ts';
import { exportElsewhereReply } from '../../commands/spreadsheet.ts';
import type { ChartPort } from '../charts/port.ts';
import { localDate } from '../domain/dates.ts';
import type { WritePort } from '../domain/ports.ts';
import { type Locale, messages } from '../i18n/index.ts';
import { LIMITS, renderBlocks, renderMessage } from '../slack/blocks.ts';
import type { OutFile } from '../slack/upload.ts';
import { blocksToText } from './render-text.ts';
import type { ZoneKind } from './zone.ts';

export type ConsoleDeps = {
  store: WritePort;
  /** Scheduled chasing in the console: reminders and bulletins are printed instead of posted. */
  scheduler?: SchedulerPort;
  clock: () => Date;
  timeZone: string;
  locale: Locale;
  userId: string;
  isAdmin: boolean;
  color?: boolean;
  /** Told of a line that failed unexpectedly (the user sees only a short apology). */
  onError?: (error: unknown, line: string) => void;
  /** Which zone is shown, from which file: said when the interactive console starts. */
  source?: ConsoleSource;
};

/** The zone's name (in the console's language), and the file it was read from, as the user named it. */
export type ConsoleSource = { zone: string; kind: ZoneKind; file: string };

export type ConsoleSession = { lastAbout?: Reply['about'] };

function render(reply: Reply, locale: Locale, color: boolean, surface = false): string {
  const blocks = surface
    ? renderBlocks(reply.blocks, locale, LIMITS.surfaceBlocks)
    : renderMessage(reply, locale).blocks;
  const tag = reply.visibility === 'ephemeral' ? `${messages(locale).console.onlyYou}\n` : '';
  return tag + blocksToText(blocks, { color });
}

/** A messenger for the console: each scheduled message is printed where Slack would have shown it. */
export function consoleMessenger(
  write: (text: string) => void,
  locale: Locale,
  color = false,
): {
  post(channel: string, reply: Reply): Promise<{ channel: string; ts: string }>;
  upload(channel: string, file: OutFile, options: { threadTs?: string }): Promise<void>;
} {
  let n = 0;
  return {
    async post(channel, reply) {
      n++;
      write(`── → ${channel} ──\n${render(reply, locale, color)}\n`);
      return { channel: channel.startsWith('U') ? `D${channel.slice(1)}` : channel, ts: `${1_764_000_000 + n}.000100` };
    },
    // No picture in a terminal: where Slack shows it, and what it shows in words.
    async upload(channel, file) {
      write(`── → ${channel} ──\n${messages(locale).chartPost.inConsole(file.title)}\n${file.altText ?? ''}\n\n`);
    },
  };
}

/** Charts in the console are not drawn: the messenger prints where Slack would show one, and its words. */
export const consoleCharts: ChartPort = {
  async render(spec) {
    const { width, height, title, alt } = spec;
    return { png: Buffer.alloc(0), width, height, title, alt, filename: `${spec.name}.png` };
  },
  async close() {},
};

/** Answers one line as Slack would; returns the rendered text (empty for blank lines). */
export async function answerLine(line: string, deps: ConsoleDeps, session: ConsoleSession = {}): Promise<string> {
  const input = line.trim();
  if (!input) return '';
  const now = deps.clock();
  const ctx: CommandContext = {
    model: deps.store.model(),
    today: localDate(now, deps.timeZone),
    locale: deps.locale,
    userId: deps.userId,
    now,
    isAdmin: deps.isAdmin,
    store: deps.store,
    ...(deps.scheduler ? { scheduler: deps.scheduler } : {}),
  };
  const color = deps.color ?? false;
  let reply: Reply | undefined;
  if (input.startsWith('>')) {
    const about = session.lastAbout;
    const candidates = about ? threadCandidates(ctx.model, { ...about, itemIds: about.itemIds ?? [] }) : [];
    if (!canWrite(ctx) || candidates.length === 0) return `${messages(deps.locale).console.noThread}\n`;
    const outcome = await logReportFromThread(
      { text: input.slice(1), candidates, evidence: [], source: 'console' },
      ctx,
    );
    reply =
      outcome.kind === 'logged' || outcome.kind === 'asked' || outcome.kind === 'refused' ? outcome.reply : undefined;
    return reply ? render(reply, deps.locale, color) : '';
  }
  if (input.startsWith('/')) {
    const [command = '', ...rest] = input.split(/\s+/);
    if (!isSlashCommand(command)) {
      reply = usageReply(messages(deps.locale).errors.unknownSubcommand(command), '/duban help', deps.locale);
    } else {
      const result = await runCommand(command, rest.join(' '), ctx);
      reply = result.reply;
      if (!reply && result.effects.some((e) => e.type === 'open_form'))
        return `${messages(deps.locale).console.noForms}\n`;
      if (!reply && result.effects.some((e) => e.type === 'open_assign_form'))
        return `${messages(deps.locale).assign.consoleNoForm}\n`;
      // The console has no DM to send files to: it says how to export on the server.
      if (!reply && result.effects.some((e) => e.type === 'send_export')) reply = exportElsewhereReply(ctx);
    }
  } else if (/^home$/i.test(input)) {
    return render(homeReply(ctx), deps.locale, color, true);
  } else {
    // "@duban …", "@督办 …" or a bare question are all treated as a mention.
    reply = runMention(input.replace(/^@\S+\s*/, ''), ctx);
  }
  if (!reply) return '';
  if (reply.about) session.lastAbout = reply.about;
  return render(reply, deps.locale, color);
}

/**
 * answerLine, except that an unexpected failure becomes a short apology instead of ending the
 * console: the next line is answered as if nothing had happened, and no stack reaches the user.
 */
export async function answerLineSafely(line: string, deps: ConsoleDeps, session: ConsoleSession = {}): Promise<string> {
  try {
    return await answerLine(line, deps, session);
  } catch (error) {
    deps.onError?.(error, line);
    return `${messages(deps.locale).console.failed}\n`;
  }
}

/** Interactive loop until end of input or "exit", after saying which zone it shows and from which file. */
export async function runConsole(
  deps: ConsoleDeps & { source: ConsoleSource },
  input: Readable,
  output: Writable,
): Promise<void> {
  const rl = createInterface({ input, output, terminal: (input as { isTTY?: boolean }).isTTY === true });
  const session: ConsoleSession = {};
  output.write(`${messages(deps.locale).console.banner(deps.source.zone, deps.source.kind, deps.source.file)}\n\n`);
  rl.setPrompt('duban> ');
  rl.prompt();
  for await (const line of rl) {
    if (/^(exit|quit|q|退出)$/i.test(line.trim())) break;
    output.write(await answerLineSafely(line, deps, session));
    output.write('\n');
    rl.prompt();
  }
  rl.close();
}
