/**
 * 交办 from any message, and 签收: the "转为督办事项" message shortcut opens the form prefilled from
 * the message (/duban assign opens it empty, through the open_assign_form effect); its submission
 * records the item, then posts it to the lead and supporting departments with a 签收 button; a click
 * on that button records who signed. Registered before interactions.ts, whose last handlers take any id.
 */
import type { BlockAction, MessageShortcut, RespondFn, webApi } from '@slack/bolt';
import {
  type Assigned,
  assignedReply,
  assignmentMessage,
  assignRefusal,
  recordAssignment,
  SIGN,
  signedAt,
  signItem,
  signRefusal,
} from '../../../commands/assign.ts';
import type { WriteContext } from '../../../commands/context.ts';
import { type Mrkdwn, md, type Reply, trusted } from '../../../commands/reply.ts';
import { checkAssignInput, readAssignment } from '../../domain/assign.ts';
import { reportersOf } from '../../domain/permissions.ts';
import { calendarOf } from '../../domain/read-model.ts';
import type { MessageRef } from '../../domain/schema.ts';
import { type Locale, messages } from '../../i18n/index.ts';
import {
  ASSIGN_FORM,
  ASSIGN_SHORTCUT,
  assignErrors,
  assignedView,
  assignForm,
  decodeOrigin,
  readAssignForm,
} from '../assign-form.ts';
import { renderMessage } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import type { Router } from '../router.ts';

/** The form for /duban assign (empty) or the shortcut (prefilled), opened with the request's trigger id. */
export async function openAssignForm(
  client: webApi.WebClient,
  ctx: WriteContext,
  triggerId: string,
  message?: { text: string; channel: string; ts: string; threadTs?: string },
): Promise<void> {
  const data = ctx.scheduler?.calendarData ?? ctx.model.calendar;
  const calendar = data ? calendarOf(ctx.model, data) : undefined;
  const draft = message ? readAssignment(message.text, ctx.model.db.departments, ctx.today, calendar) : {};
  const origin = message
    ? {
        channel: message.channel,
        ts: message.ts,
        ...(message.threadTs ? { threadTs: message.threadTs } : {}),
        ...('quote' in draft && draft.quote ? { quote: draft.quote } : {}),
      }
    : {};
  await client.views.open({ trigger_id: triggerId, view: assignForm(ctx.model, ctx.locale, draft, origin) });
}

export function registerAssign(router: Router, deps: ListenerDeps): void {
  router.shortcut(ASSIGN_SHORTCUT, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const s = shortcut as MessageShortcut;
    const userId = s.user.id;
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const refusal = assignRefusal(ctx);
    if (refusal) {
      if (s.response_url) await respond({ response_type: 'ephemeral', ...renderMessage(refusal, locale) });
      return;
    }
    const m = s.message as { text?: string; ts: string; thread_ts?: string };
    await openAssignForm(client, ctx, s.trigger_id, {
      text: m.text ?? '',
      channel: s.channel.id,
      ts: m.ts,
      ...(m.thread_ts && m.thread_ts !== m.ts ? { threadTs: m.thread_ts } : {}),
    });
  });

  router.view(ASSIGN_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const refusal = assignRefusal(ctx);
    if (refusal) {
      await ack({ response_action: 'errors', errors: { name: refusal.text.slice(0, 150) } });
      return;
    }
    const input = readAssignForm(view.state.values as Parameters<typeof readAssignForm>[0]);
    const problems = checkAssignInput(input, ctx.model.db.departments, ctx.today);
    if (Object.keys(problems).length > 0 || !input.leadId || !input.deadline) {
      await ack({ response_action: 'errors', errors: assignErrors(problems, ctx.today, locale) });
      return;
    }
    const origin = decodeOrigin(view.private_metadata);
    const message: MessageRef | undefined =
      origin.channel && origin.ts
        ? { channel: origin.channel, ts: origin.ts, ...(origin.threadTs ? { threadTs: origin.threadTs } : {}) }
        : undefined;
    const link = message ? await permalink(client, deps, message) : undefined;
    // On disk before the form says so, and before any department is told.
    const assigned = await recordAssignment(
      { ...input, leadId: input.leadId, deadline: input.deadline },
      { ...(link ? { link } : {}), ...(message ? { message } : {}), ...(origin.quote ? { quote: origin.quote } : {}) },
      ctx,
    );
    const { notified, missed } = destinations(deps, assigned);
    await ack({
      response_action: 'update',
      view: assignedView(assignedReply(assigned, notified, missed, { ...ctx, model: deps.store.model() }), locale),
    });
    await notify(client, deps, assigned);
  });

  router.action(SIGN, async (args) => {
    await args.ack();
    const action = args.action as { value?: string };
    const body = args.body as BlockAction;
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const value = action.value ?? '';
    const ctx = await deps.context(userId, locale);
    const outcome = await signItem(value, ctx);
    const reply: RespondFn | undefined = body.response_url ? args.respond : undefined;
    if (!reply) return;
    if (outcome.kind !== 'signed') {
      await reply({
        response_type: 'ephemeral',
        replace_original: false,
        ...renderMessage(signRefusal(outcome, ctx), locale),
      });
      return;
    }
    const [, messageDepartment, from] = value.split(' ');
    if (from !== 'reminder' && messageDepartment === outcome.departmentId) {
      // The assignment message itself: its button becomes who signed, when.
      const office = deps.readContext(undefined, deps.defaultLocale);
      await reply({
        replace_original: true,
        ...renderMessage(
          assignmentMessage(outcome.item, outcome.departmentId, office, outcome.signature),
          deps.defaultLocale,
        ),
      });
      return;
    }
    // A reminder, or another department's message: the signer alone is told.
    const line = signedLine(outcome.signature, ctx.model.timeZone, locale);
    await reply({
      response_type: 'ephemeral',
      replace_original: false,
      ...renderMessage(
        { text: messages(locale).assign.sign, blocks: [{ type: 'section', text: line }], visibility: 'ephemeral' },
        locale,
      ),
    });
  });
}

function signedLine(signature: { by: string; at: string }, timeZone: string, locale: Locale): Mrkdwn {
  const m = messages(locale).assign;
  return trusted(`✅ ${m.signedLine(`<@${signature.by}>`, md`${signedAt(signature.at, timeZone)}`.mrkdwn)}`);
}

/** How long the form's submission waits for the message's link; the message reference is kept either way. */
const PERMALINK_MS = 1_500;

async function permalink(client: webApi.WebClient, deps: ListenerDeps, ref: MessageRef): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    // Slack must have its answer to the submission within 3 seconds: a slow or retried call gives up the link.
    const res = await Promise.race([
      client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts }),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), PERMALINK_MS);
      }),
    ]);
    const link = res?.permalink;
    return typeof link === 'string' && /^https?:\/\//.test(link) ? link : undefined;
  } catch (e) {
    deps.logger.warn({ err: (e as Error).message, channel: ref.channel }, 'could not get the permalink of a message');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Each department of the item: told in its channel, or its people directly, or (neither) not at all. */
function destinations(deps: ListenerDeps, assigned: Assigned): { notified: string[]; missed: string[] } {
  const model = deps.store.model();
  const notified: string[] = [];
  const missed: string[] = [];
  for (const id of [assigned.item.departmentId, ...assigned.item.coDepartmentIds]) {
    const d = model.department(id);
    if (d && (d.channelId || reportersOf(d).length > 0)) notified.push(id);
    else missed.push(id);
  }
  return { notified, missed };
}

/** Posts the assignment to each department, in the office's language; a failure for one does not stop the others. */
async function notify(client: webApi.WebClient, deps: ListenerDeps, assigned: Assigned): Promise<void> {
  const model = deps.store.model();
  const office = deps.readContext(undefined, deps.defaultLocale);
  for (const id of [assigned.item.departmentId, ...assigned.item.coDepartmentIds]) {
    const d = model.department(id);
    if (!d) continue;
    const reply: Reply = assignmentMessage(assigned.item, id, office);
    const targets = d.channelId ? [d.channelId] : reportersOf(d);
    for (const channel of targets) {
      try {
        await deliver(client, deps, reply, deps.defaultLocale, { channel });
      } catch (e) {
        deps.logger.error({ err: e, item: assigned.item.id, department: id, channel }, 'could not post an assignment');
      }
    }
  }
}
