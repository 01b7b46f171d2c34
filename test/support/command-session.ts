/**
 * The fast tier's way in: what a user types, run by the command layer on an in-memory store, with no
 * Bolt and no fake Slack. A session builds each request's CommandContext as the Slack app and the
 * console do (the store's current model, the zone's date from a fixed clock, the asker's locale and
 * rights), and reads replies as plain data. Thread replies go through the same logReportFromThread the
 * Slack message listener calls, with the items the answer they reply to was about.
 */
import { basename } from 'node:path';
import type { WriteContext } from '../../commands/context.ts';
import { type CommandResult, isSlashCommand, runCommand, runMention } from '../../commands/index.ts';
import type { Button, Reply, ReplyBlock } from '../../commands/reply.ts';
import {
  logReportFromAnswer,
  logReportFromThread,
  type ReportOutcome,
  threadCandidates,
} from '../../commands/reporting/index.ts';
import { localDate } from '../../src/domain/dates.ts';
import type { JournalEvent } from '../../src/domain/journal.ts';
import type { Evidence } from '../../src/domain/schema.ts';
import type { Locale } from '../../src/i18n/index.ts';
import { chineseCalendarData } from '../../src/scheduler/holidays.ts';
import { importParsed, readImportFile } from '../../src/store/import.ts';
import { openStore, type Store } from '../../src/store/store.ts';

export { SEED_FILE };

/** A Saturday late in the seed year, at 10:00 in Shanghai (the same instant as the Slack tier's SEED_NOW). */
import { SEED_NOW } from './seed-clock.ts';
import { SEED_FILE } from './seed-model.ts';

export { SEED_NOW };
export const TIME_ZONE = 'Asia/Shanghai';

/** One of the supervision office's admins. */
export const ADMIN = 'U0ADMIN001';
/** A person a test makes a liaison of a department (the seed has none). */
export const LIAISON = 'U0LIAISON1';
/** Someone in no department. */
export const OUTSIDER = 'U0OUTSIDE1';

export type Asker = { userId?: string; locale?: Locale };
/** A message duban posted, and what it is about: what a reply in its thread may be about. */
export type Thread = { channel: string; ts: string; about: NonNullable<Reply['about']> };
export type ThreadReply = { ts: string; outcome: ReportOutcome; reply?: Reply };
export type Choice = { outcome: Awaited<ReturnType<typeof logReportFromAnswer>>; reply?: Reply };
export type UpdateEvent = Extract<JournalEvent, { type: 'update' }>;

export type CommandSession = {
  store: Store;
  /** The context of a request made now by `as` (by default the liaison, in Chinese). */
  context(as?: Asker): WriteContext;
  /** Runs a slash command line as typed: "/targets 住建局". */
  run(line: string, as?: Asker): Promise<CommandResult>;
  /** Runs a slash command line and returns its reply (failing the test when there is none). */
  ask(line: string, as?: Asker): Promise<Reply>;
  /** Answers what follows @duban in a mention. */
  mention(text: string, as?: Asker): Reply;
  /** Posts a reply in a channel, as duban would; a reply in its thread is about what it is about. */
  post(reply: Reply, channel?: string): Thread;
  /** Replies in a thread as a person would in Slack: read, logged or asked about through logReportFromThread. */
  replyInThread(
    thread: Thread,
    text: string,
    as?: Asker & { eventId?: string; evidence?: Evidence[]; ts?: string },
  ): Promise<ThreadReply>;
  /** Clicks a button of a question duban asked. */
  choose(button: Button, as?: Asker): Promise<Choice>;
  /** The updates people logged on an item, oldest first (the seed's own reports left out). */
  updatesOf(itemId: string): Promise<UpdateEvent[]>;
  close(): Promise<void>;
};

export type SessionOptions = {
  now?: Date;
  /** ADMIN_USER_IDS (default: ADMIN). */
  admins?: readonly string[];
  /** Liaisons to add before the test, by department id: { hurdb: [LIAISON] }. */
  members?: Record<string, readonly string[]>;
};

// Read and validated once per test file; each session imports its own copy.
let seedFile: ReturnType<typeof readImportFile> | undefined;

let messages = 0;
/** A Slack-like message ts unique in this process. */
function nextTs(): string {
  messages += 1;
  return `1764300000.${String(messages).padStart(6, '0')}`;
}

/**
 * Opens an in-memory store with the bundled seed imported as `duban import` does (its reports in the
 * journal), and a session on it. Each call is a fresh zone: tests that write open their own.
 */
export async function openSeedSession(options: SessionOptions = {}): Promise<CommandSession> {
  const now = options.now ?? SEED_NOW;
  const admins = new Set(options.admins ?? [ADMIN]);
  const calendar = chineseCalendarData();
  const store = await openStore('(test)', { timeZone: TIME_ZONE, memory: true, clock: () => now, calendar });
  seedFile ??= readImportFile(SEED_FILE);
  await importParsed(store, structuredClone(await seedFile), basename(SEED_FILE), { now, by: 'seed' });

  const context = (as: Asker = {}): WriteContext => {
    const userId = as.userId ?? LIAISON;
    return {
      model: store.model(),
      today: localDate(now, TIME_ZONE),
      locale: as.locale ?? 'zh-CN',
      userId,
      now,
      isAdmin: admins.has(userId),
      store,
    };
  };
  const run = async (line: string, as?: Asker): Promise<CommandResult> => {
    const [command = '', ...rest] = line.trim().split(/\s+/);
    if (!isSlashCommand(command)) throw new Error(`not a slash command: ${line}`);
    return runCommand(command, rest.join(' '), context(as));
  };

  const session: CommandSession = {
    store,
    context,
    run,
    async ask(line, as) {
      const { reply } = await run(line, as);
      if (!reply) throw new Error(`no reply to ${line}`);
      return reply;
    },
    mention: (text, as) => runMention(text, context(as)),
    post(reply, channel = 'C0GENERAL1') {
      if (!reply.about) throw new Error('this reply is about nothing: a reply in its thread would be ignored');
      return { channel, ts: nextTs(), about: reply.about };
    },
    async replyInThread(thread, text, as = {}) {
      const ctx = context(as);
      const ts = as.ts ?? nextTs();
      const candidates = threadCandidates(ctx.model, { ...thread.about, itemIds: thread.about.itemIds ?? [] });
      const outcome = await logReportFromThread(
        {
          text,
          candidates,
          evidence: as.evidence ?? [],
          source: 'slack',
          message: { channel: thread.channel, ts, threadTs: thread.ts },
          ...(as.eventId ? { eventId: as.eventId } : {}),
        },
        ctx,
      );
      return { ts, outcome, ...('reply' in outcome ? { reply: outcome.reply } : {}) };
    },
    async choose(button, as) {
      const outcome = await logReportFromAnswer(button.value, context(as));
      return { outcome, ...('reply' in outcome ? { reply: outcome.reply } : {}) };
    },
    async updatesOf(itemId) {
      return (await store.history({ itemId })).filter((e): e is UpdateEvent => e.type === 'update' && e.by !== 'seed');
    },
    close: () => store.close(),
  };

  for (const [department, people] of Object.entries(options.members ?? {})) {
    const admin = [...admins][0];
    if (!admin) throw new Error('adding members needs an admin');
    for (const person of people) await session.ask(`/duban member add <@${person}> ${department}`, { userId: admin });
  }
  return session;
}

/** The words of one block as a reader sees them: header, section text and fields, context, button labels. */
function blockText(block: ReplyBlock): string[] {
  switch (block.type) {
    case 'header':
      return [block.text];
    case 'section':
      return [
        block.text.mrkdwn,
        ...(block.fields ?? []).map((f) => f.mrkdwn),
        ...(block.button ? [block.button.text] : []),
      ];
    case 'context':
      return block.elements.map((e) => e.mrkdwn);
    case 'actions':
      return block.buttons.map((b) => b.text);
    case 'divider':
      return [];
  }
}

/** Everything a reply shows, one block's words a line. */
export function textOf(reply: Reply): string {
  return reply.blocks.flatMap(blockText).join('\n');
}

export function headerOf(reply: Reply): string | undefined {
  return reply.blocks.find((b): b is Extract<ReplyBlock, { type: 'header' }> => b.type === 'header')?.text;
}

/** Texts of the section blocks, in order (fields appended after their section's text). */
export function sectionsOf(reply: Reply): string[] {
  return reply.blocks
    .filter((b): b is Extract<ReplyBlock, { type: 'section' }> => b.type === 'section')
    .map((b) => [b.text.mrkdwn, ...(b.fields ?? []).map((f) => f.mrkdwn)].join('\n'));
}

/** The status emoji leading each listed item, in order. */
export function statusesOf(reply: Reply): string[] {
  return sectionsOf(reply)
    .map((s) => /^(🔴|🟡|🟢|✅|⚪) \*/u.exec(s)?.[1])
    .filter((s): s is string => s !== undefined);
}

/** The buttons of a reply, from actions blocks and section buttons. */
export function buttonsOf(reply: Reply): Button[] {
  return reply.blocks.flatMap((b) =>
    b.type === 'actions' ? b.buttons : b.type === 'section' && b.button ? [b.button] : [],
  );
}
