/**
 * Buttons, forms, shortcuts and option menus. Every one is acknowledged within Slack's 3 seconds;
 * a button whose action duban no longer knows (an old message) is answered with "this has expired".
 */
import type { BlockAction, ButtonAction, RespondFn, ViewSubmitAction, webApi } from '@slack/bolt';
import { scorecardReply } from '../../../commands/duban.ts';
import { effectsOfReport, replyOf, runPage } from '../../../commands/index.ts';
import { KEEP_AS_NOTE, keepAsNote } from '../../../commands/llm-read.ts';
import { REMIND_DETAILS, REMIND_LOG, REMIND_SNOOZE } from '../../../commands/remind.ts';
import { logReportAndReply, logReportFromAnswer } from '../../../commands/reporting/index.ts';
import { APPROVE, decideReview, SEND_BACK } from '../../../commands/review.ts';
import { runSchedule } from '../../../commands/schedule.ts';
import { type Locale, messages } from '../../i18n/index.ts';
import { renderMessage } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import { performEffects } from '../effects.ts';
import {
  DEPARTMENT_SELECT,
  ITEM_SELECT,
  itemOptions,
  PROGRESS_FORM,
  RETURN_FORM,
  readProgressForm,
  resultView,
  returnForm,
  SNOOZE_FORM,
  snoozeForm,
} from '../forms.ts';
import type { ActionArgs, Router } from '../router.ts';

async function expired(respond: RespondFn | undefined, locale: Locale, text?: string): Promise<void> {
  if (respond)
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: text ?? messages(locale).errors.expired,
    });
}

/** Who clicked, in which language, and where an answer to the click can go. */
async function clickOf(args: ActionArgs, deps: ListenerDeps) {
  const { action, body, respond } = args;
  const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
  const userId = body.user.id;
  const locale = await deps.locale(userId);
  const hasResponseUrl = 'response_url' in body && !!body.response_url;
  const triggerId = (body as BlockAction).trigger_id;
  return { value, userId, locale, hasResponseUrl, triggerId, reply: hasResponseUrl ? respond : undefined };
}

/**
 * One handler per action id (or id family), each acknowledging at once. A button whose action duban
 * no longer knows, or whose subject is gone, is answered "this has expired" by the last one.
 */
export function registerInteractions(router: Router, deps: ListenerDeps): void {
  const gone = async (args: ActionArgs, locale: Locale, reply: RespondFn | undefined) => {
    deps.logger.info(
      { actionId: 'action_id' in args.action ? args.action.action_id : '', user: args.body.user.id },
      'expired or unknown action',
    );
    await expired(reply, locale);
  };

  // Next and previous page of a list: the list again, in place.
  router.action(/^duban\.page\./, async (args) => {
    await args.ack();
    const { value, userId, locale, reply } = await clickOf(args, deps);
    const page = await runPage(value, deps.readContext(userId, locale));
    if (!page) return gone(args, locale, reply);
    await args.respond({ replace_original: true, ...renderMessage(page, locale) });
  });

  // An answer to duban's question about a report ("which figure?", "which item?").
  router.action(/^duban\.choice\./, async (args) => {
    await args.ack();
    const { value, userId, locale, hasResponseUrl, reply } = await clickOf(args, deps);
    const ctx = await deps.context(userId, locale);
    const outcome = await logReportFromAnswer(value, ctx);
    if (outcome.kind === 'expired') return expired(reply, locale, messages(locale).progress.expired);
    if (outcome.kind === 'not_yours') return expired(reply, locale, messages(locale).progress.notYourQuestion);
    const answer = replyOf(outcome);
    if (answer && hasResponseUrl) {
      // The question becomes the answer: "已记录…" in place of the buttons (or the next question).
      if (answer.visibility === 'ephemeral')
        await args.respond({ response_type: 'ephemeral', replace_original: false, ...renderMessage(answer, locale) });
      else await args.respond({ replace_original: true, ...renderMessage(answer, locale) });
    }
    await performEffects(args.client, deps, effectsOfReport(outcome, ctx, 'answer'), { userId, locale });
  });

  // "Keep it as a note" under the model's proposed figures.
  router.action(KEEP_AS_NOTE, async (args) => {
    await args.ack();
    const { value, userId, locale, hasResponseUrl, reply } = await clickOf(args, deps);
    const outcome = await keepAsNote(value, await deps.context(userId, locale));
    if ('kind' in outcome)
      return expired(
        reply,
        locale,
        messages(locale).progress[outcome.kind === 'expired' ? 'expired' : 'notYourQuestion'],
      );
    if (hasResponseUrl) await args.respond({ replace_original: true, ...renderMessage(outcome, locale) });
  });

  // A reminder's buttons: report (the form), snooze (its form), details (the department's scorecard).
  router.action(REMIND_LOG, async (args) => {
    await args.ack();
    const { value, userId, locale, triggerId } = await clickOf(args, deps);
    await performEffects(args.client, deps, [{ type: 'open_form', itemId: value }], { userId, locale, triggerId });
  });
  router.action(REMIND_SNOOZE, async (args) => {
    await args.ack();
    const { value, locale, triggerId } = await clickOf(args, deps);
    await args.client.views.open({ trigger_id: triggerId, view: snoozeForm(value, locale) });
  });
  router.action(REMIND_DETAILS, async (args) => {
    await args.ack();
    const { value, userId, locale, reply } = await clickOf(args, deps);
    const ctx = deps.readContext(userId, locale);
    if (!ctx.model.department(value)) return gone(args, locale, reply);
    await args.respond({
      response_type: 'ephemeral',
      replace_original: false,
      ...renderMessage(scorecardReply(value, ctx), locale),
    });
  });

  // The supervision office's decision on a claim of done: approve at once, send back through a form asking why.
  router.action(APPROVE, async (args) => {
    await args.ack();
    const { value, userId, locale, reply } = await clickOf(args, deps);
    const ctx = await deps.context(userId, locale);
    if (!ctx.isAdmin) return expired(reply, locale, messages(locale).admin.adminsOnly);
    if (!ctx.model.db.reviews.some((r) => r.id === value)) return expired(reply, locale, messages(locale).review.gone);
    await decide(
      args.client,
      deps,
      value,
      'approved',
      undefined,
      userId,
      locale,
      reply ? (r) => args.respond({ replace_original: true, ...renderMessage(r, locale) }) : undefined,
    );
  });
  router.action(SEND_BACK, async (args) => {
    await args.ack();
    const { value, userId, locale, hasResponseUrl, triggerId, reply } = await clickOf(args, deps);
    const ctx = await deps.context(userId, locale);
    if (!ctx.isAdmin) return expired(reply, locale, messages(locale).admin.adminsOnly);
    if (!ctx.model.db.reviews.some((r) => r.id === value)) return expired(reply, locale, messages(locale).review.gone);
    const responseUrl = hasResponseUrl ? (args.body as BlockAction & { response_url: string }).response_url : undefined;
    await args.client.views.open({ trigger_id: triggerId, view: returnForm(value, responseUrl, locale) });
  });

  // Anything else: a button from an older version of duban, or one it never sent.
  router.otherwise('action', async (args) => {
    await args.ack();
    const { locale, reply } = await clickOf(args, deps);
    await gone(args, locale, reply);
  });

  router.options(ITEM_SELECT, async ({ ack, body, options }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const isAdmin = await deps.admins.isAdmin(userId);
    // The department chosen in the same form, if any, narrows the items offered.
    const state = (
      body as {
        view?: { state?: { values?: Record<string, Record<string, { selected_option?: { value?: string } | null }>> } };
      }
    ).view?.state?.values;
    const departmentId = state?.[DEPARTMENT_SELECT]?.[DEPARTMENT_SELECT]?.selected_option?.value ?? undefined;
    await ack({ options: itemOptions(deps.store.model(), userId, isAdmin, options.value ?? '', locale, departmentId) });
  });
  router.otherwise('options', async ({ ack }) => {
    await ack({ options: [] });
  });

  router.view(PROGRESS_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const { input, errors } = readProgressForm(view.state.values as Parameters<typeof readProgressForm>[0], locale);
    if (Object.keys(errors).length > 0 || !input.itemId) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const ctx = await deps.context(userId, locale);
    const fields = {
      ...(input.value !== undefined ? { value: input.value } : {}),
      ...(input.percent !== undefined ? { percent: input.percent } : {}),
      ...(input.state ? { state: input.state } : {}),
    };
    // Recorded before the form closes, so what the person sees in it is already on disk.
    const outcome = await logReportAndReply(
      {
        itemId: input.itemId,
        fields,
        ...(input.note ? { note: input.note } : {}),
        evidence: input.evidence,
        source: 'form',
      },
      ctx,
    );
    if (outcome.kind === 'refused') {
      await ack({ response_action: 'errors', errors: { item: (outcome.reply.text || '').slice(0, 150) } });
      return;
    }
    const answer = replyOf(outcome);
    await ack(answer ? { response_action: 'update', view: resultView(answer, locale) } : undefined);
    await performEffects(client, deps, effectsOfReport(outcome, ctx, 'form'), { userId, locale });
  });

  router.view(RETURN_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const reason = (view.state.values.reason?.reason?.value ?? '').trim();
    if (!reason) {
      await ack({ response_action: 'errors', errors: { reason: messages(locale).review.needReason } });
      return;
    }
    await ack();
    let meta: { reviewId?: string; responseUrl?: string } = {};
    try {
      meta = JSON.parse((view as ViewSubmitAction['view']).private_metadata || '{}');
    } catch {
      meta = {};
    }
    if (!meta.reviewId) return;
    const responseUrl = meta.responseUrl;
    const update = responseUrl
      ? async (r: Parameters<typeof renderMessage>[0]) => {
          await fetch(responseUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ replace_original: true, ...renderMessage(r, locale) }),
          });
        }
      : undefined;
    await decide(client, deps, meta.reviewId, 'returned', reason, userId, locale, update);
  });

  router.view(SNOOZE_FORM, async ({ ack, view, body }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const days = (view.state.values.days?.days?.value ?? '').trim();
    const reason = (view.state.values.reason?.reason?.value ?? '').trim();
    const m = messages(locale).remind;
    const errors: Record<string, string> = {};
    if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 30) errors.days = m.badDays;
    if (!reason) errors.reason = m.needReason;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const ctx = await deps.context(userId, locale);
    const reply = await runSchedule('snooze', `${view.private_metadata} ${days} ${reason}`, ctx);
    await ack({ response_action: 'update', view: resultView(reply, locale) });
  });

  router.otherwise('view', async ({ ack, view }) => {
    deps.logger.info({ callbackId: view.callback_id }, 'unknown view submission closed');
    await ack();
  });

  router.otherwise('shortcut', async ({ ack, shortcut, respond }) => {
    await ack();
    deps.logger.info({ callbackId: shortcut.callback_id }, 'unknown shortcut');
    if ('response_url' in shortcut && shortcut.response_url) {
      const locale = await deps.locale(shortcut.user.id);
      await respond({ response_type: 'ephemeral', text: messages(locale).errors.expired });
    }
  });
}

/** Records a review decision, updates the request message, and tells the reporter where they reported. */
async function decide(
  client: webApi.WebClient,
  deps: ListenerDeps,
  reviewId: string,
  decision: 'approved' | 'returned',
  reason: string | undefined,
  userId: string,
  locale: Locale,
  updateRequest: ((r: Parameters<typeof renderMessage>[0]) => Promise<unknown>) | undefined,
): Promise<void> {
  const ctx = await deps.context(userId, locale);
  const outcome = await decideReview(reviewId, decision, reason, ctx);
  if (outcome.kind !== 'decided') return;
  if (updateRequest) await updateRequest(outcome.decidedReply);
  const history = await deps.store.history({ itemId: outcome.review.itemId });
  const original = history.find((e) => e.type === 'update' && e.update.id === outcome.review.updateId);
  const where = original?.type === 'update' ? original.update.message : undefined;
  const reporterLocale = await deps.locale(outcome.review.requestedBy);
  const target = where
    ? { channel: where.channel, threadTs: where.threadTs ?? where.ts }
    : { channel: outcome.review.requestedBy };
  await deliver(client, deps, outcome.reporterReply, reporterLocale, target);
}

export type { ButtonAction };
