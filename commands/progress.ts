/**
 * Logging progress: from a thread reply, /progress, the form, or a button answering a question.
 * Exactly once (deliveries are deduplicated by event id and by message), only by the item's own
 * department or an admin, and on disk before the reply says it was recorded.
 */
import { canReport, departmentsOf, needsReview, reportersOf } from '../src/domain/permissions.ts';
import { rankItems, readProgress, type Interpretation, type Unrecorded } from '../src/domain/reading/index.ts';
import { emptyProgress } from '../src/domain/progress.ts';
import { evaluationContext, readModelFromState, type ReadModel } from '../src/domain/read-model.ts';
import { CHOICE_MS, messageKey, SEEN_EVENT_MS, threadRecord } from '../src/domain/delivery.ts';
import { evaluateOne } from '../src/domain/rollup.ts';
import { normalize, searchItems } from '../src/domain/match.ts';
import type { Evidence, Item, ItemKind, MessageRef, ProjectState, Update } from '../src/domain/schema.ts';

type UpdateSource = Update['source'];
import type { PendingChoice, StoreState } from '../src/domain/state.ts';
import type { ItemStatus } from '../src/domain/status.ts';
import { formatNumber, messages, pick, type Locale } from '../src/i18n/index.ts';
import type { CommandContext, WriteContext } from './context.ts';
import { departmentName, STATUS_EMOJI, statusLabel, usageReply } from './format.ts';
import { joinMd, md, trusted, type Mrkdwn, type Reply } from './reply.ts';

export const EXAMPLE = '/progress #12 31 本月新开工5项';

export type Fields = { value?: number; percent?: number; state?: ProjectState; milestoneId?: string };

export type ProgressRequest = {
  itemId: string;
  fields: Fields;
  note?: string;
  evidence: Evidence[];
  source: UpdateSource;
  /** The Slack message it was read from: deduplicates redeliveries and lets edits find it. */
  message?: MessageRef;
  /** The Slack event id, when it came from the Events API. */
  eventId?: string;
  /** Shown in the confirmation: "新增 5 项". */
  increment?: number;
  /** Figures and states in the text that were not recorded, and why: the confirmation says so. */
  unrecorded?: Unrecorded[];
};

export type LogResult =
  | { kind: 'logged'; update: Update; reviewId?: string; before: ItemStatus; after: ItemStatus; model: ReadModel }
  | { kind: 'duplicate' }
  | { kind: 'refused'; reply: Reply };

function statusAt(state: StoreState, ctx: WriteContext, itemId: string): ItemStatus {
  const model = readModelFromState(state, ctx.model.timeZone);
  return evaluateOne(state, model.progress, evaluationContext(state.settings, ctx.today, ctx.model.calendar), itemId)!;
}

/** Who may report for an item, in words: "住建局的联络员（<@U1>）或督查室". */
export function whoCanReport(state: Pick<StoreState, 'departments'>, item: Item, locale: Locale): Mrkdwn {
  const m = messages(locale);
  const owner = state.departments.find((d) => d.id === item.departmentId);
  const people = owner ? reportersOf(owner).map((u) => `<@${u}>`) : [];
  const name = owner ? departmentName(owner, locale) : item.departmentId;
  // User ids come from the store, validated as U…/W… ids, so they are safe to render as mentions.
  const list = people.length ? (locale === 'en' ? ` (${people.join(' ')})` : `（${people.join(' ')}）`) : '';
  return trusted(`${md`${m.progress.whoCanReport(name)}`.mrkdwn}${list}${md`${m.progress.orAdmins}`.mrkdwn}`);
}

function refusal(item: Item, state: StoreState, locale: Locale): Reply {
  const m = messages(locale);
  const text = joinMd([md`${m.progress.notYours(pick(item.name, locale))}`, whoCanReport(state, item, locale)]);
  return { text: m.progress.notYours(pick(item.name, locale)), blocks: [{ type: 'section', text }], visibility: 'ephemeral' };
}

function validate(item: Item, kind: ItemKind, fields: Fields, locale: Locale): string | undefined {
  const m = messages(locale).progress;
  if (fields.value !== undefined && (!Number.isFinite(fields.value) || Math.abs(fields.value) > 1e15)) return m.badValue;
  if (fields.percent !== undefined && (!(fields.percent >= 0) || fields.percent > 100)) return m.badPercent;
  if (fields.value !== undefined && kind !== 'target') return m.valueNeedsTarget;
  if (fields.milestoneId && !('milestones' in item && item.milestones.some((x) => x.id === fields.milestoneId))) return m.badMilestone;
  return undefined;
}

/** Records one update in a transaction; a repeated delivery records nothing. */
export async function logProgress(req: ProgressRequest, ctx: WriteContext): Promise<LogResult> {
  const { result, model } = await ctx.store.transact((tx) => {
    const state = tx.state;
    if (req.eventId && state.seen.events[req.eventId] !== undefined) return { kind: 'duplicate' as const };
    if (req.message && state.seen.messages[messageKey(req.message)]) return { kind: 'duplicate' as const };
    const found = readModelFromState(state, ctx.model.timeZone).item(req.itemId);
    if (!found) return { kind: 'refused' as const, reply: usageReply(messages(ctx.locale).progress.noSuchItem(req.itemId), EXAMPLE, ctx.locale) };
    if (!canReport(state.departments, ctx.userId, found.item, ctx.isAdmin)) return { kind: 'refused' as const, reply: refusal(found.item, state, ctx.locale) };
    const problem = validate(found.item, found.kind, req.fields, ctx.locale);
    if (problem) return { kind: 'refused' as const, reply: usageReply(problem, EXAMPLE, ctx.locale) };

    const before = statusAt(state, ctx, req.itemId);
    const seq = state.journal.lastSeq + 1;
    const at = ctx.now.toISOString();
    const claimsDone = req.fields.state === 'done' && !req.fields.milestoneId;
    const reviewId = claimsDone && needsReview(ctx.isAdmin) ? `rv-${seq}` : undefined;
    const update: Update = {
      id: `live-${seq}`,
      itemId: req.itemId,
      at,
      by: ctx.userId,
      ...req.fields,
      ...(req.note ? { note: req.note.slice(0, 4000) } : {}),
      evidence: req.evidence.slice(0, 20),
      source: req.source,
      ...(req.message ? { message: req.message } : {}),
      ...(reviewId ? { reviewId } : {}),
    };
    tx.append({ type: 'update', at, by: ctx.userId, update, ...(req.eventId ? { eventId: req.eventId } : {}) });
    if (reviewId) {
      tx.append({ type: 'review.request', at, by: ctx.userId, review: { id: reviewId, itemId: req.itemId, updateId: update.id, requestedBy: ctx.userId, requestedAt: at } });
    }
    return { kind: 'logged' as const, update, ...(reviewId ? { reviewId } : {}), before, after: statusAt(tx.state, ctx, req.itemId) };
  });
  // Stored first; a long note's machine summary follows later, or never (the assistant does not wait).
  if (result.kind === 'logged') ctx.assistant?.updateLogged(result.update, result.after.item);
  return result.kind === 'logged' ? { ...result, model } : result;
}

function figureText(item: Item, update: Update, increment: number | undefined, locale: Locale): string {
  const m = messages(locale).progress;
  const unit = 'unit' in item ? pick(item.unit, locale) : '';
  const u = (n: number) => (unit === '%' ? `${formatNumber(n, locale)}%` : `${formatNumber(n, locale)} ${unit}`.trim());
  const parts: string[] = [];
  if (update.value !== undefined) {
    const target = 'target' in item ? item.target : undefined;
    const total = target !== undefined && 'baseline' in item ? `${formatNumber(update.value, locale)}/${formatNumber(target, locale)}` : u(update.value);
    parts.push(increment !== undefined ? m.increment(u(increment), total) : m.value(total, unit));
  }
  if (update.percent !== undefined) parts.push(m.percent(formatNumber(update.percent, locale)));
  if (update.milestoneId && 'milestones' in item) {
    const ms = item.milestones.find((x) => x.id === update.milestoneId);
    if (ms) parts.push(m.milestone(pick(ms.name, locale)));
  } else if (update.state) parts.push(messages(locale).state[update.state]);
  return parts.join(locale === 'en' ? ', ' : '，');
}

/** "已记录：城市更新项目开工数 新增 5 项（累计 31/40）。状态：🟡 预警 → 🟢 正常" */
export function recordedReply(r: Extract<LogResult, { kind: 'logged' }>, increment: number | undefined, locale: Locale, unrecorded: readonly Unrecorded[] = []): Reply {
  const m = messages(locale).progress;
  const item = r.after.item;
  const figure = figureText(item, r.update, increment, locale);
  const name = pick(item.name, locale);
  const lines: Mrkdwn[] = [md`✅ ${figure ? m.recorded(name, figure) : m.recordedNote(name)}`];
  const change = r.before.status === r.after.status ? m.statusSame(statusLabel(r.after.status, locale)) : m.statusChange(statusLabel(r.before.status, locale), statusLabel(r.after.status, locale));
  lines.push(md`${change}`);
  if (r.reviewId) lines.push(md`${m.reviewRequested}`);
  if (r.update.evidence.length > 0) lines.push(md`${m.evidence(r.update.evidence.length)}`);
  // Never drop a figure silently: say what the text held that was not recorded, and how to record it.
  if (unrecorded.length > 0) lines.push(unrecordedLine(unrecorded, item, locale));
  const text = `${figure ? m.recorded(name, figure) : m.recordedNote(name)} ${change}`;
  return { text, blocks: [{ type: 'section', text: joinMd(lines) }], visibility: 'in_channel', about: { departmentId: item.departmentId, itemIds: [item.id] } };
}

function unrecordedLine(list: readonly Unrecorded[], item: Item, locale: Locale): Mrkdwn {
  const m = messages(locale).progress.unrecorded;
  const words: Record<string, string> = { done: messages(locale).state.done, blocked: messages(locale).state.blocked, delayed: messages(locale).state.delayed };
  const sep = locale === 'en' ? '; ' : '；';
  const parts = list.slice(0, 5).map((u) => (locale === 'en' ? `“${words[u.raw] ?? u.raw}” (${m[u.reason]})` : `“${words[u.raw] ?? u.raw}”（${m[u.reason]}）`));
  const first = list.find((u) => u.reason !== 'state');
  const example = first ? `/progress ${item.id} ${first.raw}` : `/progress ${item.id}`;
  return md`ℹ️ ${m.title}${parts.join(sep)}${locale === 'en' ? '. ' : '。'}${m.howTo(example)}`;
}

/** Finds an item by its list number (#12 or 12), id, or a name that only one item has. */
export function resolveItem(model: ReadModel, query: string, candidates?: readonly string[]): { kind: 'one'; item: Item; itemKind: ItemKind } | { kind: 'many'; items: Item[] } | { kind: 'none' } {
  const q = query.trim().replace(/^＃/, '#');
  const num = /^#?(\d{1,6})$/.exec(q);
  const inScope = (id: string) => !candidates || candidates.includes(id);
  if (num) {
    const hit = model.itemByNumber(Number(num[1]));
    if (hit && inScope(hit.item.id)) return { kind: 'one', item: hit.item, itemKind: hit.kind };
  }
  const byId = model.item(q);
  if (byId && inScope(byId.item.id)) return { kind: 'one', item: byId.item, itemKind: byId.kind };
  const all = [...model.db.targets, ...model.db.projects, ...model.db.commitments].filter((i) => inScope(i.id));
  const exact = all.filter((i) => normalize(i.name.zh) === normalize(q) || (i.name.en && normalize(i.name.en) === normalize(q)));
  const found = exact.length > 0 ? exact : searchItems(all, q);
  if (found.length === 1) return { kind: 'one', item: found[0]!, itemKind: model.item(found[0]!.id)!.kind };
  if (found.length > 1) return { kind: 'many', items: found.slice(0, 25) };
  return { kind: 'none' };
}

/** Items named by list number in free text ("#12 +5"), among the candidates. */
export function itemsNumberedIn(model: ReadModel, text: string, candidates: readonly string[]): Item[] {
  const numbers = [...text.matchAll(/[#＃](\d{1,6})/g)].map((x) => model.itemByNumber(Number(x[1]))?.item).filter((i): i is Item => !!i && candidates.includes(i.id));
  return [...new Map(numbers.map((i) => [i.id, i])).values()];
}

/** Reads free text for one item: the update to record, a question to ask, or a plain note. */
export function interpretText(text: string, item: Item, model: ReadModel): Interpretation {
  return readProgress(text, item, model.progress.get(item.id) ?? emptyProgress());
}

export function linksAsEvidence(links: readonly string[]): Evidence[] {
  return links
    .filter((l) => /^https?:\/\//.test(l) && l.length <= 2000)
    .slice(0, 20)
    .map((url) => ({ kind: 'link' as const, url }));
}

/** Remembers a question and returns the reply asking it, with one button per option. */
export async function askChoice(choice: Omit<PendingChoice, 'until'>, question: string, ctx: WriteContext, eventId?: string): Promise<Reply> {
  const id = `q${ctx.now.getTime().toString(36)}${Math.floor(ctx.now.getTime() % 997)}`;
  const { result } = await ctx.store.transact((tx) => {
    let key = id;
    for (let n = 1; tx.state.choices[key]; n++) key = `${id}-${n}`;
    // The delivery is marked seen so a retry does not ask twice; the message is marked once logged.
    const events = eventId ? { ...tx.state.seen.events, [eventId]: ctx.now.getTime() + SEEN_EVENT_MS } : tx.state.seen.events;
    tx.bookkeep((s) => ({ seen: { ...s.seen, events }, threads: s.threads, choices: { ...s.choices, [key]: { ...choice, until: ctx.now.getTime() + CHOICE_MS } } }));
    return key;
  });
  return choiceReply(result, choice, question, ctx.locale, ctx.model);
}

function choiceReply(key: string, choice: Omit<PendingChoice, 'until'>, question: string, locale: Locale, model: ReadModel): Reply {
  const m = messages(locale).progress;
  const buttons =
    choice.options.length > 0
      ? choice.options.map((o, i) => ({ text: locale === 'en' ? o.label.en : o.label.zh, actionId: `duban.choice.${i}`, value: `${key}:${i}` }))
      : choice.itemIds.slice(0, 10).map((itemId, i) => {
          const item = model.item(itemId)?.item;
          const n = model.numberOf(itemId);
          return { text: `${n ? `#${n} ` : ''}${item ? pick(item.name, locale) : itemId}`, actionId: `duban.choice.${i}`, value: `${key}:${i}` };
        });
  buttons.push({ text: m.justNote, actionId: 'duban.choice.note', value: `${key}:note` });
  return {
    text: question,
    blocks: [
      { type: 'section', text: md`${question}` },
      { type: 'actions', buttons },
    ],
    visibility: 'in_channel',
  };
}

export type ChoiceOutcome =
  | { kind: 'expired' }
  | { kind: 'not_yours' }
  | { kind: 'chosen'; choice: PendingChoice; itemId: string; fields?: Fields; noteOnly: boolean };

/** Takes the answer to a question (a button's value "key:index"), once. */
export async function takeChoice(value: string, ctx: WriteContext): Promise<ChoiceOutcome> {
  const [key = '', pick = ''] = value.split(':');
  const { result } = await ctx.store.transact((tx) => {
    const choice = tx.state.choices[key];
    if (!choice || choice.until < ctx.now.getTime()) return { kind: 'expired' as const };
    if (choice.userId !== ctx.userId && !ctx.isAdmin) return { kind: 'not_yours' as const };
    const { [key]: _, ...rest } = tx.state.choices;
    tx.bookkeep((s) => ({ seen: s.seen, threads: s.threads, choices: rest }));
    if (pick === 'note') return { kind: 'chosen' as const, choice, itemId: choice.itemIds[0] ?? '', noteOnly: true };
    const i = Number(pick);
    if (choice.options.length > 0) {
      const option = choice.options[i];
      if (!option) return { kind: 'expired' as const };
      return { kind: 'chosen' as const, choice, itemId: choice.itemIds[0] ?? '', fields: option.fields, noteOnly: false };
    }
    const itemId = choice.itemIds[i];
    return itemId ? { kind: 'chosen' as const, choice, itemId, noteOnly: false } : { kind: 'expired' as const };
  });
  return result;
}

/** Remembers what a message duban posted is about, so replies in its thread can be logged. */
export async function rememberThread(store: WriteContext['store'], ref: MessageRef, about: Reply['about'], nowMs: number): Promise<void> {
  if (!about || (!about.departmentId && !about.itemIds?.length)) return;
  // Bookkeeping, not history: noted at once and written within a second, off the answer's path.
  store.remember((s) => ({
    threads: { ...s.threads, [messageKey(ref)]: threadRecord(about, nowMs) },
  }));
}

/** The items a thread is about: its items, or every item of its department. */
export function threadCandidates(model: ReadModel, about: { departmentId?: string; itemIds: string[] }): string[] {
  if (about.itemIds.length > 0) return about.itemIds;
  if (!about.departmentId) return [];
  return [...model.db.targets, ...model.db.projects, ...model.db.commitments].filter((i) => i.departmentId === about.departmentId).map((i) => i.id);
}

export function departmentsOfUser(ctx: CommandContext): string[] {
  return ctx.userId ? departmentsOf(ctx.model.db.departments, ctx.userId).map((d) => d.id) : [];
}

export { STATUS_EMOJI };

export type ReportInput = {
  text: string;
  /** The items the text may be about (a thread's items, or one named by a command). */
  candidates: string[];
  evidence: Evidence[];
  source: UpdateSource;
  message?: MessageRef;
  eventId?: string;
};

export type ReportOutcome =
  | { kind: 'logged'; result: Extract<LogResult, { kind: 'logged' }>; reply: Reply }
  | { kind: 'asked'; reply: Reply }
  | { kind: 'refused'; reply: Reply }
  | { kind: 'duplicate' }
  | { kind: 'ignored' };

function toRequest(input: ReportInput, itemId: string, interpretation: Extract<Interpretation, { kind: 'update' | 'note' }>): ProgressRequest {
  const fields: Fields = {};
  if (interpretation.kind === 'update') {
    for (const k of ['value', 'percent', 'state', 'milestoneId'] as const) {
      const v = interpretation[k];
      if (v !== undefined) (fields as Record<string, unknown>)[k] = v;
    }
  }
  const increment = interpretation.kind === 'update' ? interpretation.increment : undefined;
  return {
    itemId,
    fields,
    note: interpretation.note || undefined,
    evidence: [...input.evidence, ...linksAsEvidence(interpretation.links)],
    source: input.source,
    ...(input.message ? { message: input.message } : {}),
    ...(input.eventId ? { eventId: input.eventId } : {}),
    ...(increment !== undefined ? { increment } : {}),
    ...(interpretation.unrecorded?.length ? { unrecorded: interpretation.unrecorded } : {}),
  } as ProgressRequest;
}

/** Logs what the request says, and turns the result into the reply. */
export async function logAndReply(req: ProgressRequest, ctx: WriteContext): Promise<ReportOutcome> {
  const result = await logProgress(req, ctx);
  if (result.kind === 'duplicate') return { kind: 'duplicate' };
  if (result.kind === 'refused') return { kind: 'refused', reply: result.reply };
  return { kind: 'logged', result, reply: recordedReply(result, req.increment, ctx.locale, req.unrecorded) };
}

/** Free text about some items: log it, or ask which item or which reading, never guess. */
export async function reportFromText(input: ReportInput, ctx: WriteContext): Promise<ReportOutcome> {
  const m = messages(ctx.locale).progress;
  const model = ctx.model;
  const text = input.text.trim();
  if (!text && input.evidence.length === 0) return { kind: 'ignored' };
  if (input.eventId && model.db.seen.events[input.eventId] !== undefined) return { kind: 'duplicate' };
  if (input.message && model.db.seen.messages[messageKey(input.message)]) return { kind: 'duplicate' };
  const reportable = input.candidates.map((id) => model.item(id)?.item).filter((i): i is Item => !!i && canReport(model.db.departments, ctx.userId, i, ctx.isAdmin));
  if (reportable.length === 0) {
    const first = input.candidates.map((id) => model.item(id)?.item).find((i): i is Item => !!i);
    return first ? { kind: 'refused', reply: refusal(first, model.db, ctx.locale) } : { kind: 'ignored' };
  }
  const base = { text: text.slice(0, 4000), evidence: input.evidence, source: input.source, ...(input.message ? { message: input.message } : {}), userId: ctx.userId };
  let item: Item;
  if (reportable.length === 1) item = reportable[0]!;
  else {
    // "#12 +5" names its item; otherwise the item whose name the text says and that can take its figure.
    const numbered = itemsNumberedIn(model, text, reportable.map((i) => i.id));
    const { best, ranked } = numbered.length === 1 ? { best: numbered[0]!, ranked: numbered } : rankItems(text, reportable);
    if (!best) {
      const ids = (numbered.length > 1 ? numbered : ranked.length > 0 ? ranked : reportable).map((i) => i.id).slice(0, 10);
      return { kind: 'asked', reply: await askChoice({ ...base, itemIds: ids, options: [] }, m.whichItem, ctx, input.eventId) };
    }
    item = best;
  }
  return interpretAndLog(item, base.text, input, ctx);
}


/** Reads `text` for one item: logs it, or asks (with buttons) when it can be read two ways. */
export async function interpretAndLog(item: Item, text: string, input: Omit<ReportInput, 'text' | 'candidates'>, ctx: WriteContext): Promise<ReportOutcome> {
  if (!canReport(ctx.model.db.departments, ctx.userId, item, ctx.isAdmin)) return { kind: 'refused', reply: refusal(item, ctx.model.db, ctx.locale) };
  const m = messages(ctx.locale).progress;
  const interpretation = interpretText(text, item, ctx.model);
  if (interpretation.kind === 'ambiguous') {
    const question = m.ambiguous[interpretation.reason](pick(item.name, ctx.locale));
    const choice = {
      userId: ctx.userId,
      text: text.slice(0, 4000),
      itemIds: [item.id],
      options: interpretation.options.slice(0, 9).map((o) => ({ label: { zh: o.label.zh.slice(0, 75), en: o.label.en.slice(0, 75) }, fields: o.update })),
      evidence: [...input.evidence, ...linksAsEvidence(interpretation.links)].slice(0, 20),
      source: input.source,
      ...(input.message ? { message: input.message } : {}),
    };
    return { kind: 'asked', reply: await askChoice(choice, question, ctx, input.eventId) };
  }
  return logAndReply(toRequest({ ...input, text, candidates: [item.id] }, item.id, interpretation), ctx);
}

/** Answers a click on a question's button: logs the chosen reading (or asks the next question). */
export async function answerChoice(value: string, ctx: WriteContext): Promise<ReportOutcome | { kind: 'expired' } | { kind: 'not_yours' }> {
  const outcome = await takeChoice(value, ctx);
  if (outcome.kind !== 'chosen') return outcome;
  const { choice } = outcome;
  const found = ctx.model.item(outcome.itemId);
  if (!found) return { kind: 'expired' };
  const input = { evidence: choice.evidence, source: choice.source, ...(choice.message ? { message: choice.message } : {}) };
  if (outcome.noteOnly) {
    return logAndReply({ itemId: found.item.id, fields: {}, note: choice.text, ...input }, ctx);
  }
  if (outcome.fields) {
    return logAndReply({ itemId: found.item.id, fields: outcome.fields, note: choice.text, ...input }, ctx);
  }
  return interpretAndLog(found.item, choice.text, input, ctx);
}
