/**
 * The progress form (/progress with nothing after it) and the "send back" reason form. Modal
 * titles are at most 24 characters and every label is escaped plain text; invalid input is answered
 * inline with response_action "errors", so nothing typed is lost.
 */
import type { types } from '@slack/bolt';
import type { Reply } from '../../commands/reply.ts';
import { normalize } from '../domain/match.ts';
import { canReport } from '../domain/permissions.ts';
import type { ReadModel } from '../domain/read-model.ts';
import type { Evidence, ProjectState } from '../domain/schema.ts';
import { type Locale, messages, pick } from '../i18n/index.ts';
import { LIMITS, renderBlocks, truncate } from './blocks.ts';

type View = types.View;
type Option = types.PlainTextOption;

export const PROGRESS_FORM = 'duban.progress.form';
export const RETURN_FORM = 'duban.review.return';
export const ITEM_SELECT = 'item';

const STATES: ProjectState[] = ['in_progress', 'blocked', 'delayed', 'done'];

function plain(text: string, max = 75) {
  return { type: 'plain_text' as const, text: truncate(text, max) || ' ', emoji: true };
}

function itemLabel(model: ReadModel, id: string, locale: Locale): string {
  const found = model.item(id);
  const n = model.numberOf(id);
  return truncate(`${n ? `#${n} ` : ''}${found ? pick(found.item.name, locale) : id}`, 75);
}

/** The items a user may report for, matching what they typed in the picker (at most 100). */
export function itemOptions(
  model: ReadModel,
  userId: string,
  isAdmin: boolean,
  query: string,
  locale: Locale,
  departmentId?: string,
): Option[] {
  const q = normalize(query);
  return [...model.db.targets, ...model.db.projects, ...model.db.commitments]
    .filter((i) => canReport(model.db.departments, userId, i, isAdmin))
    .filter((i) => !departmentId || i.departmentId === departmentId)
    .filter((i) => !q || normalize(`${model.numberOf(i.id) ?? ''}${i.id}${i.name.zh}${i.name.en ?? ''}`).includes(q))
    .slice(0, 100)
    .map((i) => ({ text: plain(itemLabel(model, i.id, locale)), value: i.id }));
}

export const DEPARTMENT_SELECT = 'department';

/** The departments offered in the form: the user's own (all of them for admins), at most 100. */
export function departmentOptions(
  model: ReadModel,
  userId: string | undefined,
  isAdmin: boolean,
  locale: Locale,
): Option[] {
  const mine = model.db.departments.filter(
    (d) => isAdmin || (userId && (d.memberIds.includes(userId) || d.leadIds.includes(userId))),
  );
  return (mine.length > 0 ? mine : model.db.departments).slice(0, 100).map((d) => ({
    text: plain(
      pick(d.shortName.zh ? { zh: d.shortName.zh, ...(d.shortName.en ? { en: d.shortName.en } : {}) } : d.name, locale),
    ),
    value: d.id,
  }));
}

export function progressForm(model: ReadModel, locale: Locale, itemId?: string, departments: Option[] = []): View {
  const f = messages(locale).form;
  const state = messages(locale).state;
  const initial =
    itemId && model.item(itemId)
      ? { initial_option: { text: plain(itemLabel(model, itemId, locale)), value: itemId } }
      : {};
  return {
    type: 'modal',
    callback_id: PROGRESS_FORM,
    title: plain(messages(locale).progress.formTitle, 24),
    submit: plain(f.submit, 24),
    close: plain(f.cancel, 24),
    blocks: [
      ...(departments.length > 0
        ? [
            {
              type: 'input' as const,
              block_id: DEPARTMENT_SELECT,
              optional: true,
              label: plain(f.department),
              hint: plain(f.departmentHint, 150),
              element: {
                type: 'static_select' as const,
                action_id: DEPARTMENT_SELECT,
                options: departments,
                placeholder: plain(f.department, 150),
              },
            },
          ]
        : []),
      {
        type: 'input',
        block_id: 'item',
        label: plain(f.item),
        element: {
          type: 'external_select',
          action_id: ITEM_SELECT,
          min_query_length: 0,
          placeholder: plain(f.itemPlaceholder, 150),
          ...initial,
        },
      },
      {
        type: 'input',
        block_id: 'value',
        optional: true,
        label: plain(f.value),
        hint: plain(f.valueHint, 150),
        element: { type: 'number_input', action_id: 'value', is_decimal_allowed: true },
      },
      {
        type: 'input',
        block_id: 'percent',
        optional: true,
        label: plain(f.percent),
        element: {
          type: 'number_input',
          action_id: 'percent',
          is_decimal_allowed: true,
          min_value: '0',
          max_value: '100',
        },
      },
      {
        type: 'input',
        block_id: 'state',
        optional: true,
        label: plain(f.state),
        element: {
          type: 'static_select',
          action_id: 'state',
          options: STATES.map((s) => ({ text: plain(state[s]), value: s })),
        },
      },
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: plain(f.note),
        element: { type: 'plain_text_input', action_id: 'note', multiline: true, max_length: 3000 },
      },
      {
        type: 'input',
        block_id: 'evidence',
        optional: true,
        label: plain(f.evidence),
        hint: plain(f.evidenceHint, 150),
        element: { type: 'url_text_input', action_id: 'evidence' },
      },
    ],
  };
}

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value: string } | null }>
>;

export type FormInput = {
  itemId?: string;
  value?: number;
  percent?: number;
  state?: ProjectState;
  note?: string;
  evidence: Evidence[];
};

/** Reads a submitted progress form; problems come back keyed by block id, in the user's language. */
export function readProgressForm(
  values: StateValues,
  locale: Locale,
): { input: FormInput; errors: Record<string, string> } {
  const f = messages(locale).form;
  const errors: Record<string, string> = {};
  const text = (block: string) => values[block]?.[block]?.value?.trim() || undefined;
  const input: FormInput = { evidence: [] };
  const itemId = values.item?.[ITEM_SELECT]?.selected_option?.value;
  if (itemId) input.itemId = itemId;
  else errors.item = f.needItem;
  const number = (block: 'value' | 'percent') => {
    const raw = text(block);
    if (raw === undefined) return;
    const n = Number(raw);
    if (!Number.isFinite(n)) errors[block] = f.notNumber;
    else if (block === 'percent' && (n < 0 || n > 100)) errors[block] = f.percentRange;
    else input[block] = n;
  };
  number('value');
  number('percent');
  const state = values.state?.state?.selected_option?.value;
  if (state && (STATES as string[]).includes(state)) input.state = state as ProjectState;
  const note = text('note');
  if (note) input.note = note.slice(0, 3000);
  const link = text('evidence');
  if (link) {
    if (/^https?:\/\/\S+$/.test(link) && link.length <= 2000) input.evidence.push({ kind: 'link', url: link });
    else errors.evidence = f.badLink;
  }
  if (
    Object.keys(errors).length === 0 &&
    input.value === undefined &&
    input.percent === undefined &&
    !input.state &&
    !input.note &&
    input.evidence.length === 0
  ) {
    errors.value = f.needSomething;
  }
  return { input, errors };
}

/** The modal the form turns into once the update is recorded. */
export function resultView(reply: Reply, locale: Locale): View {
  return {
    type: 'modal',
    callback_id: `${PROGRESS_FORM}.done`,
    title: plain(messages(locale).progress.formTitle, 24),
    close: plain(messages(locale).form.close, 24),
    blocks: renderBlocks(reply.blocks, locale, LIMITS.surfaceBlocks),
  };
}

export const SNOOZE_FORM = 'duban.remind.snooze';

/** Snooze a department's reminders for some working days, with a reason (kept in the audit trail). */
export function snoozeForm(departmentId: string, locale: Locale): View {
  const m = messages(locale).remind;
  const f = messages(locale).form;
  return {
    type: 'modal',
    callback_id: SNOOZE_FORM,
    private_metadata: departmentId,
    title: plain(m.snoozeTitle, 24),
    submit: plain(f.submit, 24),
    close: plain(f.cancel, 24),
    blocks: [
      {
        type: 'input',
        block_id: 'days',
        label: plain(m.snoozeDays),
        element: { type: 'plain_text_input', action_id: 'days', initial_value: '3', max_length: 2 },
      },
      {
        type: 'input',
        block_id: 'reason',
        label: plain(m.snoozeReason),
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 500 },
      },
    ],
  };
}

export function returnForm(reviewId: string, responseUrl: string | undefined, locale: Locale): View {
  const r = messages(locale).review;
  return {
    type: 'modal',
    callback_id: RETURN_FORM,
    private_metadata: JSON.stringify({ reviewId, ...(responseUrl ? { responseUrl } : {}) }),
    title: plain(r.returnTitle, 24),
    submit: plain(r.returnSubmit, 24),
    close: plain(r.cancel, 24),
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: plain(r.returnLabel),
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 1000 },
      },
    ],
  };
}
