/**
 * Intake (立项 / 交办录入) through Slack: `/duban intake` opens a form for pasted text (or drafts the
 * text typed after it), and a .docx or .txt sent to duban in a DM is drafted the same way (the file
 * listener hands it over). The drafts go to the admin's DM with Edit per draft, Import all and
 * Discard. Import all turns the complete drafts into an import file and shows the spreadsheet import's
 * own preview: its Import button (src/slack/listeners/files.ts) applies it, with the same `import`
 * journal event and audit trail. Admins only, as for a spreadsheet import.
 */
import { randomUUID } from 'node:crypto';
import type { BlockAction, RespondFn, types, ViewSubmitAction, webApi } from '@slack/bolt';
import {
  blockedRefs,
  DISCARD_DRAFTS,
  DRAFT_MINUTES,
  discardedReply,
  draftIntake,
  draftsReply,
  EDIT_DRAFT,
  IMPORT_DRAFTS,
  type IntakeSession,
  IntakeSessions,
  importable,
  MAX_PASTE,
  parseIntakeCommand,
} from '../../../commands/intake.ts';
import type { Reply } from '../../../commands/reply.ts';
import { notAdminReply, previewReply, problemsReply, refusedReply } from '../../../commands/spreadsheet.ts';
import { readDocumentText } from '../../documents/read-document.ts';
import { isCalendarDate } from '../../domain/dates.ts';
import { type IntakeItem, toImportFile } from '../../domain/intake/items.ts';
import { type Locale, messages } from '../../i18n/index.ts';
import { departmentName } from '../../words/status.ts';
import { renderMessage, truncate } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import { deliver } from '../deliver.ts';
import type { Router } from '../router.ts';
import type { FileImports } from './files.ts';

type View = types.View;

export const PASTE_FORM = 'duban.intake.paste';
export const EDIT_FORM = 'duban.intake.edit.form';
const MAX_SESSIONS = 20;
const exchange = () => import('../../spreadsheet/exchange.ts');

function plain(text: string, max = 75) {
  return { type: 'plain_text' as const, text: truncate(text, max) || ' ', emoji: true };
}

export function pasteForm(locale: Locale): View {
  const m = messages(locale).intake;
  return {
    type: 'modal',
    callback_id: PASTE_FORM,
    title: plain(m.modalTitle, 24),
    submit: plain(m.submit, 24),
    close: plain(m.close, 24),
    blocks: [
      {
        type: 'input',
        block_id: 'text',
        label: plain(m.textLabel, 2000),
        hint: plain(m.textHint(MAX_PASTE), 2000),
        element: {
          type: 'plain_text_input',
          action_id: 'text',
          multiline: true,
          max_length: MAX_PASTE,
          placeholder: plain(m.textPlaceholder, 150),
        },
      },
    ],
  };
}

function editForm(session: IntakeSession, index: number, deps: ListenerDeps, locale: Locale): View {
  const m = messages(locale).intake;
  const item = session.items[index]!;
  const departments = deps.store.model().db.departments.slice(0, 100);
  const option = (id: string) => {
    const d = departments.find((x) => x.id === id);
    return d ? { text: plain(departmentName(d, locale)), value: d.id } : undefined;
  };
  const options = departments.map((d) => ({ text: plain(departmentName(d, locale)), value: d.id }));
  const lead = item.lead && option(item.lead.value);
  const co = item.co.flatMap((c) => option(c.value) ?? []);
  const hint = (q: string | undefined) => (q ? { hint: plain(m.sourceHint(q), 150) } : {});
  const figure = item.figure?.value;
  return {
    type: 'modal',
    callback_id: EDIT_FORM,
    private_metadata: JSON.stringify({ token: session.token, index }),
    title: plain(m.editTitle(index + 1), 24),
    submit: plain(m.save, 24),
    close: plain(m.close, 24),
    blocks: [
      { type: 'context', elements: [{ type: 'plain_text', text: truncate(item.sentence, 2000) || ' ' }] },
      {
        type: 'input',
        block_id: 'name',
        label: plain(m.nameLabel),
        ...hint(item.name?.quote),
        element: {
          type: 'plain_text_input',
          action_id: 'name',
          max_length: 200,
          ...(item.name ? { initial_value: item.name.value } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'lead',
        optional: true,
        label: plain(m.leadLabel),
        ...hint(item.lead?.quote),
        element: { type: 'static_select', action_id: 'lead', options, ...(lead ? { initial_option: lead } : {}) },
      },
      {
        type: 'input',
        block_id: 'co',
        optional: true,
        label: plain(m.coLabel),
        element: {
          type: 'multi_static_select',
          action_id: 'co',
          options,
          ...(co.length > 0 ? { initial_options: co } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'deadline',
        optional: true,
        label: plain(m.deadlineLabel),
        ...hint(item.deadline?.quote),
        element: {
          type: 'datepicker',
          action_id: 'deadline',
          ...(item.deadline ? { initial_date: item.deadline.value } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'value',
        optional: true,
        label: plain(m.valueLabel),
        ...hint(item.figure?.quote),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          max_length: 20,
          ...(figure ? { initial_value: String(figure.value) } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'unit',
        optional: true,
        label: plain(m.unitLabel),
        element: {
          type: 'plain_text_input',
          action_id: 'unit',
          max_length: 20,
          ...(figure ? { initial_value: figure.unit } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'drop',
        optional: true,
        label: plain(m.dropLabel),
        element: {
          type: 'checkboxes',
          action_id: 'drop',
          options: [{ text: plain(m.dropLabel), value: 'drop' }],
          ...(item.dropped ? { initial_options: [{ text: plain(m.dropLabel), value: 'drop' }] } : {}),
        },
      },
    ],
  };
}

type Values = ViewSubmitAction['view']['state']['values'];

/** The edited draft, or the errors to show in the form. A field left as it was keeps its quote. */
export function readEditForm(
  values: Values,
  before: IntakeItem,
  locale: Locale,
): { item: IntakeItem; errors: Record<string, string> } {
  const m = messages(locale).intake;
  const errors: Record<string, string> = {};
  const text = (block: string) => (values[block]?.[block]?.value ?? '').trim();
  // Offices the text named that the zone lacks were shown in this form's draft; once saved, the admin's choice stands.
  const item: IntakeItem = { sentence: before.sentence, co: [], unknown: [] };
  const name = text('name');
  if (name) item.name = name === before.name?.value ? before.name : { value: name };
  const lead = values.lead?.lead?.selected_option?.value;
  if (lead) item.lead = lead === before.lead?.value ? before.lead : { value: lead };
  for (const o of values.co?.co?.selected_options ?? []) {
    if (o.value === lead || item.co.some((c) => c.value === o.value)) continue;
    item.co.push(before.co.find((c) => c.value === o.value) ?? { value: o.value });
  }
  const date = values.deadline?.deadline?.selected_date;
  if (date && isCalendarDate(date)) item.deadline = date === before.deadline?.value ? before.deadline : { value: date };
  const rawValue = text('value').replace(/[,，]/g, '');
  const unit = text('unit');
  if (rawValue) {
    const value = Number(rawValue);
    if (!/^-?\d+(?:\.\d+)?$/.test(rawValue) || !Number.isFinite(value)) errors.value = m.badValue;
    else if (!unit) errors.unit = m.unitNeeded;
    else {
      const same = before.figure && before.figure.value.value === value && before.figure.value.unit === unit;
      item.figure = same
        ? before.figure
        : {
            value: {
              value,
              unit,
              ...(before.figure?.value.comparator ? { comparator: before.figure.value.comparator } : {}),
            },
          };
    }
  } else if (unit) errors.value = m.valueNeeded;
  if ((values.drop?.drop?.selected_options ?? []).length > 0) item.dropped = true;
  return { item, errors };
}

export function registerIntake(router: Router, deps: ListenerDeps, imports: FileImports): void {
  const sessions = new IntakeSessions({
    ttlMs: DRAFT_MINUTES * 60_000,
    max: MAX_SESSIONS,
    clock: () => deps.clock().getTime(),
    newToken: () => randomUUID(),
  });

  /** Drafts from a text and posts them in the admin's DM with duban (or `channel`). */
  async function draftAndPost(
    client: webApi.WebClient,
    userId: string,
    locale: Locale,
    text: string,
    label: string,
    channel?: string,
  ): Promise<void> {
    const ctx = await deps.context(userId, locale);
    const drafted = await draftIntake(text, ctx);
    const session = sessions.add(userId, label, drafted);
    const where = channel ?? (await client.conversations.open({ users: userId })).channel?.id;
    if (!where) throw new Error('conversations.open returned no channel');
    const posted = await deliver(client, deps, draftsReply(session, ctx), locale, { channel: where });
    if (posted) session.message = posted;
    deps.logger.info(
      { user: userId, label, drafts: session.items.length, by: drafted.authored.by, chars: text.length },
      'intake drafted',
    );
  }

  router.command(
    (command) => command.command === '/duban' && parseIntakeCommand(command.text ?? '') !== undefined,
    async ({ command, ack, respond, client, body }) => {
      await ack();
      const userId = command.user_id;
      const locale = await deps.locale(userId);
      if (!(await deps.admins.isAdmin(userId))) {
        const reply = notAdminReply(await deps.admins.all(), { locale });
        await respond({ response_type: 'ephemeral', ...renderMessage(reply, locale) });
        return;
      }
      const typed = parseIntakeCommand(command.text ?? '')!.text;
      if (!typed) {
        // The trigger is valid for 3 seconds: the form opens before anything slow.
        await client.views.open({ trigger_id: command.trigger_id, view: pasteForm(locale) });
        return;
      }
      deps.answers.defer(
        () => draftAndPost(client, userId, locale, typed, messages(locale).intake.pasted),
        (error) => deps.reportError({ error: error as Error, body }),
      );
    },
  );

  router.view(PASTE_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const m = messages(locale).intake;
    const text = (view.state.values.text?.text?.value ?? '').trim();
    if (!text) return void (await ack({ response_action: 'errors', errors: { text: m.emptyText } }));
    if ([...text].length > MAX_PASTE)
      return void (await ack({ response_action: 'errors', errors: { text: m.tooLong([...text].length, MAX_PASTE) } }));
    if (!(await deps.admins.isAdmin(userId)))
      return void (await ack({ response_action: 'errors', errors: { text: messages(locale).admin.adminsOnly } }));
    await ack();
    deps.answers.defer(
      () => draftAndPost(client, userId, locale, text, m.pasted),
      (error) => deps.reportError({ error: error as Error, body }),
    );
  });

  imports.takeDocuments(async ({ bytes, label, userId, channel, client }) => {
    const locale = await deps.locale(userId);
    const m = messages(locale).intake;
    const read = readDocumentText(bytes, label);
    if (!read.ok) {
      const text = read.reason === 'empty' ? m.emptyFile(label) : m.unreadable(label);
      await deliver(client, deps, refusedReply(text), locale, { channel });
      return;
    }
    await draftAndPost(client, userId, locale, read.text, label, channel);
  });

  /** The session a button or form is about, or the polite reason it cannot be used. */
  async function sessionFor(token: string, userId: string, locale: Locale, note: (text: string) => Promise<void>) {
    const m = messages(locale).intake;
    if (!(await deps.admins.isAdmin(userId))) return void (await note(messages(locale).admin.adminsOnly));
    const found = sessions.get(token, userId);
    if (found.kind === 'expired') return void (await note(m.expired(DRAFT_MINUTES)));
    if (found.kind === 'not_yours') return void (await note(m.notYours));
    return found.session;
  }

  const noteVia = (respond: RespondFn) => async (text: string) =>
    void (await respond({ response_type: 'ephemeral', replace_original: false, text }));

  router.action(EDIT_DRAFT, async ({ ack, action, body, respond, client }) => {
    await ack();
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const [token = '', index = ''] = ((action as { value?: string }).value ?? '').split(':');
    const session = await sessionFor(token, userId, locale, noteVia(respond));
    const i = Number(index);
    if (!session || !Number.isInteger(i) || !session.items[i]) return;
    await client.views.open({
      trigger_id: (body as BlockAction).trigger_id,
      view: editForm(session, i, deps, locale),
    });
  });

  router.view(EDIT_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    let meta: { token?: string; index?: number } = {};
    try {
      meta = JSON.parse(view.private_metadata || '{}');
    } catch {
      meta = {};
    }
    const found = sessions.get(meta.token ?? '', userId);
    const before = found.kind === 'ok' && typeof meta.index === 'number' ? found.session.items[meta.index] : undefined;
    if (found.kind !== 'ok' || !before) {
      const text =
        found.kind === 'not_yours' ? messages(locale).intake.notYours : messages(locale).intake.expired(DRAFT_MINUTES);
      return void (await ack({ response_action: 'errors', errors: { name: text } }));
    }
    const { item, errors } = readEditForm(view.state.values, before, locale);
    if (Object.keys(errors).length > 0) return void (await ack({ response_action: 'errors', errors }));
    await ack();
    const session = found.session;
    session.items[meta.index!] = item;
    if (!session.message) return;
    const ctx = await deps.context(userId, locale);
    await client.chat.update({
      channel: session.message.channel,
      ts: session.message.ts,
      ...renderMessage(draftsReply(session, ctx), locale),
    });
  });

  router.action(IMPORT_DRAFTS, async ({ ack, action, body, respond }) => {
    await ack();
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const m = messages(locale).intake;
    const note = noteVia(respond);
    const session = await sessionFor((action as { value?: string }).value ?? '', userId, locale, note);
    if (!session) return;
    const blocked = blockedRefs(session.items);
    if (blocked.length > 0) return void (await note(m.blockedNote(blocked.map((n) => `#${n}`).join('、'))));
    const ready = importable(session.items);
    if (ready.length === 0) return void (await note(m.nothingLeft));
    const ctx = await deps.context(userId, locale);
    const now = ctx.now ?? deps.clock();
    const db = ctx.model.db;
    const takenIds = new Set([...db.targets, ...db.projects, ...db.commitments].map((i) => i.id));
    const file = toImportFile(ready, { by: userId, at: now.toISOString(), today: ctx.today, takenIds });
    const label = m.label(session.label);
    const preview = await (await exchange()).previewParsed(deps.store, imports.importer, file, label, now);
    const answer = (reply: Reply) => respond({ replace_original: true, ...renderMessage(reply, locale) });
    if (!preview.ok) return void (await answer(problemsReply(label, preview.problems, ctx)));
    // From here the spreadsheet import's own preview and Import button take over.
    sessions.delete(session.token);
    const waiting = imports.pending.add(userId, preview.file, label);
    deps.logger.info({ user: userId, label, summary: preview.summary }, 'intake previewed');
    await answer(previewReply(preview, waiting.token, ctx));
  });

  router.action(DISCARD_DRAFTS, async ({ ack, action, body, respond }) => {
    await ack();
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const session = await sessionFor((action as { value?: string }).value ?? '', userId, locale, noteVia(respond));
    if (!session) return;
    sessions.delete(session.token);
    const ctx = await deps.context(userId, locale);
    await respond({ replace_original: true, ...renderMessage(discardedReply(ctx), locale) });
  });
}
