/**
 * Scheduled messages to Slack, paced: at most one message a second to any one channel (Slack's
 * chat.postMessage limit), many channels at once. Rate-limit answers (429 with Retry-After) and
 * transient server errors are retried by the Web API client's own backoff.
 */
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../commands/reply.ts';
import type { Locale } from '../i18n/index.ts';
import type { Messenger } from '../scheduler/jobs.ts';
import { renderMessage } from './blocks.ts';

export type PacerOptions = { intervalMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void> };

/** Reserves send times per channel, `intervalMs` apart. */
export function createPacer(options: PacerOptions = {}): (channel: string) => Promise<void> {
  const interval = options.intervalMs ?? 1_000;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const next = new Map<string, number>();
  return async (channel) => {
    const t = now();
    const at = Math.max(t, next.get(channel) ?? 0);
    next.set(channel, at + interval);
    if (at > t) await sleep(at - t);
  };
}

export function createMessenger(client: webApi.WebClient, options: PacerOptions = {}): Messenger {
  const pace = createPacer(options);
  return {
    async post(channel: string, reply: Reply, locale: Locale) {
      await pace(channel);
      const res = await client.chat.postMessage({ channel, ...renderMessage(reply, locale) });
      return { channel: res.channel ?? channel, ts: res.ts ?? '' };
    },
  };
}
