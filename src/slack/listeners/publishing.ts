/**
 * 批准发布 / 退回 on a preview of the bulletin or the monthly report (commands/publishing.ts). Approving
 * publishes to the bulletin channel (a bulletin with its ranking chart, as previewed, in the post's
 * thread) and turns the preview into who approved it and where it went;
 * 退回 asks the reason in a form. A second click, or one by someone who is not an admin, is answered
 * to the clicker alone.
 */
import type { BlockAction, RespondFn, types, ViewSubmitAction } from '@slack/bolt';
import { canWrite } from '../../../commands/context.ts';
import {
  alreadyDecided,
  approveAndPublish,
  PUBLISH_APPROVE,
  PUBLISH_RETURN,
  PUBLISH_RETURN_FORM,
  type PublishOutcome,
  publicationState,
  returnPublication,
  rollupAsPreviewed,
} from '../../../commands/publishing.ts';
import type { Reply } from '../../../commands/reply.ts';
import { rankingChart } from '../../charts/specs/ranking.ts';
import { type Locale, messages } from '../../i18n/index.ts';
import { chartKey, postChartOnce } from '../../scheduler/chart-posts.ts';
import { renderMessage, truncate } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import { createMessenger } from '../messenger.ts';
import type { ActionArgs, Router } from '../router.ts';

type View = types.View;

const plain = (text: string, max = 24) => ({
  type: 'plain_text' as const,
  text: truncate(text, max) || ' ',
  emoji: true,
});

function returnForm(id: string, responseUrl: string | undefined, locale: Locale): View {
  const m = messages(locale).scoring;
  return {
    type: 'modal',
    callback_id: PUBLISH_RETURN_FORM,
    private_metadata: JSON.stringify({ id, ...(responseUrl ? { responseUrl } : {}) }),
    title: plain(m.returnTitle),
    submit: plain(m.returnSubmit),
    close: plain(m.cancel),
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: plain(m.returnLabel, 75),
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 1000 },
      },
    ],
  };
}

async function tell(respond: RespondFn | undefined, text: string): Promise<void> {
  if (respond) await respond({ response_type: 'ephemeral', replace_original: false, text });
}

/** What a click that did not decide anything says, or undefined when it did. */
function refusal(outcome: PublishOutcome, locale: Locale): string | undefined {
  const m = messages(locale);
  switch (outcome.kind) {
    case 'not_admin':
      return m.admin.adminsOnly;
    case 'gone':
      return m.errors.expired;
    case 'no_channel':
      return m.scoring.noChannel;
    case 'decided':
      return alreadyDecided(outcome.record, locale);
    case 'superseded':
      return m.scoring.superseded;
    case 'done':
      return undefined;
  }
}

export function registerPublishing(router: Router, deps: ListenerDeps): void {
  const clickOf = async (args: ActionArgs) => {
    const { action, body } = args;
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const responseUrl = 'response_url' in body && body.response_url ? String(body.response_url) : undefined;
    return { value, userId, locale, responseUrl, reply: responseUrl ? args.respond : undefined };
  };

  router.action(PUBLISH_APPROVE, async (args) => {
    await args.ack();
    const { value, userId, locale, reply } = await clickOf(args);
    const ctx = await deps.context(userId, locale);
    if (!canWrite(ctx)) return tell(reply, messages(locale).admin.adminsOnly);
    const messenger = createMessenger(args.client);
    const outcome = await approveAndPublish(value, ctx, async (channel, content) => {
      await ctx.channels?.ensure(channel);
      // Published in the office's language, as it was previewed.
      return messenger.post(channel, content, deps.defaultLocale);
    });
    const refused = refusal(outcome, locale);
    if (refused) return tell(reply, refused);
    if (outcome.kind === 'done' && reply)
      await args.respond({ replace_original: true, ...renderMessage(outcome.reply, locale) });
    // The bulletin's chart, as previewed, in the thread of the published post: once (src/scheduler/chart-posts.ts).
    const published = outcome.kind === 'done' ? outcome.published : undefined;
    const snapshot = published?.record.kind === 'bulletin' ? published.record.snapshot : undefined;
    if (published && snapshot)
      await postChartOnce(
        { ...deps, upload: messenger.upload },
        chartKey(`publish:${value}`, published.channel),
        published,
        () => {
          const model = deps.store.model();
          const period = published.record.period;
          const rollup = rollupAsPreviewed(model, snapshot, period);
          return rankingChart(rollup, model.db.meta.zone, period, deps.defaultLocale);
        },
        messages(deps.defaultLocale).chartPost.bulletinComment,
      );
  });

  router.action(PUBLISH_RETURN, async (args) => {
    await args.ack();
    const { value, userId, locale, responseUrl, reply } = await clickOf(args);
    if (!(await deps.admins.isAdmin(userId))) return tell(reply, messages(locale).admin.adminsOnly);
    const record = publicationState(deps.store.model(), value);
    if (!record) return tell(reply, messages(locale).errors.expired);
    if (record.status !== 'pending') return tell(reply, alreadyDecided(record, locale));
    await args.client.views.open({
      trigger_id: (args.body as BlockAction).trigger_id,
      view: returnForm(value, responseUrl, locale),
    });
  });

  router.view(PUBLISH_RETURN_FORM, async ({ ack, view, body }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const reason = (view.state.values.reason?.reason?.value ?? '').trim();
    if (!reason) {
      await ack({ response_action: 'errors', errors: { reason: messages(locale).scoring.needReason } });
      return;
    }
    let meta: { id?: string; responseUrl?: string } = {};
    try {
      meta = JSON.parse((view as ViewSubmitAction['view']).private_metadata || '{}');
    } catch {
      meta = {};
    }
    const ctx = await deps.context(userId, locale);
    if (!meta.id || !canWrite(ctx)) {
      await ack();
      return;
    }
    // Recorded before the form closes; one decided meanwhile (another admin) keeps the form open, saying so.
    const outcome = await returnPublication(meta.id, reason, ctx);
    const refused = refusal(outcome, locale);
    if (refused) {
      await ack({ response_action: 'errors', errors: { reason: truncate(refused, 150) } });
      return;
    }
    await ack();
    if (outcome.kind === 'done' && meta.responseUrl) await replaceOriginal(meta.responseUrl, outcome.reply, locale);
  });
}

async function replaceOriginal(responseUrl: string, reply: Reply, locale: Locale): Promise<void> {
  await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ replace_original: true, ...renderMessage(reply, locale) }),
  });
}
