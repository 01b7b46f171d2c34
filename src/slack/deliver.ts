/**
 * Putting replies where they belong: answers in the channel are posted with chat.postMessage so
 * duban knows their ts and can remember what the thread is about; ephemeral answers go only to the
 * asker. Everything goes through renderMessage, so Slack's limits and escaping always apply.
 */
import type { RespondFn, webApi } from '@slack/bolt';
import type { Reply } from '../../commands/reply.ts';
import { rememberThread } from '../../commands/reporting/index.ts';
import { messageKey } from '../domain/delivery.ts';
import { own } from '../domain/lookup.ts';
import type { MessageRef } from '../domain/schema.ts';
import type { Locale } from '../i18n/index.ts';
import { renderMessage } from './blocks.ts';
import type { ListenerDeps } from './context.ts';

/** Where a reply goes (not to be confused with a target, 指标, of the domain). */
export type Destination = {
  channel: string;
  /** Reply inside this thread. */
  threadTs?: string;
  /** The user an ephemeral answer is for. */
  userId?: string;
  /** The response_url of the request, when there is one. */
  respond?: RespondFn;
};

const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

function errorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } }).data?.error;
}

/** Delivers a reply; returns the posted message when it was posted to the channel. */
export async function deliver(
  client: webApi.WebClient,
  deps: ListenerDeps,
  reply: Reply,
  locale: Locale,
  destination: Destination,
): Promise<MessageRef | undefined> {
  const message = renderMessage(reply, locale);
  if (reply.visibility === 'ephemeral') {
    if (destination.respond)
      await destination.respond({ response_type: 'ephemeral', replace_original: false, ...message });
    else if (destination.userId)
      await client.chat.postEphemeral({
        channel: destination.channel,
        user: destination.userId,
        ...(destination.threadTs ? { thread_ts: destination.threadTs } : {}),
        ...message,
      });
    return undefined;
  }
  try {
    const res = await client.chat.postMessage({
      channel: destination.channel,
      ...(destination.threadTs ? { thread_ts: destination.threadTs } : {}),
      ...message,
    });
    const ref = res.ts && res.channel ? { channel: res.channel, ts: destination.threadTs ?? res.ts } : undefined;
    // An answer inside a thread that is already about something (a department's scorecard) must not
    // narrow it to the one item it confirms: later replies there may be about the department's others.
    const known = ref && destination.threadTs && own(deps.store.model().db.threads, messageKey(ref)) !== undefined;
    if (ref && reply.about && !known) await rememberThread(deps.store, ref, reply.about, deps.clock().getTime());
    return res.ts && res.channel ? { channel: res.channel, ts: res.ts } : undefined;
  } catch (e) {
    // Not a member of the channel (or a DM with someone else): answer through the response URL.
    if (!destination.respond || !CANNOT_POST.has(errorCode(e) ?? '')) throw e;
    deps.logger.info(
      { channel: destination.channel, error: errorCode(e) },
      'cannot post in the channel; answering through response_url',
    );
    await destination.respond({ response_type: 'in_channel', replace_original: false, ...message });
    return undefined;
  }
}
