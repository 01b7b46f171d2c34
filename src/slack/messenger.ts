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

export function createMessenger(client: webApi.WebClient, options: PacerOptions = {}): Messenger {
  const pace = createPacer(options);
  return {
    async post(channel: string, reply: Reply, locale: Locale) {
      const res = await pace(channel, () => client.chat.postMessage({ channel, ...renderMessage(reply, locale) }));
      return { channel: res.channel ?? channel, ts: res.ts ?? '' };
    },
    // In the same lane as the channel's messages, so a chart comes after the message it goes with.
    async upload(channel, file, options) {
      await pace(channel, () => uploadFiles(client, [file], { channel, ...options }));
    },
  };
}
