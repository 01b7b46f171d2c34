/**
 * /duban intake (立项 / 交办录入): what an admin sees when duban drafts commitments from minutes or a
 * report — the drafts with every field's quoted source and what is missing, and the buttons to edit,
 * import and discard. Importing goes the way of a spreadsheet: the drafts become an import file that
 * is previewed, applied and audited by the same code (commands/spreadsheet.ts, src/store/import.ts).
 * Replies and the waiting drafts only; the Slack edge (src/slack/listeners/intake.ts) opens the forms.
 */
import { draftCommitments, keepQuoted, MAX_DRAFTS } from '../src/domain/intake/index.ts';
import { type IntakeItem, itemOf, type MissingField, missingOf } from '../src/domain/intake/items.ts';
import { formatDate, messages } from '../src/i18n/index.ts';
import { departmentName } from '../src/words/status.ts';
import { plainText } from './args.ts';
import type { CommandContext } from './context.ts';
import type { Authored } from './llm-port.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock, trusted } from './reply.ts';
import { notAdminReply } from './spreadsheet.ts';

/** Button action ids; the value is the drafts' token (and, for Edit, the draft's index). */
export const EDIT_DRAFT = 'duban.intake.edit';
export const IMPORT_DRAFTS = 'duban.intake.import';
export const DISCARD_DRAFTS = 'duban.intake.discard';
/** Slack's plain_text_input holds at most this many characters. */
export const MAX_PASTE = 3000;
/** How long drafts wait to be edited and imported. */
export const DRAFT_MINUTES = 120;
const QUOTE_SHOWN = 60;
/** Longer texts (a whole .docx) are drafted by rules: one model request would be too slow and too large. */
export const MODEL_MAX_TEXT = 6000;
/** Rules read at most this much of a document. */
export const MAX_INTAKE_TEXT = 50_000;

const INTAKE_WORDS = new Set(['intake', '立项', '交办录入', '录入']);

/** `/duban intake [text]`; undefined for any other /duban text. */
export function parseIntakeCommand(raw: string): { text: string } | undefined {
  const text = raw.trim();
  const [first = ''] = plainText(text).split(' ');
  if (!INTAKE_WORDS.has(first.toLowerCase())) return undefined;
  return { text: text.replace(/^\S+\s*/u, '') };
}

/**
 * `/duban intake <text>` where there are no forms and no imports (the console): the drafts alone, to
 * see what duban reads; without text, where intake is. Admins only, as in Slack.
 */
export async function runIntakeHere(text: string, ctx: CommandContext): Promise<Reply> {
  if (!ctx.isAdmin) return notAdminReply([], ctx);
  if (!text.trim()) return intakeElsewhereReply(ctx);
  const drafted = await draftIntake(text, ctx);
  const label = messages(ctx.locale).intake.pasted;
  return draftsReply({ token: '', userId: ctx.userId ?? '', label, ...drafted, createdAt: 0 }, ctx, false);
}

/** In the console, which has no forms: where intake is. */
export function intakeElsewhereReply(ctx: CommandContext): Reply {
  const text = messages(ctx.locale).intake.elsewhere;
  return { text: plainText(text), blocks: [{ type: 'section', text: trusted(text) }], visibility: 'ephemeral' };
}

export type Drafted = { items: IntakeItem[]; authored: Authored; more: boolean };

/**
 * Drafts the commitments of a text: by the model when it is on (every field it gives checked against
 * the text), by rules otherwise or when the model fails.
 */
export async function draftIntake(whole: string, ctx: CommandContext): Promise<Drafted> {
  // A document longer than this is drafted from its beginning, and the drafts say there is more.
  const text = whole.length > MAX_INTAKE_TEXT ? whole.slice(0, MAX_INTAKE_TEXT) : whole;
  const cut = text.length < whole.length;
  const departments = ctx.model.db.departments;
  const year = ctx.model.db.meta.year ?? Number(ctx.today.slice(0, 4));
  const assistant = ctx.assistant;
  if (assistant?.enabled() && assistant.draftIntake && text.length <= MODEL_MAX_TEXT) {
    const answer = await assistant.draftIntake({
      text,
      today: ctx.today,
      year,
      departments: departments.map((d) => ({
        id: d.id,
        names: [d.name.zh, d.shortName.zh, ...d.aliases].filter((n): n is string => !!n),
      })),
    });
    if (answer) {
      const drafts = keepQuoted(text, answer.drafts, departments).slice(0, MAX_DRAFTS);
      return { items: drafts.map(itemOf), authored: { by: 'model', model: answer.model }, more: cut };
    }
  }
  const drafts = draftCommitments(text, { departments, today: ctx.today, year });
  return { items: drafts.map(itemOf), authored: { by: 'rules' }, more: cut || drafts.length >= MAX_DRAFTS };
}

// ---------------------------------------------------------------------------------------------
// The drafts message

export type IntakeSession = {
  token: string;
  userId: string;
  label: string;
  items: IntakeItem[];
  authored: Authored;
  more: boolean;
  createdAt: number;
  /** The drafts message, to update after an edit. */
  message?: { channel: string; ts: string };
};

function quote(q: string): string {
  return q.length > QUOTE_SHOWN ? `${q.slice(0, QUOTE_SHOWN)}…` : q;
}

function departmentLabel(id: string, ctx: CommandContext): string {
  const d = ctx.model.department(id);
  return d ? departmentName(d, ctx.locale) : id;
}

function fieldLine(label: string, value: string | undefined, source: string | undefined, ctx: CommandContext): Mrkdwn {
  const m = messages(ctx.locale).intake;
  if (value === undefined) return md`*${label}*　_${m.blank}_`;
  const from = source === undefined ? m.typed : m.quoted(quote(source));
  return md`*${label}*　${value}　_（${from}）_`;
}

/** The missing fields of a draft, named for the reader. */
function missingNames(missing: readonly MissingField[], ctx: CommandContext): string {
  const f = messages(ctx.locale).intake.field;
  return messages(ctx.locale).format.list(missing.map((x) => f[x]));
}

/** The items that block an import, as #1、#3. */
export function blockedRefs(items: readonly IntakeItem[]): number[] {
  return items.flatMap((item, i) => (!item.dropped && missingOf(item).length > 0 ? [i + 1] : []));
}

export function importable(items: readonly IntakeItem[]): IntakeItem[] {
  return items.filter((i) => !i.dropped && missingOf(i).length === 0);
}

/**
 * Every draft with its fields, each field's quoted source and what is missing; Edit per draft; Import
 * all. Without `buttons` (the console, which cannot edit or import), the same list alone.
 */
export function draftsReply(session: IntakeSession, ctx: CommandContext, buttons = true): Reply {
  const m = messages(ctx.locale).intake;
  const f = m.field;
  const title = m.draftsTitle(session.label, session.items.length);
  if (session.items.length === 0) {
    const text = m.noDrafts(session.label);
    return { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'in_channel' };
  }
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    {
      type: 'context',
      elements: [md`${session.authored.by === 'model' ? m.byModel(session.authored.model) : m.byRules}`],
    },
  ];
  session.items.forEach((item, i) => {
    const figure = item.figure?.value;
    const figureText = figure
      ? `${figure.comparator === 'atMost' ? '≤ ' : figure.comparator === 'atLeast' ? '≥ ' : ''}${figure.value}${figure.unit}`
      : undefined;
    const lines = [
      md`*#${i + 1}*${item.dropped ? ` ${m.dropped}` : ''}`,
      fieldLine(f.name, item.name?.value, item.name?.quote, ctx),
      fieldLine(f.lead, item.lead && departmentLabel(item.lead.value, ctx), item.lead?.quote, ctx),
      ...(item.co.length > 0
        ? [
            md`*${f.co}*　${messages(ctx.locale).format.list(item.co.map((c) => departmentLabel(c.value, ctx)))}　_（${item.co.every((c) => c.quote === undefined) ? m.typed : m.quoted(quote(item.co.flatMap((c) => (c.quote ? [c.quote] : [])).join('、')))}）_`,
          ]
        : []),
      fieldLine(
        f.deadline,
        item.deadline && formatDate(item.deadline.value, ctx.locale, ctx.today),
        item.deadline?.quote,
        ctx,
      ),
      ...(figureText ? [fieldLine(f.figure, figureText, item.figure?.quote, ctx)] : []),
    ];
    blocks.push({
      type: 'section',
      text: joinMd(lines),
      ...(buttons ? { button: { text: m.edit, actionId: EDIT_DRAFT, value: `${session.token}:${i}` } } : {}),
    });
    const notes: Mrkdwn[] = [md`${f.sentence}：${quote(item.sentence)}`];
    const missing = missingOf(item);
    if (!item.dropped && missing.length > 0) notes.push(md`⚠️ ${m.missing(missingNames(missing, ctx))}`);
    if (item.unknown.length > 0) notes.push(md`${m.unknown(messages(ctx.locale).format.list(item.unknown))}`);
    blocks.push({ type: 'context', elements: [joinMd(notes)] });
  });
  if (session.more) blocks.push({ type: 'context', elements: [md`${m.moreDrafts(session.items.length)}`] });
  const blocked = blockedRefs(session.items);
  const refs = blocked.map((n) => `#${n}`).join('、');
  if (blocked.length > 0) blocks.push({ type: 'context', elements: [md`${m.blockedNote(refs)}`] });
  if (!buttons) return { text: title, blocks, visibility: 'ephemeral' };
  const ready = importable(session.items).length;
  blocks.push({
    type: 'actions',
    buttons: [
      blocked.length > 0
        ? { text: m.importBlocked(refs), actionId: IMPORT_DRAFTS, value: session.token }
        : { text: m.importAll(ready), actionId: IMPORT_DRAFTS, value: session.token, style: 'primary' },
      { text: m.discard, actionId: DISCARD_DRAFTS, value: session.token },
    ],
  });
  return { text: title, blocks, visibility: 'in_channel' };
}

export function discardedReply(ctx: CommandContext): Reply {
  const text = messages(ctx.locale).intake.discarded;
  return { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'in_channel' };
}

// ---------------------------------------------------------------------------------------------
// Drafts waiting to be edited and imported

export type TakeDrafts = { kind: 'ok'; session: IntakeSession } | { kind: 'expired' } | { kind: 'not_yours' };

/**
 * Drafts waiting for the admin, in memory: bounded (one set per admin, at most `max`) and forgotten
 * after `ttlMs` or a restart, when the buttons answer "expired" and the admin drafts again.
 */
export class IntakeSessions {
  readonly #entries = new Map<string, IntakeSession>();
  constructor(private readonly options: { ttlMs: number; max: number; clock: () => number; newToken: () => string }) {}

  add(userId: string, label: string, drafted: Drafted): IntakeSession {
    this.#prune();
    for (const [token, s] of this.#entries) if (s.userId === userId) this.#entries.delete(token);
    while (this.#entries.size >= this.options.max) this.#entries.delete(this.#entries.keys().next().value!);
    const session: IntakeSession = {
      token: this.options.newToken(),
      userId,
      label,
      ...drafted,
      createdAt: this.options.clock(),
    };
    this.#entries.set(session.token, session);
    return session;
  }

  get(token: string, userId: string): TakeDrafts {
    this.#prune();
    const session = this.#entries.get(token);
    if (!session) return { kind: 'expired' };
    if (session.userId !== userId) return { kind: 'not_yours' };
    return { kind: 'ok', session };
  }

  delete(token: string): void {
    this.#entries.delete(token);
  }

  #prune(): void {
    const now = this.options.clock();
    for (const [token, s] of this.#entries) if (now - s.createdAt >= this.options.ttlMs) this.#entries.delete(token);
  }
}
