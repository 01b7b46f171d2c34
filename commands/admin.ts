/**
 * The supervision office's commands: who belongs to which department, where a department's channel
 * is, exemptions, and the audit trail. Listing members is open to all; changes are for admins. Setting
 * a channel also says whether duban is in it (joining a public one), since only then do replies in its
 * threads reach duban.
 */
import type { JournalEvent, JournalEventInput } from '../src/domain/journal.ts';
import { own } from '../src/domain/lookup.ts';
import { reportersOf } from '../src/domain/permissions.ts';
import type { Department } from '../src/domain/schema.ts';
import { formatDate, formatNumber, type Locale, messages, pick } from '../src/i18n/index.ts';
import type { CommandContext, WriteContext } from './context.ts';
import { canWrite } from './context.ts';
import { departmentName, reporterName, usageReply } from './format.ts';
import { joinMd, type Mrkdwn, md, type Reply, trusted } from './reply.ts';
import { resolveItem } from './reporting/index.ts';
import { lookupDepartment } from './views.ts';

const USER = /<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>|\b([UW][A-Z0-9]{8,})\b/;
const CHANNEL = /<#([CG][A-Z0-9]{2,})(?:\|[^>]*)?>|\b([CG][A-Z0-9]{8,})\b/;

export type AdminArgs =
  | { sub: 'member' | 'lead'; change: 'add' | 'remove'; userId?: string; department: string }
  | { sub: 'members'; department: string }
  | { sub: 'channel'; department: string; channelId?: string }
  | { sub: 'exempt'; item: string; reason: string }
  | { sub: 'unexempt'; item: string }
  | { sub: 'audit'; item: string }
  | { sub: 'review-channel'; channelId?: string };

/** Reads the words after `/duban member|lead|members|channel|exempt|unexempt|audit`, from Slack's raw text. */
export function parseAdmin(sub: string, rawRest: string): AdminArgs | undefined {
  const rest = rawRest.trim();
  const user = USER.exec(rest);
  const userId = user ? (user[1] ?? user[2]) : undefined;
  const withoutUser = rest.replace(USER, ' ').replace(/\s+/g, ' ').trim();
  switch (sub) {
    case 'member':
    case 'lead': {
      const [change, ...dept] = withoutUser.split(' ');
      if (change !== 'add' && change !== 'remove' && change !== '添加' && change !== '移除') return undefined;
      return {
        sub,
        change: change === 'add' || change === '添加' ? 'add' : 'remove',
        ...(userId ? { userId } : {}),
        department: dept.join(' '),
      };
    }
    case 'members':
      return { sub, department: rest };
    case 'channel': {
      const ch = CHANNEL.exec(rest);
      return { sub, department: rest.replace(CHANNEL, ' ').trim(), ...(ch ? { channelId: ch[1] ?? ch[2] } : {}) };
    }
    case 'review-channel': {
      const ch = CHANNEL.exec(rest);
      return { sub, ...(ch ? { channelId: ch[1] ?? ch[2] } : {}) };
    }
    case 'exempt': {
      const [item = '', ...reason] = rest.split(/\s+/);
      return { sub, item, reason: reason.join(' ') };
    }
    case 'unexempt':
      return { sub, item: rest.split(/\s+/)[0] ?? '' };
    case 'audit':
      return { sub, item: rest };
  }
  return undefined;
}

export const ADMIN_SUBCOMMANDS = [
  'member',
  'lead',
  'members',
  'channel',
  'review-channel',
  'exempt',
  'unexempt',
  'audit',
] as const;

function ephemeral(lines: Mrkdwn[], text: string): Reply {
  return { text, blocks: [{ type: 'section', text: joinMd(lines) }], visibility: 'ephemeral' };
}

/**
 * A channel just set, and where duban stands in it, joining it when it is public: the lines to add to
 * the answer (none where duban does not run in Slack).
 */
export async function channelSetLines(said: string, channelId: string, ctx: CommandContext): Promise<Mrkdwn[]> {
  // Ids come from Slack's own <#C…> markup, validated by the pattern: safe to render as a channel link.
  const lines = [trusted(`${md`${said}`.mrkdwn} <#${channelId}>`)];
  if (!ctx.channels) return lines;
  const access = await ctx.channels.ensure(channelId);
  return [...lines, md`${messages(ctx.locale).membership.access[access]}`];
}

function people(ids: readonly string[], locale: Locale): Mrkdwn {
  // Ids come from the store, validated as Slack user ids: safe to render as mentions.
  return ids.length ? trusted(ids.map((u) => `<@${u}>`).join(' ')) : md`${messages(locale).admin.nobody}`;
}

export function membersReply(d: Department, locale: Locale): Reply {
  const m = messages(locale).admin;
  const name = departmentName(d, locale);
  const colon = messages(locale).format.colon;
  const lines = [
    md`*${name}*`,
    joinMd([md`${m.leads}${colon}`, people(d.leadIds, locale)], ''),
    joinMd([md`${m.members}${colon}`, people(d.memberIds, locale)], ''),
  ];
  lines.push(
    d.channelId
      ? trusted(`${md`${m.channel}${colon}`.mrkdwn}<#${d.channelId}>`)
      : md`${m.channel}${colon}${m.noChannel}`,
  );
  return ephemeral(lines, `${name}: ${reportersOf(d).length}`);
}

/** Runs an admin subcommand; changes are refused politely to anyone but an admin. */
export async function runAdmin(args: AdminArgs, ctx: CommandContext): Promise<Reply> {
  const m = messages(ctx.locale).admin;
  const example = messages(ctx.locale).examples.admin[args.sub];
  if (args.sub === 'members') {
    if (!args.department) {
      const lines = ctx.model.db.departments.map((d) =>
        joinMd([md`*${departmentName(d, ctx.locale)}*　`, people(reportersOf(d), ctx.locale)], ''),
      );
      return ephemeral(lines.length ? lines : [md`${messages(ctx.locale).errors.emptyStore}`], m.membersTitle);
    }
    const found = lookupDepartment(args.department, ctx, example, true);
    return found.kind === 'one'
      ? membersReply(found.department, ctx.locale)
      : found.kind === 'reply'
        ? found.reply
        : usageReply(m.unknownDepartment, example, ctx.locale);
  }
  if (!canWrite(ctx)) return usageReply(m.readOnly, example, ctx.locale);
  if (!ctx.isAdmin) return usageReply(m.adminsOnly, example, ctx.locale);
  const at = ctx.now.toISOString();
  switch (args.sub) {
    case 'member':
    case 'lead': {
      if (!args.userId) return usageReply(m.needUser, example, ctx.locale);
      const found = lookupDepartment(args.department, ctx, example, true);
      if (found.kind !== 'one')
        return found.kind === 'reply' ? found.reply : usageReply(m.unknownDepartment, example, ctx.locale);
      const d = found.department;
      await write(ctx, {
        type: 'membership',
        at,
        by: ctx.userId,
        departmentId: d.id,
        role: args.sub,
        userId: args.userId,
        change: args.change,
      });
      const done =
        args.change === 'add'
          ? m.added(args.sub === 'lead' ? m.lead : m.member, departmentName(d, ctx.locale))
          : m.removed(args.sub === 'lead' ? m.lead : m.member, departmentName(d, ctx.locale));
      return ephemeral([trusted(`<@${args.userId}> ${md`${done}`.mrkdwn}`)], done);
    }
    case 'channel': {
      if (!args.channelId) return usageReply(m.needChannel, example, ctx.locale);
      const found = lookupDepartment(args.department, ctx, example, true);
      if (found.kind !== 'one')
        return found.kind === 'reply' ? found.reply : usageReply(m.unknownDepartment, example, ctx.locale);
      const d = found.department;
      await write(ctx, {
        type: 'channel',
        at,
        by: ctx.userId,
        departmentId: d.id,
        ...(d.channelId ? { before: d.channelId } : {}),
        after: args.channelId,
      });
      const said = m.channelSet(departmentName(d, ctx.locale));
      return ephemeral(await channelSetLines(said, args.channelId, ctx), said);
    }
    case 'review-channel': {
      if (!args.channelId) return usageReply(m.needChannel, example, ctx.locale);
      const channelId = args.channelId;
      await ctx.store.transact((tx) =>
        tx.replace({ ...tx.state, settings: { ...tx.state.settings, supervisionChannelId: channelId } }),
      );
      return ephemeral(await channelSetLines(m.reviewChannelSet, channelId, ctx), m.reviewChannelSet);
    }
    case 'exempt':
    case 'unexempt': {
      const found = resolveItem(ctx.model, args.item);
      if (found.kind !== 'one')
        return usageReply(messages(ctx.locale).progress.noSuchItem(args.item), example, ctx.locale);
      if (args.sub === 'exempt' && !args.reason) return usageReply(m.needReason, example, ctx.locale);
      await write(ctx, {
        type: 'exemption',
        at,
        by: ctx.userId,
        itemId: found.item.id,
        change: args.sub === 'exempt' ? 'set' : 'clear',
        ...(args.sub === 'exempt' ? { reason: args.reason.slice(0, 500) } : {}),
      });
      const name = pick(found.item.name, ctx.locale);
      const text = args.sub === 'exempt' ? m.exempted(name, args.reason) : m.unexempted(name);
      return ephemeral([md`${text}`], text);
    }
    case 'audit':
      return auditReply(args.item, ctx);
  }
}

async function write(ctx: WriteContext, event: JournalEventInput): Promise<void> {
  await ctx.store.transact((tx) => {
    tx.append(event);
  });
}

/** One journal event in words, for /duban audit. */
export function describeEvent(e: JournalEvent, ctx: CommandContext): Mrkdwn {
  const m = messages(ctx.locale).audit;
  const itemName = (id: string) => {
    const found = ctx.model.item(id);
    return found ? pick(found.item.name, ctx.locale) : id;
  };
  // A person is mentioned; duban, an import or the sample data are said in words, never as their labels.
  const who = /^[UW][A-Z0-9]{2,}$/.test(e.by) ? trusted(`<@${e.by}>`) : md`${reporterName(e.by, ctx.locale)}`;
  const when = md`${e.at.slice(0, 16).replace('T', ' ')}`;
  let what: Mrkdwn;
  switch (e.type) {
    case 'update': {
      const u = e.update;
      const fig =
        u.value !== undefined
          ? formatNumber(u.value, ctx.locale)
          : u.percent !== undefined
            ? `${formatNumber(u.percent, ctx.locale)}%`
            : u.state
              ? messages(ctx.locale).state[u.state]
              : '';
      what = md`${m.update(itemName(u.itemId), fig)}${u.evidenceWaived ? m.evidenceWaived : ''}${u.note ? ` — ${u.note.slice(0, 120)}` : ''}`;
      break;
    }
    case 'update.edit':
      what = md`${m.edit(itemName(e.itemId), JSON.stringify(compact(e.before)), JSON.stringify(compact(e.after)))}`;
      break;
    case 'update.retract':
      what = md`${m.retract(itemName(e.itemId))}`;
      break;
    case 'review.request':
      what = md`${m.reviewRequest(itemName(e.review.itemId))}`;
      break;
    case 'review.decide':
      what = md`${e.decision === 'approved' ? m.approved(itemName(e.itemId)) : m.returned(itemName(e.itemId), e.reason ?? '')}`;
      break;
    case 'extension.request':
      what = md`${m.extensionRequest(itemName(e.itemId), e.request.from, e.request.to, e.request.reason.slice(0, 200))}`;
      break;
    case 'extension.decide': {
      const to = own(ctx.model.db.extensions, e.itemId)?.find((r) => r.id === e.requestId)?.to ?? '';
      what = md`${e.decision === 'approved' ? m.extensionApproved(itemName(e.itemId), to) : m.extensionRefused(itemName(e.itemId), e.reason ?? '')}`;
      break;
    }
    case 'membership': {
      const d = ctx.model.department(e.departmentId);
      what = joinMd(
        [
          md`${m.membership(e.change, e.role, d ? departmentName(d, ctx.locale) : e.departmentId)} `,
          trusted(`<@${e.userId}>`),
        ],
        '',
      );
      break;
    }
    case 'channel': {
      const d = ctx.model.department(e.departmentId);
      what = md`${m.channel(d ? departmentName(d, ctx.locale) : e.departmentId, e.before ?? '—', e.after ?? '—')}`;
      break;
    }
    case 'exemption':
      what = md`${e.change === 'set' ? m.exempt(itemName(e.itemId), e.reason ?? '') : m.unexempt(itemName(e.itemId))}`;
      break;
    case 'import':
      what = md`${m.import(e.file)}`;
      break;
    case 'item.assign':
    case 'sign': {
      const itemId = e.type === 'sign' ? e.itemId : e.item.id;
      const deptId = e.type === 'sign' ? e.departmentId : e.item.departmentId;
      const d = ctx.model.department(deptId);
      const dept = d ? departmentName(d, ctx.locale) : deptId;
      what = md`${e.type === 'sign' ? m.sign(itemName(itemId), dept) : m.assign(itemName(itemId), dept)}`;
      break;
    }
    case 'subtask.add': {
      const d = e.milestone.departmentId ? ctx.model.department(e.milestone.departmentId) : undefined;
      const dept = d ? departmentName(d, ctx.locale) : (e.milestone.departmentId ?? '');
      what = md`${messages(ctx.locale).subtasks.audit(itemName(e.itemId), pick(e.milestone.name, ctx.locale), dept, formatDate(e.milestone.due, ctx.locale, ctx.today))}`;
      break;
    }
    case 'reminder': {
      const d = ctx.model.department(e.departmentId);
      what = md`${m.reminder(d ? departmentName(d, ctx.locale) : e.departmentId, e.itemIds.length)}`;
      break;
    }
    case 'escalation': {
      const d = ctx.model.department(e.departmentId);
      what = md`${m.escalation(d ? departmentName(d, ctx.locale) : e.departmentId, e.level, messages(ctx.locale).format.list(e.itemIds.map(itemName)))}`;
      break;
    }
    case 'document': {
      const d = ctx.model.department(e.departmentId);
      const w = messages(ctx.locale).documents;
      what = md`${w.audit(w.level[e.level], messages('zh-CN').documents.number(e.year, e.number), d ? departmentName(d, ctx.locale) : e.departmentId, messages(ctx.locale).format.list(e.itemIds.map(itemName)))}`;
      break;
    }
    case 'snooze': {
      const d = ctx.model.department(e.subject);
      const subject = d ? departmentName(d, ctx.locale) : itemName(e.subject);
      what = md`${e.change === 'set' ? m.snooze(subject, e.until ?? '', e.reason ?? '') : m.unsnooze(subject)}`;
      break;
    }
    case 'absence':
      what = joinMd(
        [
          trusted(`<@${e.userId}> `),
          md`${e.change === 'set' ? m.absence(e.from ?? '', e.to ?? '') : m.absenceCleared}`,
        ],
        '',
      );
      break;
    case 'settings': {
      // A leader named or removed (commands/leaders.ts) is said as such; other settings changes in general.
      const added = e.after.leaderIds.filter((u) => !e.before.leaderIds.includes(u));
      const removed = e.before.leaderIds.filter((u) => !e.after.leaderIds.includes(u));
      const l = messages(ctx.locale).home.leaders;
      const who = (ids: string[], change: 'add' | 'remove') =>
        trusted(`${ids.map((u) => `<@${u}>`).join(' ')} ${md`${l.audit(change)}`.mrkdwn}`);
      what =
        added.length + removed.length === 0
          ? md`${m.settings}`
          : joinMd(
              [...(added.length ? [who(added, 'add')] : []), ...(removed.length ? [who(removed, 'remove')] : [])],
              '；',
            );
      break;
    }
    case 'bulletin':
      what = md`${m.bulletin(e.date)}`;
      break;
    case 'publication': {
      const sc = messages(ctx.locale).scoring;
      what = md`${sc.audit(sc.kind[e.kind], e.period, sc.steps[e.step])}${e.reason ? `${messages(ctx.locale).format.colon}${e.reason}` : ''}`;
      break;
    }
    case 'update.summary':
      what = md`${m.summary(itemName(e.itemId), e.model)} — ${e.summary}`;
      break;
    case 'llm': {
      const d = e.departmentId ? ctx.model.department(e.departmentId) : undefined;
      what = md`${m.llm(e.change === 'on', e.departmentId ? (d ? departmentName(d, ctx.locale) : e.departmentId) : messages(ctx.locale).llm.zone)}`;
      break;
    }
  }
  return joinMd([md`\`#${e.seq}\` `, when, md` · `, who, md` · `, what], '');
}

function compact(patch: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'evidence'));
}

export const AUDIT_LIMIT = 20;

async function auditReply(query: string, ctx: WriteContext): Promise<Reply> {
  const m = messages(ctx.locale).audit;
  let itemId: string | undefined;
  if (query) {
    const found = resolveItem(ctx.model, query);
    if (found.kind !== 'one')
      return usageReply(
        messages(ctx.locale).progress.noSuchItem(query),
        messages(ctx.locale).examples.admin.audit,
        ctx.locale,
      );
    itemId = found.item.id;
  }
  const events = await ctx.store.history(itemId ? { itemId } : {});
  const latest = events.slice(-AUDIT_LIMIT).reverse();
  const title = itemId
    ? m.titleItem(pick(ctx.model.item(itemId)!.item.name, ctx.locale), events.length)
    : m.title(events.length);
  const lines = latest.length ? latest.map((e) => describeEvent(e, ctx)) : [md`${m.empty}`];
  return {
    text: title,
    blocks: [
      { type: 'header', text: title },
      { type: 'section', text: joinMd(lines) },
    ],
    visibility: 'ephemeral',
  };
}
