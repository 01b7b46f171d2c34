/**
 * 拆分子任务: an assigned item split into sub-tasks from Slack, each with its own department (the lead
 * or one of its supporting departments) and a due date no later than the item's deadline. The lead
 * department's people and admins may split; the sub-task and its `subtask.add` event are written in one
 * transaction. Also the words a supporting department's sub-task report is checked against.
 */
import { isCalendarDate } from '../src/domain/dates.ts';
import { approvedExtensions } from '../src/domain/extension.ts';
import { own } from '../src/domain/lookup.ts';
import { canReport, canReportSubTask, subTasksOf } from '../src/domain/permissions.ts';
import type { Commitment, Department, Item, Milestone } from '../src/domain/schema.ts';
import { effectiveDeadline, type ItemStatus } from '../src/domain/status.ts';
import { formatDate, messages, pick } from '../src/i18n/index.ts';
import type { CommandContext, WriteContext } from './context.ts';
import { departmentName } from './format.ts';
import { md, type Reply } from './reply.ts';

/** The detail view's button, its form, and the supporting department's sub-task report form. */
export const ADD_SUBTASK = 'duban.subtask.add';
export const ADD_FORM = 'duban.subtask.form';
export const REPORT_FORM = 'duban.subtask.report';

export const MAX_NAME = 200;

export type SubTaskInput = { name: string; departmentId?: string; due?: string };
export type SubTaskField = 'name' | 'department' | 'due';

/** An item that can be split here: an assigned (交办) item still open. */
export function splittable(s: Pick<ItemStatus, 'item' | 'kind' | 'status'>): boolean {
  return (
    s.kind === 'commitment' &&
    'assignment' in s.item &&
    s.item.assignment !== undefined &&
    s.status !== 'done' &&
    s.status !== 'exempt'
  );
}

/** Whether the user may split the item: the lead department's members and leads, and admins. */
export function maySplit(departments: readonly Department[], userId: string, item: Item, isAdmin: boolean): boolean {
  return canReport(departments, userId, item, isAdmin);
}

/** The departments a sub-task may go to: the lead first, then the supporting departments. */
export function subTaskDepartments(item: Item, departments: readonly Department[]): Department[] {
  return [item.departmentId, ...item.coDepartmentIds]
    .map((id) => departments.find((d) => d.id === id))
    .filter((d): d is Department => !!d);
}

/** The item's deadline: an approved extension's date, else the end of its period. */
export function itemDeadline(item: Item, ctx: Pick<CommandContext, 'model'>): string {
  return effectiveDeadline(item, approvedExtensions(ctx.model.db.extensions));
}

/** What is wrong with a sub-task, keyed by the form's block ids, in the user's language (pure). */
export function subTaskProblems(
  input: SubTaskInput,
  item: Item,
  departments: readonly Department[],
  deadline: string,
  ctx: Pick<CommandContext, 'locale' | 'today'>,
): Partial<Record<SubTaskField, string>> {
  const m = messages(ctx.locale).subtasks;
  const out: Partial<Record<SubTaskField, string>> = {};
  const name = input.name.trim();
  if (!name) out.name = m.needName;
  else if ([...name].length > MAX_NAME) out.name = m.nameTooLong;
  if (!input.departmentId || !subTaskDepartments(item, departments).some((d) => d.id === input.departmentId))
    out.department = m.needDepartment;
  if (!input.due || !isCalendarDate(input.due)) out.due = m.needDue;
  else if (input.due > deadline) out.due = m.dueAfterDeadline(formatDate(deadline, ctx.locale, ctx.today));
  return out;
}

/** A new milestone id, unique within the item. */
function subTaskId(item: Item): string {
  const taken = new Set('milestones' in item ? item.milestones.map((m) => m.id) : []);
  let n = taken.size + 1;
  while (taken.has(`sub-${n}`)) n++;
  return `sub-${n}`;
}

export type SplitOutcome =
  | { kind: 'added'; item: Commitment; milestone: Milestone }
  | { kind: 'refused'; errors: Partial<Record<SubTaskField, string>> }
  | { kind: 'not_allowed' }
  | { kind: 'gone' };

/**
 * Records a sub-task: the item's definition with the milestone added and the `subtask.add` event, in
 * one transaction, checked again against the state it is written to.
 */
export async function addSubTask(itemId: string, input: SubTaskInput, ctx: WriteContext): Promise<SplitOutcome> {
  const at = ctx.now.toISOString();
  const { result } = await ctx.store.transact((tx): SplitOutcome => {
    const s = tx.state;
    const item = s.commitments.find((c) => c.id === itemId);
    if (!item?.assignment) return { kind: 'gone' };
    if (!maySplit(s.departments, ctx.userId, item, ctx.isAdmin)) return { kind: 'not_allowed' };
    const deadline = effectiveDeadline(item, approvedExtensions(s.extensions));
    const errors = subTaskProblems(input, item, s.departments, deadline, ctx);
    if (Object.keys(errors).length > 0) return { kind: 'refused', errors };
    // The same sub-task submitted twice (a double click, a retried request) is added once.
    const same = item.milestones.find(
      (m) => m.name.zh === input.name.trim() && m.departmentId === input.departmentId && m.due === input.due,
    );
    if (same) return { kind: 'added', item, milestone: same };
    const milestone: Milestone = {
      id: subTaskId(item),
      name: { zh: input.name.trim() },
      due: input.due!,
      departmentId: input.departmentId!,
    };
    const next = { ...item, milestones: [...item.milestones, milestone] };
    tx.replace({ ...s, commitments: s.commitments.map((c) => (c.id === itemId ? next : c)) });
    tx.append({ type: 'subtask.add', at, by: ctx.userId, itemId, milestone });
    return { kind: 'added', item: next, milestone };
  });
  return result;
}

/** The confirmation: which item, which sub-task, whose, by when. */
export function addedLine(item: Item, milestone: Milestone, ctx: CommandContext): string {
  const d = milestone.departmentId ? ctx.model.department(milestone.departmentId) : undefined;
  return messages(ctx.locale).subtasks.added(
    pick(item.name, ctx.locale),
    pick(milestone.name, ctx.locale),
    d ? departmentName(d, ctx.locale) : (milestone.departmentId ?? ''),
    formatDate(milestone.due, ctx.locale, ctx.today),
  );
}

export function addedReply(item: Item, milestone: Milestone, ctx: CommandContext): Reply {
  const text = addedLine(item, milestone, ctx);
  return { text, blocks: [{ type: 'section', text: md`✅ ${text}` }], visibility: 'ephemeral' };
}

/** The open sub-task a user may report done: its item and milestone, or why not. */
export function reportableSubTask(
  ctx: CommandContext & { userId: string },
  itemId: string,
  milestoneId: string,
): { kind: 'ok'; item: Item; milestone: Milestone } | { kind: 'gone' } | { kind: 'not_yours'; departmentId: string } {
  const item = ctx.model.item(itemId)?.item;
  const milestone = item ? subTasksOf(item).find((m) => m.id === milestoneId) : undefined;
  if (!item || !milestone?.departmentId) return { kind: 'gone' };
  if (own(ctx.model.progress.get(itemId)?.milestonesDone, milestoneId) !== undefined) return { kind: 'gone' };
  return canReportSubTask(ctx.model.db.departments, ctx.userId, item, milestoneId, !!ctx.isAdmin)
    ? { kind: 'ok', item, milestone }
    : { kind: 'not_yours', departmentId: milestone.departmentId };
}
