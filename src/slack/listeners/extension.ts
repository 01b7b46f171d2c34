/**
 * 延期申请 in Slack: the detail view's "申请延期" button and its form, the request posted to the
 * supervision office with 批准 / 不批准, the refusal's reason form, and the requester told the outcome.
 * Registered before interactions.ts, whose last handlers take any button and any form.
 */
import type { BlockAction, types, webApi } from '@slack/bolt';
import {
  APPROVE,
  deadlineText,
  decideExtension,
  extensionRequestReply,
  FORM,
  OPEN_FORM,
  REFUSE,
  REFUSE_FORM,
  requestExtension,
  requesterReply,
} from '../../../commands/extension.ts';
import type { Reply } from '../../../commands/reply.ts';
import { reviewDestinations } from '../../../commands/review.ts';
import { findExtension } from '../../domain/extension.ts';
import { type Locale, messages, pick } from '../../i18n/index.ts';
import { renderMessage, truncate } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import { resultView } from '../forms.ts';
import type { ActionArgs, Router } from '../router.ts';
import { registerEvidence } from './evidence.ts';

function plain(text: string, max = 75) {
  return { type: 'plain_text' as const, text: truncate(text, max) || ' ', emoji: true };
}

/** The form: the new date and the reason, for one item. */
export function extensionForm(itemId: string, itemLine: string, locale: Locale): types.View {
  const m = messages(locale).extension;
  return {
    type: 'modal',
    callback_id: FORM,
    private_metadata: itemId,
    title: plain(m.formTitle, 24),
    submit: plain(m.submit, 24),
    close: plain(m.cancel, 24),
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: truncate(itemLine, 3000) || ' ' } },
      {
        type: 'input',
        block_id: 'date',
        label: plain(m.dateLabel),
        element: { type: 'datepicker', action_id: 'date' },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: plain(m.reasonLabel),
        element: {
          type: 'plain_text_input',
          action_id: 'reason',
          multiline: true,
          max_length: 1000,
          placeholder: plain(m.reasonHint, 150),
        },
      },
    ],
  };
}

function refuseForm(requestId: string, responseUrl: string | undefined, locale: Locale): types.View {
  const m = messages(locale).extension;
  return {
    type: 'modal',
    callback_id: REFUSE_FORM,
    private_metadata: JSON.stringify({ requestId, ...(responseUrl ? { responseUrl } : {}) }),
    title: plain(m.refuseTitle, 24),
    submit: plain(m.refuse, 24),
    close: plain(m.cancel, 24),
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: plain(m.refuseLabel),
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 1000 },
      },
    ],
  };
}

/** Posts a recorded request to the supervision channel, or to each admin directly. */
export async function postExtensionRequest(
  client: webApi.WebClient,
  deps: ListenerDeps,
  requestId: string,
): Promise<void> {
  const found = findExtension(deps.store.model().db.extensions, requestId);
  if (!found) return;
  // Written for the office, in the office's default language.
  const ctx = deps.readContext(undefined, deps.defaultLocale);
  const reply = extensionRequestReply(found.itemId, found.request, ctx);
  const destinations = reviewDestinations(ctx, await deps.admins.all());
  if (destinations.length === 0)
    deps.logger.warn(
      { requestId },
      'no supervision channel or admin to send the extension request to; set one with /duban review-channel',
    );
  for (const channel of destinations) {
    try {
      await deliver(client, deps, reply, deps.defaultLocale, { channel });
    } catch (e) {
      deps.logger.error({ err: e, requestId, channel }, 'could not deliver the extension request');
    }
  }
}

async function answer(args: ActionArgs, text: string): Promise<void> {
  if ('response_url' in args.body && args.body.response_url)
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
}

export function registerExtension(router: Router, deps: ListenerDeps): void {
  // 销号 with evidence: its one button, the office's waiver, registered here with the rest of the cycle.
  registerEvidence(router, deps);
  router.action(OPEN_FORM, async (args) => {
    await args.ack();
    const userId = args.body.user.id;
    const locale = await deps.locale(userId);
    const itemId = 'value' in args.action && typeof args.action.value === 'string' ? args.action.value : '';
    const ctx = deps.readContext(userId, locale);
    const found = ctx.model.item(itemId);
    if (!found) return answer(args, messages(locale).errors.expired);
    const line = messages(locale).extension.formItem(pick(found.item.name, locale), deadlineText(found.item, ctx));
    await args.client.views.open({
      trigger_id: (args.body as BlockAction).trigger_id,
      view: extensionForm(itemId, line, locale),
    });
  });

  router.view(FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const m = messages(locale).extension;
    const to = view.state.values.date?.date?.selected_date ?? '';
    const reason = (view.state.values.reason?.reason?.value ?? '').trim();
    const errors: Record<string, string> = {};
    if (!to) errors.date = m.needDate;
    if (!reason) errors.reason = m.needReason;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const ctx = await deps.context(userId, locale);
    const outcome = await requestExtension(view.private_metadata, to, reason.slice(0, 1000), ctx);
    if (outcome.kind === 'refused' && outcome.field === 'date') {
      await ack({ response_action: 'errors', errors: { date: outcome.reply.text.slice(0, 150) } });
      return;
    }
    // Recorded before the form shows it; a refusal (past the deadline, one pending) is said in full.
    await ack({ response_action: 'update', view: resultView(outcome.reply, locale) });
    if (outcome.kind === 'requested') await postExtensionRequest(client, deps, outcome.request.id);
  });

  router.action(APPROVE, async (args) => {
    await args.ack();
    const userId = args.body.user.id;
    const locale = await deps.locale(userId);
    const requestId = 'value' in args.action && typeof args.action.value === 'string' ? args.action.value : '';
    const ctx = await deps.context(userId, locale);
    if (!ctx.isAdmin) return answer(args, messages(locale).admin.adminsOnly);
    const found = findExtension(ctx.model.db.extensions, requestId);
    if (found?.request.status !== 'pending') return answer(args, messages(locale).extension.gone);
    const hasUrl = 'response_url' in args.body && !!args.body.response_url;
    await decide(args.client, deps, requestId, 'approved', undefined, userId, locale, (r) =>
      hasUrl ? args.respond({ replace_original: true, ...renderMessage(r, locale) }) : Promise.resolve(),
    );
  });

  router.action(REFUSE, async (args) => {
    await args.ack();
    const userId = args.body.user.id;
    const locale = await deps.locale(userId);
    const requestId = 'value' in args.action && typeof args.action.value === 'string' ? args.action.value : '';
    const ctx = await deps.context(userId, locale);
    if (!ctx.isAdmin) return answer(args, messages(locale).admin.adminsOnly);
    const found = findExtension(ctx.model.db.extensions, requestId);
    if (found?.request.status !== 'pending') return answer(args, messages(locale).extension.gone);
    const body = args.body as BlockAction & { response_url?: string };
    await args.client.views.open({
      trigger_id: body.trigger_id,
      view: refuseForm(requestId, body.response_url, locale),
    });
  });

  router.view(REFUSE_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const reason = (view.state.values.reason?.reason?.value ?? '').trim();
    if (!reason) {
      await ack({ response_action: 'errors', errors: { reason: messages(locale).extension.needRefuseReason } });
      return;
    }
    await ack();
    let meta: { requestId?: string; responseUrl?: string } = {};
    try {
      meta = JSON.parse(view.private_metadata || '{}');
    } catch {
      meta = {};
    }
    if (!meta.requestId) return;
    const responseUrl = meta.responseUrl;
    await decide(client, deps, meta.requestId, 'refused', reason, userId, locale, async (r) => {
      if (!responseUrl) return;
      await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ replace_original: true, ...renderMessage(r, locale) }),
      });
    });
  });
}

/** Records the decision, replaces the request's buttons with it, and tells the requester directly. */
async function decide(
  slack: webApi.WebClient,
  deps: ListenerDeps,
  requestId: string,
  decision: 'approved' | 'refused',
  reason: string | undefined,
  userId: string,
  locale: Locale,
  updateRequest: (r: Reply) => Promise<unknown>,
): Promise<void> {
  const ctx = await deps.context(userId, locale);
  const outcome = await decideExtension(requestId, decision, reason, ctx);
  if (outcome.kind !== 'decided') return;
  await updateRequest(outcome.decidedReply);
  const requester = outcome.request.requestedBy;
  const requesterLocale = await deps.locale(requester);
  const told = decideExtensionNotice(deps, outcome.itemId, requestId, decision, reason, requesterLocale);
  if (told) await deliver(slack, deps, told, requesterLocale, { channel: requester });
}

/** The requester's notice, in their language, from the state after the decision. */
function decideExtensionNotice(
  deps: ListenerDeps,
  itemId: string,
  requestId: string,
  decision: 'approved' | 'refused',
  reason: string | undefined,
  locale: Locale,
): Reply | undefined {
  const ctx = deps.readContext(undefined, locale);
  const request = findExtension(ctx.model.db.extensions, requestId)?.request;
  return request ? requesterReply(itemId, request, decision, reason, ctx) : undefined;
}
