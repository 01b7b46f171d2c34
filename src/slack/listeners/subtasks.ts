/**
 * 牵头 / 配合 in Slack: the detail view's "拆分子任务" button and its form (name, department, due date),
 * and the "报送子任务" button on a supporting department's digest line with its form (the sub-task done,
 * a note). Registered before interactions.ts, whose last handlers take any button and any form.
 */
import type { BlockAction, types } from '@slack/bolt';
import { departmentName } from '../../../commands/format.ts';
import { effectsOfReport, replyOf } from '../../../commands/index.ts';
import { REMIND_SUBTASK } from '../../../commands/remind.ts';
import { md, type Reply } from '../../../commands/reply.ts';
import { logReportAndReply } from '../../../commands/reporting/index.ts';
import {
  ADD_FORM,
  ADD_SUBTASK,
  addedLine,
  addSubTask,
  itemDeadline,
  MAX_NAME,
  maySplit,
  REPORT_FORM,
  reportableSubTask,
  type SubTaskInput,
  splittable,
  subTaskDepartments,
  subTaskProblems,
} from '../../../commands/subtasks.ts';
import { detailReply } from '../../../commands/views.ts';
import type { Item } from '../../domain/schema.ts';
import { formatDate, type Locale, messages, pick } from '../../i18n/index.ts';
import { truncate } from '../blocks.ts';
import type { ListenerDeps } from '../context.ts';
import { performEffects } from '../effects.ts';
import { departmentOptions, resultView } from '../forms.ts';
import type { ActionArgs, Router } from '../router.ts';

function plain(text: string, max = 75) {
  return { type: 'plain_text' as const, text: truncate(text, max) || ' ', emoji: true };
}

async function answer(args: ActionArgs, text: string): Promise<void> {
  if ('response_url' in args.body && args.body.response_url)
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
}

/** The add-sub-task form for one item: its departments offered, its deadline said. */
export function addSubTaskForm(item: Item, deadline: string, options: types.PlainTextOption[], locale: Locale) {
  const m = messages(locale).subtasks;
  const view: types.View = {
    type: 'modal',
    callback_id: ADD_FORM,
    private_metadata: item.id,
    title: plain(m.addTitle, 24),
    submit: plain(m.addSubmit, 24),
    close: plain(m.cancel, 24),
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: truncate(pick(item.name, locale), 3000) || ' ' } },
      {
        type: 'input',
        block_id: 'name',
        label: plain(m.name),
        hint: plain(m.nameHint, 150),
        element: { type: 'plain_text_input', action_id: 'name', max_length: MAX_NAME },
      },
      {
        type: 'input',
        block_id: 'department',
        label: plain(m.department),
        hint: plain(m.departmentHint, 150),
        element: { type: 'static_select', action_id: 'department', options },
      },
      {
        type: 'input',
        block_id: 'due',
        label: plain(m.due),
        hint: plain(m.dueHint(formatDate(deadline, locale)), 150),
        element: { type: 'datepicker', action_id: 'due' },
      },
    ],
  };
  return view;
}

/** The report form for a sub-task: done (required) and a note. */
export function subTaskReportForm(
  item: Item,
  milestone: { id: string; name: Item['name']; due: string },
  locale: Locale,
) {
  const m = messages(locale).subtasks;
  const view: types.View = {
    type: 'modal',
    callback_id: REPORT_FORM,
    private_metadata: `${item.id} ${milestone.id}`,
    title: plain(m.reportTitle, 24),
    submit: plain(messages(locale).form.submit, 24),
    close: plain(m.cancel, 24),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'plain_text',
          text:
            truncate(
              m.reportIntro(pick(item.name, locale), pick(milestone.name, locale), formatDate(milestone.due, locale)),
              3000,
            ) || ' ',
        },
      },
      {
        type: 'input',
        block_id: 'done',
        label: plain(m.doneLabel),
        element: { type: 'checkboxes', action_id: 'done', options: [{ text: plain(m.doneOption), value: 'done' }] },
      },
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: plain(m.note),
        element: { type: 'plain_text_input', action_id: 'note', multiline: true, max_length: 3000 },
      },
    ],
  };
  return view;
}

type Values = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_date?: string | null;
      selected_options?: Array<{ value: string }> | null;
    }
  >
>;

function readAddForm(values: Values): SubTaskInput {
  const departmentId = values.department?.department?.selected_option?.value ?? undefined;
  const due = values.due?.due?.selected_date ?? undefined;
  return {
    name: (values.name?.name?.value ?? '').trim(),
    ...(departmentId ? { departmentId } : {}),
    ...(due ? { due } : {}),
  };
}

export function registerSubTasks(router: Router, deps: ListenerDeps): void {
  router.action(ADD_SUBTASK, async (args) => {
    await args.ack();
    const userId = args.body.user.id;
    const locale = await deps.locale(userId);
    const itemId = 'value' in args.action && typeof args.action.value === 'string' ? args.action.value : '';
    const ctx = await deps.context(userId, locale);
    const s = ctx.model
      .rollup(ctx.today)
      .departments.flatMap((r) => r.items)
      .find((x) => x.item.id === itemId);
    if (!s || !splittable(s)) return answer(args, messages(locale).errors.expired);
    if (!maySplit(ctx.model.db.departments, userId, s.item, ctx.isAdmin))
      return answer(args, messages(locale).subtasks.notAllowed);
    const options = subTaskDepartments(s.item, ctx.model.db.departments).map((d) => d.id);
    const offered = departmentOptions(ctx.model, undefined, true, locale).filter((o) => options.includes(o.value!));
    offered.sort((a, b) => options.indexOf(a.value!) - options.indexOf(b.value!));
    await args.client.views.open({
      trigger_id: (args.body as BlockAction).trigger_id,
      view: addSubTaskForm(s.item, itemDeadline(s.item, ctx), offered, locale),
    });
  });

  router.view(ADD_FORM, async ({ ack, view, body }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const ctx = await deps.context(userId, locale);
    const input = readAddForm(view.state.values as Values);
    const found = ctx.model.item(view.private_metadata);
    // Checked before anything is written, so the person corrects the field in place.
    const errors = found
      ? subTaskProblems(input, found.item, ctx.model.db.departments, itemDeadline(found.item, ctx), ctx)
      : {};
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const outcome = await addSubTask(view.private_metadata, input, ctx);
    if (outcome.kind === 'refused') {
      await ack({ response_action: 'errors', errors: outcome.errors });
      return;
    }
    if (outcome.kind !== 'added') {
      const text =
        outcome.kind === 'not_allowed' ? messages(locale).subtasks.notAllowed : messages(locale).errors.expired;
      await ack({ response_action: 'errors', errors: { name: text } });
      return;
    }
    // Recorded before the form says so; the form turns into the item's detail view with the new sub-task.
    const now = await deps.context(userId, locale);
    const status = now.model
      .rollup(now.today)
      .departments.flatMap((r) => r.items)
      .find((x) => x.item.id === outcome.item.id);
    const confirmation = addedLine(outcome.item, outcome.milestone, now);
    const detail = status ? detailReply(status, now) : undefined;
    const reply: Reply = {
      text: confirmation,
      blocks: [{ type: 'section', text: md`✅ ${confirmation}` }, ...(detail ? detail.blocks : [])],
      visibility: 'ephemeral',
    };
    await ack({ response_action: 'update', view: resultView(reply, locale) });
  });

  // A supporting department's digest line: report its sub-task.
  router.action(REMIND_SUBTASK, async (args) => {
    await args.ack();
    const userId = args.body.user.id;
    const locale = await deps.locale(userId);
    const value = 'value' in args.action && typeof args.action.value === 'string' ? args.action.value : '';
    const [itemId = '', milestoneId = ''] = value.split(' ');
    const ctx = await deps.context(userId, locale);
    const found = reportableSubTask(ctx, itemId, milestoneId);
    if (found.kind === 'gone') return answer(args, messages(locale).subtasks.gone);
    if (found.kind === 'not_yours') {
      const d = ctx.model.department(found.departmentId);
      return answer(args, messages(locale).subtasks.notYours(d ? departmentName(d, locale) : found.departmentId));
    }
    await args.client.views.open({
      trigger_id: (args.body as BlockAction).trigger_id,
      view: subTaskReportForm(found.item, found.milestone, locale),
    });
  });

  router.view(REPORT_FORM, async ({ ack, view, body, client }) => {
    const userId = body.user.id;
    const locale = await deps.locale(userId);
    const values = view.state.values as Values;
    const done = (values.done?.done?.selected_options ?? []).some((o) => o.value === 'done');
    if (!done) {
      await ack({ response_action: 'errors', errors: { done: messages(locale).subtasks.needDone } });
      return;
    }
    const [itemId = '', milestoneId = ''] = view.private_metadata.split(' ');
    const note = (values.note?.note?.value ?? '').trim();
    const ctx = await deps.context(userId, locale);
    // Reported already (a second submission, or someone else first): nothing more is recorded.
    if (reportableSubTask(ctx, itemId, milestoneId).kind === 'gone') {
      await ack({ response_action: 'errors', errors: { done: messages(locale).subtasks.gone } });
      return;
    }
    const outcome = await logReportAndReply(
      {
        itemId,
        fields: { state: 'done', milestoneId },
        ...(note ? { note: note.slice(0, 3000) } : {}),
        evidence: [],
        source: 'form',
      },
      ctx,
    );
    if (outcome.kind === 'refused') {
      await ack({ response_action: 'errors', errors: { done: (outcome.reply.text || '').slice(0, 150) } });
      return;
    }
    const reply = replyOf(outcome);
    await ack(reply ? { response_action: 'update', view: resultView(reply, locale) } : undefined);
    await performEffects(client, deps, effectsOfReport(outcome, ctx, 'form'), { userId, locale });
  });
}
