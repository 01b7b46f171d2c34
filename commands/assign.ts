/**
 * 交办 and 签收 as use cases: who may assign, recording a new assigned item (one transaction: the
 * item and its `item.assign` event), the message each department receives with its 签收 button, and
 * recording a signature. Plain data and the store port; the Slack edge (src/slack/listeners/assign.ts)
 * opens the form, posts the messages and updates them.
 */
import {
  type AssignInput,
  assignedCommitment,
  assignedItemId,
  canAssign,
  type Signature,
  signatureOf,
  signingDepartment,
} from '../src/domain/assign.ts';
import { localDate } from '../src/domain/dates.ts';
import type { Commitment, MessageRef } from '../src/domain/schema.ts';
import { formatDate, type Locale, messages, pick } from '../src/i18n/index.ts';
import type { CommandContext, WriteContext } from './context.ts';
import { departmentName } from './format.ts';
import { type Button, joinMd, md, type Reply, type ReplyBlock, trusted } from './reply.ts';

export const SIGN = 'duban.sign';

/** The refusal for someone who may not assign, naming who can; undefined when they may. */
export function assignRefusal(ctx: CommandContext): Reply | undefined {
  const { settings, departments } = ctx.model.db;
  const m = messages(ctx.locale).assign;
  if (ctx.userId && canAssign(settings, departments, ctx.userId, ctx.isAdmin === true)) {
    if (departments.length > 0) return undefined;
    return {
      text: m.noDepartments,
      blocks: [{ type: 'section', text: md`${m.noDepartments}` }],
      visibility: 'ephemeral',
    };
  }
  const text = m.whoCanAssign[settings.assigners];
  return { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'ephemeral' };
}

/** A signature's time as people read it: the zone's date and hour, "2026-12-07 10:30". */
export function signedAt(at: string, timeZone: string): string {
  const d = new Date(at);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(
    d,
  );
  return `${localDate(d, timeZone)} ${time}`;
}

/** What a 签收 button carries: the item and the department the message was for. */
export function signValue(itemId: string, departmentId: string): string {
  return `${itemId} ${departmentId}`;
}

export function signButton(itemId: string, departmentId: string, locale: Locale): Button {
  return {
    text: messages(locale).assign.sign,
    actionId: SIGN,
    value: signValue(itemId, departmentId),
    style: 'primary',
  };
}

/** The 签收 button of a reminder: signing there answers the signer alone, the reminder stays as it is. */
export function reminderSignButton(itemId: string, departmentId: string, locale: Locale): Button {
  return { ...signButton(itemId, departmentId, locale), value: `${signValue(itemId, departmentId)} reminder` };
}

export type Assigned = { item: Commitment; number?: number };

/**
 * Records a new assigned item: the commitment and its `item.assign` event in one transaction, so it
 * is on disk before anyone is told. `input` has been checked (checkAssignInput).
 */
export async function recordAssignment(
  input: AssignInput & { leadId: string; deadline: string },
  source: { link?: string; message?: MessageRef; quote?: string },
  ctx: WriteContext,
): Promise<Assigned> {
  const at = ctx.now.toISOString();
  const { result, model } = await ctx.store.transact((tx) => {
    const s = tx.state;
    const taken = new Set([...s.targets, ...s.projects, ...s.commitments].map((i) => i.id));
    const item = assignedCommitment(input, {
      id: assignedItemId(ctx.today, taken),
      today: ctx.today,
      by: ctx.userId,
      at,
      ...source,
    });
    tx.replace({ ...s, commitments: [...s.commitments, item] });
    tx.append({ type: 'item.assign', at, by: ctx.userId, itemId: item.id, item });
    return item;
  });
  const number = model.numberOf(result.id);
  return { item: result, ...(number !== undefined ? { number } : {}) };
}

function departmentWords(ctx: CommandContext, id: string): string {
  const d = ctx.model.department(id);
  return d ? departmentName(d, ctx.locale) : id;
}

/** The message a department receives about a new assignment: lead or supporting, with its 签收 button or who signed. */
export function assignmentMessage(
  item: Commitment,
  departmentId: string,
  ctx: CommandContext,
  signature?: Signature,
): Reply {
  const m = messages(ctx.locale).assign;
  const a = item.assignment;
  const urgency = m.urgencies[a?.urgency ?? 'normal'];
  const n = ctx.model.numberOf(item.id);
  const title = m.postTitle(urgency);
  const lead = departmentWords(ctx, item.departmentId);
  const role = departmentId === item.departmentId ? 'lead' : 'co';
  const ask = role === 'lead' ? m.postLead(lead) : m.postCo(departmentWords(ctx, departmentId), lead);
  const name = pick(item.name, ctx.locale);
  const lines = [
    md`*${n ? `#${n} ` : ''}${name}*${role === 'co' ? ` · ${m.co_label}` : ''}`,
    md`${ask}`,
    md`${m.deadlineLine(formatDate(item.period.end, ctx.locale, ctx.today))}　${m.sourceLine(m.sources[a?.source ?? 'other'])}`,
  ];
  const co = item.coDepartmentIds.map((id) => departmentWords(ctx, id));
  if (co.length > 0) lines.push(md`${m.co}：${messages(ctx.locale).format.list(co)}`);
  const context = [joinMd([md`${m.assignedBy}`, who(a?.by ?? '')], '')];
  // A link Slack gave (chat.getPermalink) or an import carried: linked only when it cannot break out of <…|…>.
  if (a?.link && /^https?:\/\/[^\s<>|]+$/.test(a.link))
    context.push(trusted(`<${a.link}|${md`${m.fromMessage}`.mrkdwn}>`));
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    { type: 'section', text: joinMd(lines) },
    { type: 'context', elements: context },
  ];
  if (signature)
    blocks.push({
      type: 'section',
      text: md`✅ ${trusted(m.signedLine(who(signature.by).mrkdwn, md`${signedAt(signature.at, ctx.model.timeZone)}`.mrkdwn))}`,
    });
  else blocks.push({ type: 'actions', buttons: [signButton(item.id, departmentId, ctx.locale)] });
  blocks.push({ type: 'context', elements: [md`${m.replyHint}`] });
  return {
    text: `${title}: ${name}`,
    blocks,
    visibility: 'in_channel',
    about: { departmentId: item.departmentId, itemIds: [item.id] },
  };
}

/** A person, mentioned; anything else (an import) said as it is, escaped. */
function who(by: string): ReturnType<typeof md> {
  return /^[UW][A-Z0-9]{2,}$/.test(by) ? trusted(`<@${by}>`) : md`${by}`;
}

/** What the assigner is told once the item is recorded and the departments notified. */
export function assignedReply(assigned: Assigned, notified: string[], missed: string[], ctx: CommandContext): Reply {
  const m = messages(ctx.locale).assign;
  const list = messages(ctx.locale).format.list;
  const n = assigned.number ? `#${assigned.number}` : assigned.item.id;
  const lines = [
    md`✅ ${m.assigned(n, pick(assigned.item.name, ctx.locale), departmentWords(ctx, assigned.item.departmentId))}`,
  ];
  if (notified.length > 0) lines.push(md`${m.notified(list(notified.map((id) => departmentWords(ctx, id))))}`);
  if (missed.length > 0) lines.push(md`⚠️ ${m.notNotified(list(missed.map((id) => departmentWords(ctx, id))))}`);
  const text = joinMd(lines);
  return {
    text: m.assigned(n, pick(assigned.item.name, ctx.locale), departmentWords(ctx, assigned.item.departmentId)),
    blocks: [{ type: 'section', text }],
    visibility: 'ephemeral',
  };
}

export type SignOutcome =
  | { kind: 'gone' }
  | { kind: 'not_yours'; departmentId: string }
  | { kind: 'already'; departmentId: string; signature: Signature; item: Commitment }
  | { kind: 'signed'; departmentId: string; signature: Signature; item: Commitment };

/**
 * Records a signature: the clicker signs for the message's department when they are one of its
 * people, else for the item's department they belong to (a supporting department for its part).
 * Signing again says who already signed.
 */
export async function signItem(value: string, ctx: WriteContext): Promise<SignOutcome> {
  const [itemId = '', messageDepartment = ''] = value.split(' ');
  const { result } = await ctx.store.transact((tx): SignOutcome => {
    const s = tx.state;
    const item = s.commitments.find((c) => c.id === itemId);
    if (!item?.assignment) return { kind: 'gone' };
    const belongs = (id: string) =>
      s.departments.some((d) => d.id === id && (d.memberIds.includes(ctx.userId) || d.leadIds.includes(ctx.userId)));
    const forMessage = [item.departmentId, ...item.coDepartmentIds].includes(messageDepartment);
    const own =
      forMessage && belongs(messageDepartment) ? messageDepartment : signingDepartment(item, s.departments, ctx.userId);
    if (!own) return { kind: 'not_yours', departmentId: messageDepartment || item.departmentId };
    const known = signatureOf(s.signs, item.id, own);
    if (known) return { kind: 'already', departmentId: own, signature: known, item };
    const at = ctx.now.toISOString();
    tx.append({ type: 'sign', at, by: ctx.userId, itemId: item.id, departmentId: own });
    return { kind: 'signed', departmentId: own, signature: { by: ctx.userId, at }, item };
  });
  return result;
}

/** The answer to a click that did not sign: not one of the department's people, or already signed. */
export function signRefusal(outcome: Exclude<SignOutcome, { kind: 'signed' }>, ctx: CommandContext): Reply {
  const m = messages(ctx.locale).assign;
  const plainText =
    outcome.kind === 'gone'
      ? m.gone
      : outcome.kind === 'not_yours'
        ? m.notYours(departmentWords(ctx, outcome.departmentId))
        : m.sign;
  const text =
    outcome.kind !== 'already'
      ? md`${plainText}`
      : trusted(
          m.alreadySigned(
            who(outcome.signature.by).mrkdwn,
            md`${signedAt(outcome.signature.at, ctx.model.timeZone)}`.mrkdwn,
          ),
        );
  return { text: plainText, blocks: [{ type: 'section', text }], visibility: 'ephemeral' };
}

/** Lines for an item's detail view: who signed for each of its departments, or that it has not. */
export function signLines(item: Commitment, ctx: CommandContext): ReturnType<typeof md>[] {
  if (!item.assignment) return [];
  const m = messages(ctx.locale).assign;
  return [item.departmentId, ...item.coDepartmentIds].map((id) => {
    const sig = signatureOf(ctx.model.db.signs, item.id, id);
    const dept = departmentWords(ctx, id);
    return sig
      ? trusted(
          `✅ ${m.signedDetail(md`${dept}`.mrkdwn, who(sig.by).mrkdwn, md`${signedAt(sig.at, ctx.model.timeZone)}`.mrkdwn)}`,
        )
      : md`▫️ ${m.notSignedDetail(dept)}`;
  });
}
