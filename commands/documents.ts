/**
 * `/duban 督办单 #12 [提示单|督办单|督办函]` and `/duban 督办单 模板` (admins): a document by hand, and the
 * wording of all of them. The command answers at once and asks the edge for what needs Slack — the
 * preview file in the admin's DM with 发出 / 取消, or the template form. 发出 numbers and posts the document
 * (src/documents/issue.ts); the template is stored in settings with a `settings` journal event.
 */

import { PLACEHOLDERS, unknownPlaceholders } from '../src/documents/template.ts';
import { DOCUMENT_LEVELS, type DocumentLevel, levelOfEscalation } from '../src/domain/documents.ts';
import { own } from '../src/domain/lookup.ts';
import type { Settings } from '../src/domain/schema.ts';
import { formatDate, type Locale, messages, pick } from '../src/i18n/index.ts';
import { type CommandContext, canWrite, type WriteContext } from './context.ts';
import { departmentName, usageReply } from './format.ts';
import { joinMd, md, type Reply, trusted } from './reply.ts';
import { resolveItem } from './reporting/index.ts';

export const DOCUMENT_SEND = 'duban.document.send';
export const DOCUMENT_CANCEL = 'duban.document.cancel';
export const DOCUMENT_TEMPLATES_FORM = 'duban.document.templates';
export const DOCUMENT_TEMPLATES_PREVIEW = 'duban.document.templates.preview';
export const EXAMPLE = '/duban 督办单 #12 督办单';

/** The words that ask for this command, and for its template. */
export const DOCUMENT_WORDS = ['督办单', 'document'] as const;
const TEMPLATE_WORDS = new Set(['模板', 'template', 'templates']);

/** What the edge does for the command: send the preview, or open the template form. */
export type DocumentEffect =
  | { type: 'document_preview'; level: DocumentLevel; departmentId: string; itemIds: string[] }
  | { type: 'document_templates' };

export type DocumentArgs =
  | { sub: 'templates' }
  | { sub: 'issue'; item: string; level?: DocumentLevel; badLevel?: string }
  | { sub: 'usage' };

/** The level a word names, in Chinese or English. */
export function levelOfWord(word: string): DocumentLevel | undefined {
  const w = word.trim().toLowerCase();
  for (const locale of ['zh-CN', 'en'] as const) {
    const names = messages(locale).documents.level;
    const hit = DOCUMENT_LEVELS.find((l) => names[l].toLowerCase() === w || l === w);
    if (hit) return hit;
  }
  return undefined;
}

/** Reads what follows `/duban 督办单`. */
export function parseDocument(text: string): DocumentArgs {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  if (!first) return { sub: 'usage' };
  if (TEMPLATE_WORDS.has(first.toLowerCase())) return { sub: 'templates' };
  if (rest.length === 0) return { sub: 'issue', item: first };
  // The level is the rest: English names have spaces (Supervision letter).
  const word = rest.join(' ');
  const level = levelOfWord(word);
  return level ? { sub: 'issue', item: first, level } : { sub: 'issue', item: first, badLevel: word.slice(0, 40) };
}

export type DocumentResult = { reply?: Reply; effects: DocumentEffect[] };

export function runDocument(args: DocumentArgs, ctx: CommandContext): DocumentResult {
  const m = messages(ctx.locale);
  const w = m.documents;
  const usage = (problem: string) => ({ reply: usageReply(problem, EXAMPLE, ctx.locale), effects: [] });
  if (!canWrite(ctx)) return usage(m.admin.readOnly);
  if (!ctx.isAdmin) return usage(m.admin.adminsOnly);
  if (args.sub === 'usage') return usage(w.usage);
  if (args.sub === 'templates') return { effects: [{ type: 'document_templates' }] };
  if (args.badLevel) return usage(w.badLevel(args.badLevel));
  const found = resolveItem(ctx.model, args.item);
  if (found.kind !== 'one') return usage(m.progress.noSuchItem(args.item));
  const department = ctx.model.department(found.item.departmentId);
  if (!department) return usage(m.progress.noSuchItem(args.item));
  const name = departmentName(department, ctx.locale);
  if (!department.channelId) return usage(w.noChannel(name));
  // Without a level, the ladder's next step for the item: the level its reminders have escalated to.
  const level = args.level ?? levelOfEscalation(Math.max(1, own(ctx.model.db.streaks, found.item.id)?.level ?? 0));
  const text = w.previewSent(w.level[level], pick(found.item.name, ctx.locale));
  return {
    reply: { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'ephemeral' },
    effects: [{ type: 'document_preview', level, departmentId: department.id, itemIds: [found.item.id] }],
  };
}

/** What the 发出 and 取消 buttons carry: the preview's own id (the step's key), level, department and items. */
export type PreviewValue = { p: string; l: DocumentLevel; d: string; i: string[] };

export function parsePreviewValue(value: string): PreviewValue | undefined {
  try {
    const v = JSON.parse(value) as Partial<PreviewValue>;
    if (typeof v.p !== 'string' || typeof v.d !== 'string' || !Array.isArray(v.i)) return undefined;
    if (!DOCUMENT_LEVELS.includes(v.l as DocumentLevel)) return undefined;
    if (!v.i.every((x) => typeof x === 'string')) return undefined;
    return { p: v.p, l: v.l as DocumentLevel, d: v.d, i: v.i };
  } catch {
    return undefined;
  }
}

/** The message beside the preview file: what will be posted where, and 发出 / 取消. */
export function previewReply(value: PreviewValue, deadline: string, ctx: CommandContext): Reply {
  const w = messages(ctx.locale).documents;
  const department = ctx.model.department(value.d);
  const name = department ? departmentName(department, ctx.locale) : value.d;
  const items = messages(ctx.locale).format.list(
    value.i.map((id) => {
      const found = ctx.model.item(id);
      const n = ctx.model.numberOf(id);
      return `${found ? pick(found.item.name, ctx.locale) : id}${n ? ` #${n}` : ''}`;
    }),
  );
  const title = w.previewTitle(w.level[value.l], name);
  const channel = department?.channelId ? `<#${department.channelId}>` : '—';
  const json = JSON.stringify(value);
  return {
    text: title,
    blocks: [
      { type: 'header', text: title },
      {
        type: 'section',
        text: joinMd([
          // The channel id is validated by the schema; everything else is escaped.
          joinMd([md`${w.previewTo}`, trusted(channel)], ''),
          md`${w.previewText(items, formatDate(deadline, ctx.locale, ctx.today))}`,
        ]),
      },
      {
        type: 'actions',
        buttons: [
          { text: w.send, actionId: DOCUMENT_SEND, value: json, style: 'primary' },
          { text: w.cancel, actionId: DOCUMENT_CANCEL, value: json },
        ],
      },
    ],
    visibility: 'in_channel',
  };
}

const CHANNEL_MARK = '\u0001channel\u0001';

/** A one-line answer naming a channel (`w.sent(…, CHANNEL)`), the channel as Slack's own link. */
export function channelNoteReply(say: (channel: string) => string, channelId: string): Reply {
  // The id comes from the store, validated as a Slack channel id; the rest is escaped.
  const mrkdwn = md`${say(CHANNEL_MARK)}`.mrkdwn.replace(CHANNEL_MARK, `<#${channelId}>`);
  return { text: say(`#${channelId}`), blocks: [{ type: 'section', text: trusted(mrkdwn) }], visibility: 'in_channel' };
}

/** A one-line answer that replaces the preview message. */
export function noteReply(text: string): Reply {
  return { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'in_channel' };
}

export type TemplateFields = {
  notice?: string;
  supervision?: string;
  letter?: string;
  body?: string;
  requirement?: string;
};

/** The form's fields checked: each unknown placeholder is named in the field it is in. */
export function checkTemplates(
  fields: TemplateFields,
  locale: Locale,
): { ok: true; templates: NonNullable<Settings['documents']>['templates'] } | { ok: false; errors: TemplateFields } {
  const w = messages(locale).documents;
  const errors: TemplateFields = {};
  const clean = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  for (const key of ['notice', 'supervision', 'letter', 'body', 'requirement'] as const) {
    const bad = unknownPlaceholders(fields[key] ?? '');
    if (bad.length > 0)
      errors[key] = w.unknownPlaceholders(
        messages(locale).format.list(bad.map((b) => `{${b}}`)),
        PLACEHOLDERS.map((k) => `{${k}}`).join(' '),
      );
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // What equals the default is not stored, so a later change of the default wording reaches it.
  const defaults = messages('zh-CN').documents.defaults;
  const title: Partial<Record<DocumentLevel, string>> = {};
  for (const level of DOCUMENT_LEVELS) {
    const v = clean(fields[level]);
    if (v && v !== defaults.title[level]) title[level] = v;
  }
  const body = clean(fields.body) === defaults.body.trim() ? undefined : clean(fields.body);
  const requirement = clean(fields.requirement) === defaults.requirement.trim() ? undefined : clean(fields.requirement);
  return { ok: true, templates: { title, ...(body ? { body } : {}), ...(requirement ? { requirement } : {}) } };
}

/** Stores the wording with a `settings` event; says whether anything changed. */
export async function saveTemplates(
  templates: NonNullable<Settings['documents']>['templates'],
  ctx: WriteContext,
): Promise<boolean> {
  const { result } = await ctx.store.transact((tx) => {
    const before = tx.state.settings;
    const after: Settings = { ...before, documents: { ...before.documents, templates } };
    if (JSON.stringify(before.documents?.templates ?? { title: {} }) === JSON.stringify(templates)) return false;
    tx.append({ type: 'settings', at: ctx.now.toISOString(), by: ctx.userId, before, after });
    return true;
  });
  return result;
}
