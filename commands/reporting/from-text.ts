/**
 * Logging a report from what people write or click: a thread reply, /progress with text, or the answer
 * to a question. Find the item, read the text once, then log it or ask — never guess — and say which
 * effects follow (effectsOfReport), in one place for every way in.
 */

import { messageKey } from '../../src/domain/delivery.ts';
import { normalize, searchItems } from '../../src/domain/match.ts';
import { canReportSomething } from '../../src/domain/permissions.ts';
import { emptyProgress } from '../../src/domain/progress.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import {
  type Interpretation,
  type ParsedProgress,
  parseProgress,
  rankItems,
  readProgress,
} from '../../src/domain/reading/index.ts';
import type { Evidence, Item, ItemKind, MessageRef, Update } from '../../src/domain/schema.ts';
import { messages, pick } from '../../src/i18n/index.ts';
import type { WriteContext } from '../context.ts';
import type { Reply } from '../reply.ts';
import { type Fields, type LogResult, logReport, type ReportToLog, refusal } from './log.ts';
import { askQuestion, takeAnswer } from './questions.ts';
import { loggedReply } from './replies.ts';

type UpdateSource = Update['source'];

/** Finds an item by its list number (#12 or 12), id, or a name that only one item has. */
export function resolveItem(
  model: ReadModel,
  query: string,
  candidates?: readonly string[],
): { kind: 'one'; item: Item; itemKind: ItemKind } | { kind: 'many'; items: Item[] } | { kind: 'none' } {
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
  const exact = all.filter(
    (i) => normalize(i.name.zh) === normalize(q) || (i.name.en && normalize(i.name.en) === normalize(q)),
  );
  const found = exact.length > 0 ? exact : searchItems(all, q);
  if (found.length === 1) return { kind: 'one', item: found[0]!, itemKind: model.item(found[0]!.id)!.kind };
  if (found.length > 1) return { kind: 'many', items: found.slice(0, 25) };
  return { kind: 'none' };
}

/** Items named by list number in free text ("#12 +5"), among the candidates. */
export function itemsNumberedIn(model: ReadModel, text: string, candidates: readonly string[]): Item[] {
  const numbers = [...text.matchAll(/[#＃](\d{1,6})/g)]
    .map((x) => model.itemByNumber(Number(x[1]))?.item)
    .filter((i): i is Item => !!i && candidates.includes(i.id));
  return [...new Map(numbers.map((i) => [i.id, i])).values()];
}

/** Reads free text for one item: the update to record, a question to ask, or a plain note. `parsed`: the text already scanned. */
export function readReport(text: string, item: Item, model: ReadModel, parsed?: ParsedProgress): Interpretation {
  return readProgress(text, item, model.progress.get(item.id) ?? emptyProgress(), parsed);
}

export function linksAsEvidence(links: readonly string[]): Evidence[] {
  return links
    .filter((l) => /^https?:\/\//.test(l) && l.length <= 2000)
    .slice(0, 20)
    .map((url) => ({ kind: 'link' as const, url }));
}

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

function toRequest(
  input: ReportInput,
  itemId: string,
  interpretation: Extract<Interpretation, { kind: 'update' | 'note' }>,
): ReportToLog {
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
  } as ReportToLog;
}

/** Logs what the request says, and turns the result into the reply. */
export async function logReportAndReply(req: ReportToLog, ctx: WriteContext): Promise<ReportOutcome> {
  const result = await logReport(req, ctx);
  if (result.kind === 'duplicate') return { kind: 'duplicate' };
  if (result.kind === 'refused') return { kind: 'refused', reply: result.reply };
  return { kind: 'logged', result, reply: loggedReply(result, req.increment, ctx.locale, req.unrecorded) };
}

/** Free text about some items: log it, or ask which item or which reading, never guess. */
export async function logReportFromThread(input: ReportInput, ctx: WriteContext): Promise<ReportOutcome> {
  const m = messages(ctx.locale).progress;
  const model = ctx.model;
  const text = input.text.trim();
  if (!text && input.evidence.length === 0) return { kind: 'ignored' };
  if (input.eventId && model.db.seen.events[input.eventId] !== undefined) return { kind: 'duplicate' };
  if (input.message && model.db.seen.messages[messageKey(input.message)]) return { kind: 'duplicate' };
  const reportable = input.candidates
    .map((id) => model.item(id)?.item)
    .filter((i): i is Item => !!i && canReportSomething(model.db.departments, ctx.userId, i, ctx.isAdmin));
  if (reportable.length === 0) {
    const first = input.candidates.map((id) => model.item(id)?.item).find((i): i is Item => !!i);
    return first ? { kind: 'refused', reply: refusal(first, model.db, ctx.locale) } : { kind: 'ignored' };
  }
  const base = {
    text: text.slice(0, 4000),
    evidence: input.evidence,
    source: input.source,
    ...(input.message ? { message: input.message } : {}),
    userId: ctx.userId,
  };
  // The text is scanned once, to find its item and then to read it for that item.
  let parsed: ParsedProgress | undefined;
  let item: Item;
  if (reportable.length === 1) item = reportable[0]!;
  else {
    // "#12 +5" names its item; otherwise the item whose name the text says and that can take its figure.
    const numbered = itemsNumberedIn(
      model,
      text,
      reportable.map((i) => i.id),
    );
    const { best, ranked } =
      numbered.length === 1
        ? { best: numbered[0]!, ranked: numbered }
        : rankItems(text, reportable, (parsed ??= parseProgress(base.text)));
    if (!best) {
      const ids = (numbered.length > 1 ? numbered : ranked.length > 0 ? ranked : reportable)
        .map((i) => i.id)
        .slice(0, 10);
      return {
        kind: 'asked',
        reply: await askQuestion({ ...base, itemIds: ids, options: [] }, m.whichItem, ctx, input.eventId),
      };
    }
    item = best;
  }
  return logReportFromText(item, base.text, input, ctx, parsed);
}

/** Reads `text` for one item: logs it, or asks (with buttons) when it can be read two ways. */
export async function logReportFromText(
  item: Item,
  text: string,
  input: Omit<ReportInput, 'text' | 'candidates'>,
  ctx: WriteContext,
  parsed?: ParsedProgress,
): Promise<ReportOutcome> {
  if (!canReportSomething(ctx.model.db.departments, ctx.userId, item, ctx.isAdmin))
    return { kind: 'refused', reply: refusal(item, ctx.model.db, ctx.locale) };
  const m = messages(ctx.locale).progress;
  const interpretation = readReport(text, item, ctx.model, parsed);
  if (interpretation.kind === 'ambiguous') {
    const question = m.ambiguous[interpretation.reason](pick(item.name, ctx.locale));
    const choice = {
      userId: ctx.userId,
      text: text.slice(0, 4000),
      itemIds: [item.id],
      options: interpretation.options
        .slice(0, 9)
        .map((o) => ({ label: { zh: o.label.zh.slice(0, 75), en: o.label.en.slice(0, 75) }, fields: o.update })),
      evidence: [...input.evidence, ...linksAsEvidence(interpretation.links)].slice(0, 20),
      source: input.source,
      ...(input.message ? { message: input.message } : {}),
    };
    return { kind: 'asked', reply: await askQuestion(choice, question, ctx, input.eventId) };
  }
  return logReportAndReply(toRequest({ ...input, text, candidates: [item.id] }, item.id, interpretation), ctx);
}

/** Answers a click on a question's button: logs the chosen reading (or asks the next question). */
export async function logReportFromAnswer(
  value: string,
  ctx: WriteContext,
): Promise<ReportOutcome | { kind: 'expired' } | { kind: 'not_yours' }> {
  const outcome = await takeAnswer(value, ctx);
  if (outcome.kind !== 'chosen') return outcome;
  const { choice } = outcome;
  const found = ctx.model.item(outcome.itemId);
  if (!found) return { kind: 'expired' };
  const input = {
    evidence: choice.evidence,
    source: choice.source,
    ...(choice.message ? { message: choice.message } : {}),
  };
  if (outcome.noteOnly) {
    return logReportAndReply({ itemId: found.item.id, fields: {}, note: choice.text, ...input }, ctx);
  }
  if (outcome.fields) {
    return logReportAndReply({ itemId: found.item.id, fields: outcome.fields, note: choice.text, ...input }, ctx);
  }
  return logReportFromText(found.item, choice.text, input, ctx);
}

/** The reply to show for an outcome, if any (a duplicate delivery or an ignored message shows nothing). */
export function replyOf(outcome: ReportOutcome): Reply | undefined {
  return outcome.kind === 'logged' || outcome.kind === 'asked' || outcome.kind === 'refused'
    ? outcome.reply
    : undefined;
}
