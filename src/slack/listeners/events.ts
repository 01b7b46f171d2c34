/** Events: @mentions answered in a thread, and the App Home dashboard. */
import type { App } from '@slack/bolt';
import { runMention } from '../../../commands/index.ts';
import { homeReply } from '../../../commands/home.ts';
import { LIMITS, renderBlocks, renderMessage } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';

/** Remembers recent event ids so a redelivered event is answered once. */
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

export function registerEvents(app: App, deps: ListenerDeps): void {
  const duplicate = createEventDeduper();

  app.event('app_mention', async ({ event, body, client }) => {
    if (duplicate(body.event_id)) {
      deps.logger.info({ eventId: body.event_id }, 'duplicate delivery ignored');
      return;
    }
    const user = event.user;
    const locale = await deps.locale(user);
    const reply = runMention(event.text, deps.context(user, locale));
    const thread_ts = event.thread_ts ?? event.ts;
    const message = renderMessage(reply, locale);
    if (reply.visibility === 'ephemeral' && user) {
      await client.chat.postEphemeral({ channel: event.channel, user, thread_ts, ...message });
    } else {
      await client.chat.postMessage({ channel: event.channel, thread_ts, ...message });
    }
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const locale = await deps.locale(event.user);
    const reply = homeReply(deps.context(event.user, locale));
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: renderBlocks(reply.blocks, locale, LIMITS.surfaceBlocks) },
    });
  });
}
