/** Events: @mentions answered in a thread (App Home: listeners/home.ts). */

import { answerMention } from '../../../commands/llm-read.ts';
import type { ListenerDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import type { Router } from '../router.ts';

/** Remembers recent event ids so a redelivered event is answered once (read-only answers; writes dedupe in the store). */
export function createEventDeduper(max = 5_000): (eventId: string | undefined) => boolean {
  const seen = new Set<string>();
  return (eventId) => {
    if (!eventId) return false;
    if (seen.has(eventId)) return true;
    seen.add(eventId);
    if (seen.size > max) seen.delete(seen.values().next().value!);
    return false;
  };
}

export function registerEvents(router: Router, deps: ListenerDeps): void {
  const duplicate = createEventDeduper();

  router.event('app_mention', async ({ event, body, client }) => {
    if (duplicate(body.event_id)) {
      deps.logger.info({ eventId: body.event_id }, 'duplicate delivery ignored');
      return;
    }
    const user = event.user;
    const locale = await deps.locale(user);
    // Bolt has acknowledged the event already; a question the rules cannot place may wait on the model.
    const reply = await answerMention(event.text, deps.readContext(user, locale));
    // Answers go in the mention's thread, so a reply there can be logged as progress.
    await deliver(client, deps, reply, reply.visibility === 'ephemeral' ? locale : locale, {
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
      ...(user ? { userId: user } : {}),
    });
  });
}
