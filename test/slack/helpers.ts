/**
 * Shared steps of the Slack integration tests: ask a slash command and read what came back (on its
 * response_url or posted in the channel), reply in the thread of what duban posted, mention the bot
 * and read its answer, and build small read models for edge cases.
 */
import { expect } from 'vitest';
import { createReadModel, type ReadModel } from '../../src/domain/read-model.ts';
import { Database, FORMAT_VERSION } from '../../src/domain/schema.ts';
import type { TestApp } from '../support/app.ts';
import { type ApiCall, allText, type Recorded, type ResponsePost, validateBlocks } from '../support/fake-slack.ts';
import { appMention, type HttpResult, message } from '../support/slack-requests.ts';

export const CHANNEL = 'C0GENERAL1';
/** A user the fake knows with a Chinese Slack locale. */
export const ZH_USER = 'U0LIAISON1';
/** A user the fake knows with an English (US) Slack locale. */
export const EN_USER = 'U0LEADER01';

export type Block = {
  type: string;
  text?: { type: string; text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<Record<string, unknown>>;
  accessory?: Record<string, unknown>;
};
export type MessageBody = {
  text?: string;
  blocks?: Block[];
  response_type?: string;
  replace_original?: boolean;
} & Record<string, unknown>;
/**
 * What came back for a request, however it was delivered: a POST to the request's response_url, or a
 * chat.postMessage / chat.postEphemeral made after it. For posted messages `body.response_type` is
 * filled in as Slack would show them (in_channel / ephemeral), so tests can assert on visibility alike.
 */
export type Answer = {
  http: HttpResult;
  via: 'response_url' | 'chat.postMessage' | 'chat.postEphemeral';
  body: MessageBody;
  text: string;
  /** Whether Slack (the fake) accepted it: HTTP 200 on the response_url, or ok: true. */
  accepted: boolean;
  /** The raw JSON sent, for "nothing internal leaked" checks. */
  raw: string;
};

let counter = 0;
/** A response_url id unique in this process, so waiting never picks up another test's answer. */
export function freshId(label: string): string {
  counter += 1;
  return `${label}-${counter}`;
}

export function isResponseTo(id: string) {
  return (r: Recorded): r is ResponsePost => r.kind === 'response' && r.id === id;
}

/**
 * Waits for the first answer to a request whose response_url has `id`, sent after `callsBefore` API calls;
 * `timeoutMs` for answers that come after slow work (an export builds and uploads its files first).
 */
export async function answerTo(
  t: TestApp,
  http: HttpResult,
  id: string,
  callsBefore: number,
  timeoutMs?: number,
): Promise<Answer> {
  const item = await t.fake.waitFor(
    (r) =>
      (r.kind === 'response' && r.id === id) ||
      (r.kind === 'api' &&
        (r.method === 'chat.postMessage' || r.method === 'chat.postEphemeral') &&
        t.fake.calls.indexOf(r) >= callsBefore),
    timeoutMs,
  );
  if (item.kind === 'response') {
    const body = item.body as MessageBody;
    return { http, via: 'response_url', body, text: allText(body), accepted: item.status === 200, raw: item.raw };
  }
  const call = item as ApiCall;
  const via = call.method as 'chat.postMessage' | 'chat.postEphemeral';
  const body = { ...call.args, response_type: via === 'chat.postMessage' ? 'in_channel' : 'ephemeral' } as MessageBody;
  return { http, via, body, text: allText(call.args), accepted: call.ok, raw: JSON.stringify(call.args) };
}

/** Sends a signed slash command and resolves with the first answer to it. */
export async function ask(
  t: TestApp,
  command: string,
  text: string,
  userId: string = ZH_USER,
  timeoutMs?: number,
): Promise<Answer> {
  const id = freshId(command.replace('/', ''));
  const before = t.fake.calls.length;
  const http = await t.slack.command({
    command,
    text,
    userId,
    channelId: CHANNEL,
    responseUrl: t.fake.responseUrl(id),
  });
  expect(http.status).toBe(200);
  return answerTo(t, http, id, before, timeoutMs);
}

/** Clicks a button of an earlier answer (a signed block_actions request) and resolves with what replaced it. */
export async function click(
  t: TestApp,
  button: { action_id: string; value: string },
  userId: string = ZH_USER,
): Promise<Answer> {
  const id = freshId('click');
  const before = t.fake.calls.length;
  const http = await t.slack.action({
    actionId: button.action_id,
    value: button.value,
    userId,
    channelId: CHANNEL,
    responseUrl: t.fake.responseUrl(id),
  });
  expect(http.status).toBe(200);
  return answerTo(t, http, id, before);
}

/** A message duban posted in the channel: its ts is the thread people reply in. */
export type Posted = { ts: string; body: MessageBody };

/** Asks a command whose answer duban posts in the channel, and returns that message. */
export async function postedBy(t: TestApp, command: string, text: string, userId: string = ZH_USER): Promise<Posted> {
  const before = t.fake.calls.length;
  const answer = await ask(t, command, text, userId);
  expect(answer.via).toBe('chat.postMessage');
  const call = t.fake.calls
    .slice(before)
    .find((c): c is ApiCall => c.kind === 'api' && c.method === 'chat.postMessage')!;
  return { ts: (call.response as { ts: string }).ts, body: answer.body };
}

export type ThreadReplyOptions = {
  userId?: string;
  /** The event's id (a retried delivery keeps it). */
  eventId?: string;
  /** More fields of the message event: a subtype, shared files. */
  extra?: Record<string, unknown>;
  /** The reply's own ts (the same message delivered again keeps it). */
  ts?: string;
  headers?: Record<string, string>;
};

export type ThreadAnswer = {
  /** The person's reply. */
  ts: string;
  /** duban's first answer in the thread after it. */
  call: ApiCall;
  text: string;
  /** API calls recorded before the reply was sent, to look for later messages after it. */
  callsBefore: number;
  /** How long Slack waited for the event's acknowledgement, and for duban's answer. */
  ackMs: number;
  answeredMs: number;
};

/** Replies in a thread as a person would (a signed message event), and waits for duban's answer in that thread. */
export async function replyInThread(
  t: TestApp,
  threadTs: string,
  text: string,
  opts: ThreadReplyOptions = {},
): Promise<ThreadAnswer> {
  const callsBefore = t.fake.calls.length;
  const event = message({
    text,
    userId: opts.userId ?? ZH_USER,
    channelId: CHANNEL,
    threadTs,
    ...(opts.ts ? { ts: opts.ts } : {}),
    ...(opts.extra ? { extra: opts.extra } : {}),
  });
  const started = performance.now();
  const res = await t.slack.event(event, {
    ...(opts.eventId ? { eventId: opts.eventId } : {}),
    ...(opts.headers ? { headers: opts.headers } : {}),
  });
  const ackMs = performance.now() - started;
  expect(res.status).toBe(200);
  const call = await t.fake.waitFor(
    (r): r is ApiCall =>
      r.kind === 'api' &&
      (r.method === 'chat.postMessage' || r.method === 'chat.postEphemeral') &&
      r.args.thread_ts === threadTs &&
      t.fake.calls.indexOf(r) >= callsBefore,
  );
  return {
    ts: event.ts as string,
    call,
    text: allText(call.args),
    callsBefore,
    ackMs,
    answeredMs: performance.now() - started,
  };
}

export type MentionAnswer = {
  http: HttpResult;
  call: ApiCall;
  args: Record<string, unknown>;
  text: string;
  ts: string;
};

/** Mentions the bot in a channel (optionally inside a thread) and resolves with the message it posted in reply. */
export async function mention(
  t: TestApp,
  text: string,
  opts: { userId?: string; threadTs?: string; eventId?: string } = {},
): Promise<MentionAnswer> {
  const event = appMention({
    text,
    userId: opts.userId ?? ZH_USER,
    channelId: CHANNEL,
    ...(opts.threadTs ? { threadTs: opts.threadTs } : {}),
  });
  const ts = event.ts as string;
  const expectedThread = opts.threadTs ?? ts;
  const http = await t.slack.event(event, opts.eventId ? { eventId: opts.eventId } : {});
  expect(http.status).toBe(200);
  const call = await t.fake.waitFor(
    (r): r is ApiCall =>
      r.kind === 'api' &&
      (r.method === 'chat.postMessage' || r.method === 'chat.postEphemeral') &&
      r.args.thread_ts === expectedThread,
  );
  return { http, call, args: call.args, text: allText(call.args), ts };
}

export function blocksOf(body: { blocks?: unknown }): Block[] {
  return (body.blocks ?? []) as Block[];
}

/** The buttons in a message, from actions blocks and section accessories. */
export function buttonsOf(body: {
  blocks?: unknown;
}): Array<{ action_id: string; value: string; text: { text: string } }> {
  const out: Array<{ action_id: string; value: string; text: { text: string } }> = [];
  for (const b of blocksOf(body)) {
    const elements = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])];
    for (const e of elements)
      if (e.type === 'button') out.push(e as unknown as { action_id: string; value: string; text: { text: string } });
  }
  return out;
}

export function buttonLabelled(body: { blocks?: unknown }, label: string) {
  const button = buttonsOf(body).find((b) => b.text.text === label);
  expect(button, `a button labelled ${label}`).toBeDefined();
  return button!;
}

export function headerOf(body: { blocks?: unknown }): string | undefined {
  return blocksOf(body).find((b) => b.type === 'header')?.text?.text;
}

/** Texts of the section blocks, in order (fields appended after their section's text). */
export function sectionTexts(body: { blocks?: unknown }): string[] {
  return blocksOf(body)
    .filter((b) => b.type === 'section')
    .map((b) => [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)].join('\n'));
}

/** The status emoji leading each listed item (sections that start with one), in order. */
export function itemStatuses(body: { blocks?: unknown }): string[] {
  return sectionTexts(body)
    .map((s) => /^(🔴|🟡|🟢|✅|⚪) \*/u.exec(s)?.[1])
    .filter((s): s is string => s !== undefined);
}

export function expectValidMessage(body: { blocks?: unknown }): void {
  expect(validateBlocks(body.blocks)).toEqual([]);
}

/** Slack mention syntax that would notify people if it reached a message unescaped. */
export const RAW_MENTION = /<!channel>|<!everyone>|<!here>|<@[UW][A-Z0-9]*>|<!subteam\^/;

type DatabaseInput = Parameters<typeof Database.parse>[0];

/** A read model from a literal store document (every collection optional), validated like the real store. */
export function buildModel(doc: Omit<Record<string, unknown>, 'version'>): ReadModel {
  return createReadModel(Database.parse({ version: FORMAT_VERSION, ...doc } as DatabaseInput), 'Asia/Shanghai');
}
