/**
 * 督办单 through Slack: the document poster (numbering and posting, src/documents/issue.ts, with Slack's
 * external upload to the department's channel), used by the scheduler's escalations and by 发出; the
 * preview sent to an admin's DM with 发出 / 取消; and the template form with its 预览. Registered before
 * interactions.ts, whose last handlers take any button and form nobody claimed.
 */
import { randomUUID } from 'node:crypto';
import type { types, webApi } from '@slack/bolt';
import type { ChannelPort } from '../../../commands/context.ts';
import {
  channelNoteReply,
  checkTemplates,
  DOCUMENT_CANCEL,
  DOCUMENT_SEND,
  DOCUMENT_TEMPLATES_FORM,
  DOCUMENT_TEMPLATES_PREVIEW,
  type DocumentEffect,
  noteReply,
  type PreviewValue,
  parsePreviewValue,
  previewReply,
  saveTemplates,
  type TemplateFields,
} from '../../../commands/documents.ts';
import { failedOutcome, RUN_OUTCOME } from '../../../commands/schedule.ts';
import { answerBy, documentFile, documentOf, type IssueOutcome, issueDocument } from '../../documents/issue.ts';
import { PLACEHOLDERS, templatesOf } from '../../documents/template.ts';
import type { CalendarData } from '../../domain/calendar.ts';
import { DOCUMENT_LEVELS, documentStepKey, levelOfEscalation } from '../../domain/documents.ts';
import { own } from '../../domain/lookup.ts';
import { isBehind } from '../../domain/status.ts';
import { type Locale, messages } from '../../i18n/index.ts';
import { chineseCalendarData } from '../../scheduler/holidays.ts';
import { departmentName } from '../../words/status.ts';
import { renderMessage, truncate } from '../blocks.ts';
import type { ListenerDeps, SlackDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import type { Router } from '../router.ts';
import { uploadFiles, uploadToDm } from '../upload.ts';

export type DocumentPoster = {
  issue(request: Parameters<typeof issueDocument>[1]): Promise<IssueOutcome>;
  /** The document an escalation calls for (level 1 → 提示单, 2 → 督办单, 3+ → 督办函), once per step. */
  escalated(step: { slot: string; departmentId: string; level: number; itemIds: readonly string[] }): Promise<string>;
  /**
   * Posts again, with their numbers, the documents of a run's escalations that could not be posted: the
   * escalation itself is not planned again once sent, so a run retried for its failures comes here.
   */
  retryFailed(slot: string): Promise<Record<string, string>>;
};

export function createDocumentPoster(
  client: webApi.WebClient,
  deps: SlackDeps & { calendarData: CalendarData; channels?: ChannelPort },
): DocumentPoster {
  const issue = (request: Parameters<typeof issueDocument>[1]) =>
    issueDocument(
      {
        store: deps.store,
        clock: deps.clock,
        timeZone: deps.timeZone,
        calendarData: deps.calendarData,
        locale: deps.defaultLocale,
        upload: async (channel, file, comment) => {
          // A public channel duban is not in is joined first; a private one answers not_in_channel below.
          await deps.channels?.ensure(channel);
          await uploadFiles(client, [file], { channel, comment });
        },
      },
      request,
    );
  const outcomeOf = (outcome: IssueOutcome): string => {
    switch (outcome.kind) {
      case 'sent':
        return RUN_OUTCOME.sent;
      case 'already_sent':
        return RUN_OUTCOME.alreadySent;
      case 'in_flight':
        return RUN_OUTCOME.wasSending;
      case 'no_channel':
        return RUN_OUTCOME.nobody;
      case 'failed':
        return failedOutcome(outcome.error);
    }
  };
  return {
    issue,
    async retryFailed(slot) {
      const db = deps.store.model().db;
      const out: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const [key, record] of Object.entries(db.documents)) {
        if (!key.startsWith(`escalation:${slot}:`) || own(db.deliveries, `document:${key}`)?.status !== 'failed')
          continue;
        const outcome = await issue({ key, ...record });
        out[`${record.departmentId}:document${DOCUMENT_LEVELS.indexOf(record.level) + 1}`] = outcomeOf(outcome);
      }
      return out;
    },
    async escalated(step) {
      const level = levelOfEscalation(step.level);
      const outcome = await issue({
        key: documentStepKey({ kind: 'escalation', slot: step.slot, departmentId: step.departmentId, level }),
        level,
        departmentId: step.departmentId,
        itemIds: step.itemIds.slice(0, 100),
        by: 'duban',
      });
      if (outcome.kind !== 'sent' && outcome.kind !== 'already_sent')
        deps.logger.warn({ step, outcome: outcome.kind }, 'the escalation’s document was not posted');
      return outcomeOf(outcome);
    },
  };
}

const calendarOfCtx = (ctx: { scheduler?: { calendarData: CalendarData } }) =>
  ctx.scheduler?.calendarData ?? chineseCalendarData();

/** The preview: the unnumbered .docx in the admin's DM, then the message with 发出 / 取消. */
async function sendPreview(
  client: webApi.WebClient,
  deps: ListenerDeps,
  effect: Extract<DocumentEffect, { type: 'document_preview' }>,
  userId: string,
  locale: Locale,
): Promise<void> {
  const ctx = await deps.context(userId, locale);
  const data = calendarOfCtx(ctx);
  const facts = { level: effect.level, departmentId: effect.departmentId, itemIds: effect.itemIds, today: ctx.today };
  const doc = documentOf(ctx.model, data, facts);
  const department = ctx.model.department(effect.departmentId);
  const label = department ? departmentName(department, 'zh-CN') : effect.departmentId;
  const w = messages(locale).documents;
  await uploadToDm(
    client,
    userId,
    [await documentFile(doc, label)],
    w.previewComment(w.level[effect.level], department ? departmentName(department, locale) : label),
  );
  const value: PreviewValue = {
    p: randomUUID().slice(0, 12),
    l: effect.level,
    d: effect.departmentId,
    i: effect.itemIds,
  };
  const deadline = answerBy(ctx.model, data, ctx.today, effect.level);
  await deliver(client, deps, previewReply(value, deadline, ctx), locale, { channel: userId });
}

function templatesForm(deps: ListenerDeps, locale: Locale): types.View {
  const w = messages(locale).documents;
  const current = templatesOf(deps.store.model().db.settings);
  const plain = (text: string, max = 75) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
  const input = (blockId: keyof TemplateFields, label: string, initial: string, multiline: boolean) => ({
    type: 'input' as const,
    block_id: blockId,
    optional: true,
    label: plain(label, 2000),
    element: {
      type: 'plain_text_input' as const,
      action_id: 'value',
      multiline,
      max_length: multiline ? 1000 : 60,
      initial_value: initial,
    },
  });
  return {
    type: 'modal',
    callback_id: DOCUMENT_TEMPLATES_FORM,
    title: plain(w.templateTitle, 24),
    submit: plain(w.save, 24),
    close: plain(w.cancel, 24),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(w.templateIntro(PLACEHOLDERS.map((p) => `{${p}}`).join(' ')), 3000) },
      },
      ...DOCUMENT_LEVELS.map((level) => input(level, w.titleField(w.level[level]), current.title[level], false)),
      input('body', w.bodyField, current.body, true),
      input('requirement', w.requirementField, current.requirement, true),
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: DOCUMENT_TEMPLATES_PREVIEW, text: plain(w.preview), value: 'preview' }],
      },
    ],
  };
}

type FormValues = Record<string, Record<string, { value?: string | null }>>;

function readTemplateFields(values: FormValues): TemplateFields {
  const fields: TemplateFields = {};
  for (const key of [...DOCUMENT_LEVELS, 'body', 'requirement'] as const) {
    const v = values[key]?.value?.value;
    if (typeof v === 'string') fields[key] = v;
  }
  return fields;
}

/** The command's effects that need Slack: the preview, or the template form. */
export async function performDocumentEffect(
  client: webApi.WebClient,
  deps: ListenerDeps,
  effect: DocumentEffect,
  request: { userId: string; locale: Locale; triggerId?: string },
): Promise<void> {
  if (effect.type === 'document_preview') {
    await sendPreview(client, deps, effect, request.userId, request.locale);
  } else if (request.triggerId) {
    await client.views.open({ trigger_id: request.triggerId, view: templatesForm(deps, request.locale) });
  }
}

export function registerDocuments(router: Router, deps: ListenerDeps, poster: DocumentPoster): void {
  router.action(DOCUMENT_SEND, async ({ ack, action, body, respond }) => {
    await ack();
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const m = messages(locale);
    const note = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    if (!ctx.isAdmin) return void (await note(m.admin.adminsOnly));
    const value = parsePreviewValue((action as { value?: string }).value ?? '');
    if (!value) return void (await note(m.documents.usage));
    const outcome = await poster.issue({
      key: documentStepKey({ kind: 'manual', previewId: value.p, level: value.l }),
      level: value.l,
      departmentId: value.d,
      itemIds: value.i,
      by: userId,
    });
    const w = m.documents;
    if (outcome.kind === 'no_channel') {
      const d = ctx.model.department(value.d);
      return void (await note(w.noChannel(d ? departmentName(d, locale) : value.d)));
    }
    const number = messages('zh-CN').documents.number(outcome.record.year, outcome.record.number);
    const level = w.level[outcome.record.level];
    const channel = outcome.record.channel;
    const answerWith = (say: (c: string) => string) =>
      respond({ replace_original: true, ...renderMessage(channelNoteReply(say, channel), locale) });
    deps.logger.info({ user: userId, number, outcome: outcome.kind }, 'document issued');
    if (outcome.kind === 'sent') await answerWith((c) => w.sent(number, level, c));
    else if (outcome.kind === 'failed') await note(w.failed(number));
    else if (outcome.kind === 'in_flight') await note(w.inFlight(number));
    else await answerWith((c) => w.alreadySent(number, level, c));
  });

  router.action(DOCUMENT_CANCEL, async ({ ack, body, respond }) => {
    await ack();
    const locale = await deps.locale(body.user.id);
    if (!(await deps.admins.isAdmin(body.user.id)))
      return void (await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: messages(locale).admin.adminsOnly,
      }));
    await respond({
      replace_original: true,
      ...renderMessage(noteReply(messages(locale).documents.cancelled), locale),
    });
  });

  router.action(DOCUMENT_TEMPLATES_PREVIEW, async ({ ack, body, client }) => {
    await ack();
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const w = messages(locale).documents;
    const tell = (text: string) => deliver(client, deps, noteReply(text), locale, { channel: userId });
    if (!ctx.isAdmin) return void (await tell(messages(locale).admin.adminsOnly));
    const values = ((body as { view?: { state?: { values?: FormValues } } }).view?.state?.values ?? {}) as FormValues;
    const checked = checkTemplates(readTemplateFields(values), locale);
    if (!checked.ok) return void (await tell(Object.values(checked.errors).join('\n')));
    // A sample: the item most behind (or the first), with the wording as it stands in the form.
    const evaluation = ctx.model.evaluate(ctx.today);
    const sample = evaluation.tracked.find(isBehind) ?? evaluation.tracked[0];
    if (!sample) return void (await tell(w.usage));
    const settings = { ...ctx.model.db.settings, documents: { templates: checked.templates } };
    const model = { ...ctx.model, db: { ...ctx.model.db, settings } };
    const doc = documentOf(model, calendarOfCtx(ctx), {
      level: 'supervision',
      departmentId: sample.item.departmentId,
      itemIds: [sample.item.id],
      today: ctx.today,
    });
    await uploadToDm(client, userId, [await documentFile(doc, w.sampleItem)], w.templatePreviewSent);
  });

  router.view(DOCUMENT_TEMPLATES_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const w = messages(locale).documents;
    if (!ctx.isAdmin) {
      await ack({ response_action: 'errors', errors: { body: messages(locale).admin.adminsOnly } });
      return;
    }
    const checked = checkTemplates(readTemplateFields(view.state.values as FormValues), locale);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: checked.errors as Record<string, string> });
      return;
    }
    // Stored before the form closes, so what the admin sees next is on disk.
    const changed = await saveTemplates(checked.templates, ctx);
    await ack();
    await deliver(client, deps, noteReply(changed ? w.templateSaved : w.templateUnchanged), locale, {
      channel: userId,
    });
  });
}
