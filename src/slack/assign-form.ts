/**
 * The 交办 form: what is to be done, lead and supporting departments, deadline, urgency and source,
 * prefilled from a message (src/domain/assign.ts reads it) or empty for /duban assign. Invalid input
 * is answered inline with response_action "errors", keyed by block id, so nothing typed is lost.
 */
import type { types } from '@slack/bolt';
import type { Reply } from '../../commands/reply.ts';
import type { AssignDraft, AssignInput, AssignProblem } from '../domain/assign.ts';
import { NAME_MAX } from '../domain/assign.ts';
import type { ReadModel } from '../domain/read-model.ts';
import { type AssignmentSource, ID_PATTERNS, type Urgency } from '../domain/schema.ts';
import { type Locale, messages } from '../i18n/index.ts';
import { departmentName } from '../words/status.ts';
import { LIMITS, renderBlocks, truncate } from './blocks.ts';

type View = types.View;

export const ASSIGN_FORM = 'duban.assign.form';
export const ASSIGN_SHORTCUT = 'duban.assign.message';

const URGENCIES: Urgency[] = ['urgent', 'pressing', 'normal'];
const SOURCES: AssignmentSource[] = ['instruction', 'meeting', 'other'];

function plain(text: string, max = 75) {
  return { type: 'plain_text' as const, text: truncate(text, max) || ' ', emoji: true };
}

/** Where the form was opened from: the message it was drawn from, kept until it is submitted. */
export type AssignOrigin = { channel?: string; ts?: string; threadTs?: string; quote?: string };

/** private_metadata is at most 3,000 characters: the quote gives way. */
export function encodeOrigin(origin: AssignOrigin): string {
  let quote = origin.quote ?? '';
  for (;;) {
    const json = JSON.stringify({ ...origin, ...(quote ? { quote } : { quote: undefined }) });
    if (json.length <= 3000) return json;
    quote = quote.slice(0, Math.floor(quote.length * 0.8));
  }
}

export function decodeOrigin(raw: string | undefined): AssignOrigin {
  try {
    const v = JSON.parse(raw || '{}') as Record<string, unknown>;
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
    const channel = str('channel');
    const ts = str('ts');
    const threadTs = str('threadTs');
    const quote = str('quote');
    return {
      ...(channel && ID_PATTERNS.slackChannelId.test(channel) ? { channel } : {}),
      ...(ts && /^\d+\.\d+$/.test(ts) ? { ts } : {}),
      ...(threadTs && /^\d+\.\d+$/.test(threadTs) ? { threadTs } : {}),
      ...(quote ? { quote } : {}),
    };
  } catch {
    return {};
  }
}

export function assignForm(
  model: ReadModel,
  locale: Locale,
  draft: Partial<AssignDraft> = {},
  origin: AssignOrigin = {},
): View {
  const m = messages(locale).assign;
  const f = messages(locale).form;
  const options = model.db.departments
    .slice(0, 100)
    .map((d) => ({ text: plain(departmentName(d, locale)), value: d.id }));
  const option = (id: string) => options.find((o) => o.value === id);
  const lead = draft.leadId ? option(draft.leadId) : undefined;
  const co = (draft.coIds ?? []).map(option).filter((o): o is NonNullable<typeof o> => o !== undefined);
  const urgency = draft.urgency ?? 'normal';
  const source = draft.source ?? 'other';
  const choice = <T extends string>(value: T, words: Record<T, string>) => ({ text: plain(words[value]), value });
  const blocks: View['blocks'] = [
    {
      type: 'input',
      block_id: 'name',
      label: plain(m.name),
      hint: plain(m.nameHint, 150),
      element: {
        type: 'plain_text_input',
        action_id: 'name',
        multiline: true,
        max_length: NAME_MAX,
        ...(draft.name ? { initial_value: draft.name } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'lead',
      label: plain(m.lead),
      element: {
        type: 'static_select',
        action_id: 'lead',
        placeholder: plain(m.leadPlaceholder, 150),
        options,
        ...(lead ? { initial_option: lead } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'co',
      optional: true,
      label: plain(m.co),
      element: {
        type: 'multi_static_select',
        action_id: 'co',
        placeholder: plain(m.coPlaceholder, 150),
        options,
        ...(co.length > 0 ? { initial_options: co } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'deadline',
      label: plain(m.deadline),
      hint: plain(m.deadlineHint, 150),
      element: {
        type: 'datepicker',
        action_id: 'deadline',
        ...(draft.deadline ? { initial_date: draft.deadline } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'urgency',
      label: plain(m.urgency),
      element: {
        type: 'static_select',
        action_id: 'urgency',
        options: URGENCIES.map((u) => choice(u, m.urgencies)),
        initial_option: choice(urgency, m.urgencies),
      },
    },
    {
      type: 'input',
      block_id: 'source',
      label: plain(m.source),
      element: {
        type: 'static_select',
        action_id: 'source',
        options: SOURCES.map((s) => choice(s, m.sources)),
        initial_option: choice(source, m.sources),
      },
    },
  ];
  if (origin.channel)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${m.fromMessage}：<#${origin.channel}>` }] });
  return {
    type: 'modal',
    callback_id: ASSIGN_FORM,
    private_metadata: encodeOrigin(origin),
    title: plain(m.formTitle, 24),
    submit: plain(m.submit, 24),
    close: plain(f.cancel, 24),
    blocks,
  };
}

type StateValues = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_date?: string | null;
      selected_option?: { value: string } | null;
      selected_options?: Array<{ value: string }> | null;
    }
  >
>;

/** The form's fields as submitted. */
export function readAssignForm(values: StateValues): AssignInput {
  const selected = (block: string) => values[block]?.[block]?.selected_option?.value ?? undefined;
  const leadId = selected('lead');
  const deadline = values.deadline?.deadline?.selected_date ?? undefined;
  const urgency = selected('urgency');
  const source = selected('source');
  return {
    name: (values.name?.name?.value ?? '').trim(),
    ...(leadId ? { leadId } : {}),
    coIds: (values.co?.co?.selected_options ?? []).map((o) => o.value),
    ...(deadline ? { deadline } : {}),
    urgency: URGENCIES.includes(urgency as Urgency) ? (urgency as Urgency) : 'normal',
    source: SOURCES.includes(source as AssignmentSource) ? (source as AssignmentSource) : 'other',
  };
}

/** Each problem in the person's language, keyed by the block it is about. */
export function assignErrors(
  problems: Partial<Record<'name' | 'lead' | 'co' | 'deadline', AssignProblem>>,
  today: string,
  locale: Locale,
): Record<string, string> {
  const m = messages(locale).assign;
  const words: Record<AssignProblem, string> = {
    need_name: m.needName,
    need_lead: m.needLead,
    need_deadline: m.needDeadline,
    deadline_past: m.deadlinePast(today),
    unknown_department: m.unknownDepartment,
  };
  const out: Record<string, string> = {};
  for (const [block, problem] of Object.entries(problems)) if (problem) out[block] = words[problem];
  return out;
}

/** What the form turns into once the item is recorded: its number, and who was told. */
export function assignedView(reply: Reply, locale: Locale): View {
  return {
    type: 'modal',
    callback_id: `${ASSIGN_FORM}.done`,
    title: plain(messages(locale).assign.formTitle, 24),
    close: plain(messages(locale).form.close, 24),
    blocks: renderBlocks(reply.blocks, locale, LIMITS.surfaceBlocks),
  };
}
