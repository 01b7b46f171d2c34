/**
 * Where the optional model reads what people wrote — always after the rules, never instead of them.
 *
 * Notes: the rules read every reply first, and what they find is logged at once (or asked about with
 * buttons). Only a reply the rules could read as words alone — logged as a note — is shown to the
 * model afterwards; if it finds a figure, a percent, a state or a milestone, duban asks the reporter
 * with buttons, and nothing counts as a figure until they click. The model's fields go through the
 * reader's interpret and decide steps like any report (src/domain/reading/proposal.ts): a figure off
 * the item's scale or far past its target is offered with the likely readings first, and the button
 * labels are written by duban, not by the model.
 *
 * Mentions: a question the rule-based matcher cannot place may be routed by the model to one of the
 * read-only views; the answer says so.
 */
import { normalize, searchItems } from '../src/domain/match.ts';
import { emptyProgress, type ItemProgress } from '../src/domain/progress.ts';
import { interpretProposal, type Proposal } from '../src/domain/reading/index.ts';
import type { Item, ProjectState, Update } from '../src/domain/schema.ts';
import { detectLocale, formatNumber, type Locale, messages, pick } from '../src/i18n/index.ts';
import type { CommandContext, WriteContext } from './context.ts';
import { departmentName, MAX_QUERY_LENGTH } from './format.ts';
import type { NoteReading, RoutedIntent } from './llm-port.ts';
import { type Intent, matchIntent, replyForIntent, runMention, stripMention } from './mention.ts';
import { md, type Reply, type ReplyBlock } from './reply.ts';
import { askQuestion, type Fields, type LogResult, takeAnswer } from './reporting/index.ts';

export const KEEP_AS_NOTE = 'duban.llm.keep';
const LABEL_MAX = 75;

function hasFigure(u: Update): boolean {
  return u.value !== undefined || u.percent !== undefined || u.state !== undefined || u.milestoneId !== undefined;
}

export type ProposedReading = { label: { zh: string; en: string }; fields: Fields };

/**
 * The readings to offer for what the model proposes, interpreted and decided by the reader exactly as
 * a report the rules read: checked against the item's unit, scale, target and last value, so a figure
 * 10⁴ off or an increment far past the target comes with the likely readings first. Undefined when
 * nothing valid is left (the reader would keep the text as a note).
 */
export function proposedReadings(
  reading: NoteReading,
  item: Item,
  progress: ItemProgress,
  note = '',
): ProposedReading[] | undefined {
  const proposal: Proposal = {
    note,
    ...(reading.figure ? { figure: reading.figure } : {}),
    ...(reading.percent !== undefined ? { percent: reading.percent } : {}),
    ...(reading.state ? { state: reading.state } : {}),
    ...(reading.milestoneId ? { milestoneId: reading.milestoneId } : {}),
  };
  const interpretation = interpretProposal(proposal, item, progress);
  if (interpretation.kind === 'note') return undefined;
  if (interpretation.kind === 'ambiguous')
    return interpretation.options.map((o) => ({ label: o.label, fields: fieldsOf(o.update) }));
  const fields = fieldsOf(interpretation);
  if (Object.keys(fields).length === 0) return undefined;
  const current = progress.value;
  return [
    {
      label: { zh: fieldsLabel(fields, item, current, 'zh-CN'), en: fieldsLabel(fields, item, current, 'en') },
      fields,
    },
  ];
}

function fieldsOf(u: Fields): Fields {
  const out: Fields = {};
  if (u.value !== undefined) out.value = u.value;
  if (u.percent !== undefined) out.percent = u.percent;
  if (u.state !== undefined) out.state = u.state;
  if (u.milestoneId !== undefined) out.milestoneId = u.milestoneId;
  return out;
}

/** "新增 3 项（累计 31 项）" / "完成 80%，受阻" — written by duban from the checked fields. */
export function fieldsLabel(fields: Fields, item: Item, current: number | undefined, locale: Locale): string {
  const m = messages(locale);
  const unit = 'unit' in item ? pick(item.unit, locale) : '';
  const u = (n: number) => (unit === '%' ? `${formatNumber(n, locale)}%` : `${formatNumber(n, locale)} ${unit}`.trim());
  const parts: string[] = [];
  if (fields.value !== undefined) {
    const before = current ?? ('baseline' in item ? item.baseline : undefined);
    parts.push(
      before !== undefined && 'baseline' in item && fields.value > before
        ? m.progress.increment(u(fields.value - before), u(fields.value))
        : m.progress.value(u(fields.value), unit),
    );
  }
  if (fields.percent !== undefined) parts.push(m.progress.percent(formatNumber(fields.percent, locale)));
  if (fields.milestoneId && 'milestones' in item) {
    const ms = item.milestones.find((x) => x.id === fields.milestoneId);
    if (ms) parts.push(m.progress.milestone(pick(ms.name, locale)));
  } else if (fields.state) parts.push(m.state[fields.state as ProjectState]);
  const label = parts.join(m.format.phraseSeparator);
  return label.length > LABEL_MAX ? `${label.slice(0, LABEL_MAX - 1)}…` : label;
}

/**
 * After a reply was logged as a note only: asks the model whether it states progress, and if so
 * returns the question to post in the thread (already remembered, answered by a click). Undefined
 * when the model is off for the department, unsure, failing, or finds nothing valid.
 */
export async function proposeFromNote(
  logged: Extract<LogResult, { kind: 'logged' }>,
  ctx: WriteContext,
): Promise<Reply | undefined> {
  const { update } = logged;
  const assistant = ctx.assistant;
  const item = logged.after.item;
  if (!assistant || !update.note || hasFigure(update) || !assistant.enabled(item.departmentId)) return undefined;
  const progress = logged.model.progress.get(item.id) ?? emptyProgress();
  const current = progress.value;
  const locale = detectLocale(update.note) ?? ctx.locale;
  const milestones = 'milestones' in item ? item.milestones : [];
  const kind = logged.after.kind;
  const reading = await assistant.readNote({
    departmentId: item.departmentId,
    locale,
    note: update.note,
    item: {
      name: pick(item.name, locale),
      kind,
      ...('unit' in item ? { unit: pick(item.unit, locale) } : {}),
      ...(current !== undefined ? { current } : {}),
      ...('target' in item ? { target: item.target } : {}),
      milestones: milestones.map((ms) => ({ id: ms.id, name: pick(ms.name, locale) })),
    },
  });
  if (reading.by !== 'model' || !reading.found) return undefined;
  const readings = proposedReadings(reading, item, progress, update.note);
  if (!readings) return undefined;
  const m = messages(ctx.locale).llm.proposal;
  const f = messages(ctx.locale).format;
  const question = m.question(pick(item.name, ctx.locale));
  // The note is already logged from this message: the choice carries no message and no text, so a
  // click records the figure alone, once.
  const asked = await askQuestion(
    {
      userId: update.by,
      text: '',
      itemIds: [item.id],
      options: readings.map((r) => ({ label: r.label, fields: r.fields })),
      evidence: [],
      source: update.source,
    },
    question,
    ctx,
  );
  const details: ReplyBlock[] = [];
  const notes = [
    ...(reading.blockers.length ? [md`${m.blockers(f.clauses(reading.blockers))}`] : []),
    ...(reading.evidence.length ? [md`${m.evidence(f.list([...reading.evidence]))}`] : []),
  ];
  if (notes.length) details.push({ type: 'context', elements: notes });
  details.push({ type: 'context', elements: [md`${messages(ctx.locale).llm.machineLabel(reading.model)}`] });
  const blocks = asked.blocks.flatMap((b): ReplyBlock[] => {
    if (b.type !== 'actions') return [b];
    // "Keep it as a note" answers without logging anything: the note is already there.
    const buttons = b.buttons.map((btn) =>
      btn.actionId === 'duban.choice.note' ? { ...btn, text: m.keep, actionId: KEEP_AS_NOTE } : btn,
    );
    return [...details, { ...b, buttons }];
  });
  return { ...asked, blocks };
}

/** A click on "keep it as a note": the question is taken (once) and nothing is logged. */
export async function keepAsNote(
  value: string,
  ctx: WriteContext,
): Promise<Reply | { kind: 'expired' } | { kind: 'not_yours' }> {
  const outcome = await takeAnswer(value, ctx);
  if (outcome.kind !== 'chosen') return outcome;
  const text = messages(ctx.locale).llm.proposal.kept;
  return { text, blocks: [{ type: 'section', text: md`${text}` }], visibility: 'in_channel' };
}

function describeIntent(intent: RoutedIntent, ctx: CommandContext): string {
  const m = messages(ctx.locale).llm.intents;
  switch (intent.kind) {
    case 'department': {
      const d = ctx.model.department(intent.departmentId);
      const name = d ? departmentName(d, ctx.locale) : intent.departmentId;
      return intent.focus === 'targets'
        ? m.departmentTargets(name)
        : intent.focus === 'projects'
          ? m.departmentProjects(name)
          : m.department(name);
    }
    case 'search':
      return m.search(intent.keyword);
    case 'unknown':
      return '';
    default:
      return m[intent.kind];
  }
}

/** A routed intent as one of the mention matcher's, or undefined when it names nothing that exists. */
function checkedIntent(intent: RoutedIntent, ctx: CommandContext): Intent | undefined {
  switch (intent.kind) {
    case 'department':
      return ctx.model.department(intent.departmentId) ? intent : undefined;
    case 'search': {
      if (normalize(intent.keyword).length < 2) return undefined;
      const hits =
        searchItems(ctx.model.db.targets, intent.keyword).length +
        searchItems(ctx.model.db.projects, intent.keyword).length;
      return hits > 0 ? intent : undefined;
    }
    case 'unknown':
      return undefined;
    default:
      return intent;
  }
}

/**
 * Answers a mention: by the rules when they can place it; otherwise, when the model is on zone-wide,
 * by the read-only view the model routes it to, labelled as the model's reading; otherwise "not
 * understood".
 */
export async function answerMention(rawText: string, ctx: CommandContext): Promise<Reply> {
  const text = stripMention(rawText);
  const locale = detectLocale(rawText.replace(/<[^>]*>/g, ' ')) ?? ctx.locale;
  const c = { ...ctx, locale };
  const assistant = ctx.assistant;
  if (!assistant || text.length > MAX_QUERY_LENGTH || matchIntent(text, c).kind !== 'unknown' || !assistant.enabled())
    return runMention(rawText, ctx);
  const routed = await assistant
    .route({
      question: text,
      locale,
      departments: ctx.model.db.departments.map((d) => ({ id: d.id, name: departmentName(d, locale) })),
    })
    .catch(() => undefined);
  const intent = routed?.by === 'model' ? checkedIntent(routed.intent, c) : undefined;
  if (!routed || !intent) return runMention(rawText, ctx);
  const reply = replyForIntent(intent, c);
  const label: ReplyBlock = {
    type: 'context',
    elements: [md`${messages(locale).llm.routed(describeIntent(routed.intent, c))}`],
  };
  return { ...reply, blocks: [label, ...reply.blocks] };
}
