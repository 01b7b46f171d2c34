/**
 * Scheduled messages to Slack, paced: at most one message a second to any one channel (Slack's
 * chat.postMessage limit), many channels at once. Rate-limit answers (429 with Retry-After) and
 * transient server errors are retried by the Web API client's own backoff. Files (the bulletin's chart)
 * go in the same per-channel lane.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../commands/reply.ts';
import type { Locale } from '../i18n/index.ts';
import type { Messenger } from '../scheduler/jobs.ts';
import { renderMessage } from './blocks.ts';
import { uploadFiles } from './upload.ts';

export type PacerOptions = { intervalMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> };

/**
 * Runs sends to one channel one after another, each starting at least `intervalMs` after the previous
 * one to that channel finished (so arrivals are a full interval apart whatever the network does);
 * sends to different channels do not wait for each other.
 */
export function createPacer(options: PacerOptions = {}): <T>(channel: string, send: () => Promise<T>) => Promise<T> {
  const interval = options.intervalMs ?? 1_000;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const lanes = new Map<string, { tail: Promise<unknown>; lastDone: number }>();
  return (channel, send) => {
    const lane = lanes.get(channel) ?? { tail: Promise.resolve(), lastDone: -Infinity };
    lanes.set(channel, lane);
    const run = lane.tail.then(async () => {
      const wait = lane.lastDone + interval - now();
      if (wait > 0) await sleep(wait);
      try {
        return await send();
      } finally {
        lane.lastDone = now();
      }
    });
    lane.tail = run.catch(() => undefined);
    return run;
  };
}

/** The message metadata type of a scheduled message: its payload is `{ key }`, the delivery's key in db.deliveries. */
export const DELIVERY_EVENT = 'duban_delivery';
/** How far before a delivery's "sending" mark its message is looked for (clocks of duban and Slack differ a little). */
const FIND_MARGIN_MS = 5 * 60_000;
/** Pages of channel history read when looking for a message in flight (200 messages each). */
const FIND_PAGES = 10;

export function createMessenger(client: webApi.WebClient, options: PacerOptions = {}): Messenger {
  const pace = createPacer(options);
  return {
    async post(channel: string, reply: Reply, locale: Locale, key?: string) {
      const metadata = key ? { metadata: { event_type: DELIVERY_EVENT, event_payload: { key } } } : {};
      const res = await pace(channel, () =>
        client.chat.postMessage({ channel, ...renderMessage(reply, locale), ...metadata }),
      );
      return { channel: res.channel ?? channel, ts: res.ts ?? '' };
    },
    // Reads the channel (or the DM with a user) since just before the mark, newest first, for the key.
    async find(target, key, since) {
      const channel = /^[UW]/.test(target) ? (await client.conversations.open({ users: target })).channel?.id : target;
      if (!channel) return undefined;
      const oldest = ((since.getTime() - FIND_MARGIN_MS) / 1000).toFixed(6);
      let cursor: string | undefined;
      for (let page = 0; page < FIND_PAGES; page++) {
        const res = await client.conversations.history({
          channel,
          oldest,
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        const hit = res.messages?.find(
          (m) =>
            m.metadata?.event_type === DELIVERY_EVENT &&
            (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
        );
        if (hit?.ts) return { channel, ts: hit.ts };
        cursor = res.response_metadata?.next_cursor;
        if (!res.has_more || !cursor) return undefined;
      }
      return undefined;
    },
    // In the same lane as the channel's messages, so a chart comes after the message it goes with.
    async upload(channel, file, options) {
      await pace(channel, () => uploadFiles(client, [file], { channel, ...options }));
    },
  };
}
