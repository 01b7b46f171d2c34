/**
 * The one error sink: anything a listener throws is logged with its context and answered with a
 * short apology in the user's language. Never a stack trace in Slack.
 */
import type { App, webApi } from '@slack/bolt';

type ExtendedErrorHandlerArgs = { error: Error; body?: unknown; context?: { retryNum?: number } };

import { messages } from '../i18n/index.ts';
import type { ListenerDeps } from './context.ts';

type Body = Record<string, unknown> & {
  type?: string;
  command?: string;
  user_id?: string;
  channel_id?: string;
  response_url?: string;
  user?: { id?: string };
  channel?: { id?: string };
  event?: { type?: string; user?: string; channel?: string; ts?: string; thread_ts?: string };
  event_id?: string;
  team_id?: string;
};

function describe(body: Body | undefined) {
  if (!body) return {};
  return {
    type: body.type,
    command: body.command,
    event: body.event?.type,
    eventId: body.event_id,
    user: body.user_id ?? body.user?.id ?? body.event?.user,
    channel: body.channel_id ?? body.channel?.id ?? body.event?.channel,
    team: body.team_id,
  };
}

/** Logs a listener's failure with its context and apologises to the user; also used for deferred answers. */
export function errorReporter(
  client: webApi.WebClient,
  deps: ListenerDeps,
): (args: ExtendedErrorHandlerArgs) => Promise<void> {
  return async ({ error, body, context }: ExtendedErrorHandlerArgs): Promise<void> => {
    const b = body as Body | undefined;
    const where = describe(b);
    deps.logger.error({ err: error, ...where, retry: context?.retryNum }, 'listener failed');
    try {
      const locale = await deps.locale(where.user);
      const text = messages(locale).errors.apology;
      if (b?.response_url) {
        const res = await fetch(b.response_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        });
        if (!res.ok) throw new Error(`response_url answered ${res.status}`);
      } else if (where.user && where.channel) {
        const thread = b?.event?.thread_ts ?? b?.event?.ts;
        await client.chat.postEphemeral({
          channel: where.channel,
          user: where.user,
          text,
          ...(thread ? { thread_ts: thread } : {}),
        });
      }
    } catch (e) {
      deps.logger.warn({ err: e, ...where }, 'could not deliver the apology');
    }
  };
}

export function registerErrorHandler(app: App, client: webApi.WebClient, deps: ListenerDeps): void {
  const handler = errorReporter(client, deps);
  // extendedErrorHandler is on (see app.ts), so Bolt passes { error, logger, context, body }.
  app.error(handler as unknown as Parameters<App['error']>[0]);
}
