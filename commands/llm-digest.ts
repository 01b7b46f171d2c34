/**
 * The deterministic side of the optional model: the facts a summary is written from (the same facts
 * whoever writes it), the digests rules write from them, and `rulesAssistant`, the implementation of
 * the port that never calls a model. duban is fully useful with this alone.
 */
import type { Bulletin } from '../src/domain/bulletin.ts';
import { localDate } from '../src/domain/dates.ts';
import type { RecentUpdate } from '../src/domain/journal.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import { type ItemStatus, isBehind } from '../src/domain/status.ts';
import { formatDate, type Locale, messages, pick } from '../src/i18n/index.ts';
import { departmentName, reasonsText, STATUS_EMOJI } from './format.ts';
import type { Assistant, AssistantStatus, DigestRequest, Narrative, NarrativeRequest } from './llm-port.ts';
import { type Mrkdwn, md } from './reply.ts';

/** Notes longer than this (characters) get a one-line machine summary when the model is on. */
export const LONG_NOTE = 80;
/** At most this many recent reports go into a summary. */
export const DIGEST_UPDATES = 12;
const DIGEST_NOTE = 300;
const DIGEST_BEHIND = 8;

/** Mrkdwn back to the plain text it escaped (for facts handed to a model or a plain-text digest). */
export function plainOf(m: Mrkdwn): string {
  return m.mrkdwn
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\u2060/g, '');
}

/** Neutral labels for people, in order of first appearance: 联络员A, 联络员B … / liaison A … */
export function personLabeller(locale: Locale): (by: string) => string {
  const labels = new Map<string, string>();
  return (by) => {
    if (by === 'seed') return messages(locale).list.sampleNotice;
    if (by === 'import') return messages(locale).list.byImport;
    if (by === 'duban') return messages(locale).list.byDuban;
    let label = labels.get(by);
    if (!label) {
      const n = labels.size;
      const letter =
        n < 26 ? String.fromCharCode(65 + n) : `${String.fromCharCode(65 + (n % 26))}${Math.floor(n / 26)}`;
      label = messages(locale).llm.digest.liaison(letter);
      labels.set(by, label);
    }
    return label;
  };
}

/** A report behind a summary, for the reader to go back to. */
export type OriginalRef = { ref: string; itemId: string; updateId: string; date: string; by: string; note: string };

function statusLine(s: ItemStatus, _model: ReadModel, today: string, locale: Locale): string {
  return `${pick(s.item.name, locale)}${messages(locale).format.parens(plainOf(reasonsText(s, { locale, today }, 2)))}`;
}

/** The facts of a department (or of the zone, without one), and the reports they rest on. */
export function digestRequest(
  model: ReadModel,
  today: string,
  locale: Locale,
  departmentId?: string,
): { request: DigestRequest; originals: OriginalRef[] } {
  const m = messages(locale);
  const rollup = model.rollup(today);
  const dept = departmentId ? rollup.departments.find((d) => d.department.id === departmentId) : undefined;
  const items = dept ? dept.items : model.evaluate(today).tracked;
  const counts = dept ? dept.counts : rollup.counts;
  const behind = items.filter(isBehind).sort((a, b) => (a.status === b.status ? 0 : a.status === 'red' ? -1 : 1));
  const label = personLabeller(locale);
  const recent = items
    .flatMap((s) => (model.progress.get(s.item.id)?.recent ?? []).filter((u) => u.note).map((u) => ({ s, u })))
    .sort((a, b) => (a.u.at < b.u.at ? 1 : a.u.at > b.u.at ? -1 : 0))
    .slice(0, DIGEST_UPDATES);
  const originals: OriginalRef[] = recent.map(({ s, u }) => {
    const n = model.numberOf(s.item.id);
    return {
      ref: n ? `#${n}` : s.item.id,
      itemId: s.item.id,
      updateId: u.id,
      date: localDate(new Date(u.at), model.timeZone),
      by: u.by,
      note: u.note ?? '',
    };
  });
  const request: DigestRequest = {
    ...(departmentId ? { departmentId } : {}),
    scope: dept ? departmentName(dept.department, locale) : m.llm.zone,
    locale,
    counts: { total: items.length, red: counts.red, amber: counts.amber, green: counts.green, done: counts.done },
    behind: behind
      .slice(0, DIGEST_BEHIND)
      .map((s) => `${STATUS_EMOJI[s.status]} ${statusLine(s, model, today, locale)}`),
    updates: recent.map(({ s, u }, i) => ({
      ref: originals[i]!.ref,
      item: pick(s.item.name, locale),
      date: originals[i]!.date,
      by: label(u.by),
      text: (u.note ?? '').slice(0, DIGEST_NOTE),
    })),
  };
  return { request, originals };
}

/** The first sentence (or clause) of a note, at most `max` characters: what rules can say in one line. */
export function firstLine(note: string, max = 60): string {
  const flat = note.replace(/\s+/g, ' ').trim();
  const sentence = /^(.+?[。！？!?；;]|.+?\.(?=\s|$))/u.exec(flat)?.[1] ?? flat;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

/** A digest written by rules from the facts alone. */
export function rulesDigest(req: DigestRequest): string {
  const d = messages(req.locale).llm.digest;
  const c = req.counts;
  const sep = messages(req.locale).format.clauseSeparator;
  const parts = [d.counts(req.scope, c.total, c.red, c.amber, c.green, c.done)];
  parts.push(
    req.behind.length
      ? d.attention(
          req.behind
            .slice(0, 3)
            .map((l) => l.replace(/^\S+ /u, ''))
            .join(sep),
        )
      : d.nothingBehind,
  );
  if (req.updates.length > 0) {
    parts.push(d.recent(req.updates.length));
    const latest = req.updates[0]!;
    parts.push(d.latest(latest.item, firstLine(latest.text)));
  }
  return parts.join(messages(req.locale).format.sentenceSeparator);
}

/** The bulletin in facts: better and worse since the last one, what is stuck, what is overdue. */
export function narrativeRequest(bulletin: Bulletin, model: ReadModel, locale: Locale): NarrativeRequest {
  const sm = messages(locale).status;
  const name = (s: ItemStatus) => pick(s.item.name, locale);
  const change = (c: Bulletin['changes'][number]) =>
    `${name(c.status)}${messages(locale).format.parens(`${sm[c.from]}→${sm[c.to]}`)}`;
  return {
    locale,
    zone: pick(model.db.meta.zone, locale),
    ...(bulletin.since ? { since: bulletin.since } : {}),
    counts: {
      red: bulletin.counts.red,
      amber: bulletin.counts.amber,
      green: bulletin.counts.green,
      done: bulletin.counts.done,
    },
    better: bulletin.changes
      .filter((c) => c.direction === 'better')
      .slice(0, 8)
      .map(change),
    worse: bulletin.changes
      .filter((c) => c.direction === 'worse')
      .slice(0, 8)
      .map(change),
    stuck: bulletin.risks.map((s) => statusLine(s, model, bulletin.today, locale)),
    overdue: bulletin.overdue.slice(0, 8).map((s) => statusLine(s, model, bulletin.today, locale)),
  };
}

/** What moved, what is stuck, what needs a leader's attention — by rules. */
export function rulesNarrative(req: NarrativeRequest): Omit<Narrative, 'by'> {
  const d = messages(req.locale).llm.digest;
  const sep = messages(req.locale).format.clauseSeparator;
  const list = (xs: string[], n: number) => xs.slice(0, n).join(sep);
  const moved = [
    req.better.length ? d.moved(list(req.better, 5)) : d.nothingMoved,
    ...(req.worse.length ? [d.worse(list(req.worse, 5))] : []),
  ].join(messages(req.locale).format.sentenceSeparator);
  const stuck = req.stuck.length ? d.stuck(list(req.stuck, 3)) : d.nothingStuck;
  // A leader is needed where a deadline has passed, or where things got worse.
  const leaderItems = [...req.overdue, ...req.worse].slice(0, 3);
  const attention = leaderItems.length ? d.leader(list(leaderItems, 3)) : d.noLeader;
  return { moved, stuck, attention };
}

const IDLE_STATUS: AssistantStatus = {
  configured: false,
  breaker: { state: 'closed', failures: 0 },
  calls: 0,
  cacheHits: 0,
  failures: 0,
  promptTokens: 0,
  completionTokens: 0,
};

/** The assistant that never calls a model: every answer by rules, never a stored summary or a proposal. */
export const rulesAssistant: Assistant = {
  enabled: () => false,
  summariseUpdate: async () => undefined,
  readNote: async () => ({ by: 'rules', found: false, blockers: [], evidence: [] }),
  summarise: async (req) => ({ by: 'rules', text: rulesDigest(req) }),
  narrate: async (req) => ({ by: 'rules', ...rulesNarrative(req) }),
  route: async () => ({ by: 'rules', intent: { kind: 'unknown' } }),
  updateLogged: () => undefined,
  status: () => IDLE_STATUS,
};

/**
 * The machine summary of a recent update, labelled, for status views and reminders: shown under the
 * update's own line, which keeps the original words. Undefined when there is none.
 */
export function machineSummaryLine(u: Pick<RecentUpdate, 'summary'>, locale: Locale): Mrkdwn | undefined {
  if (!u.summary) return undefined;
  const f = messages(locale).format;
  return md`　${messages(locale).llm.machineSummary}${f.parens(u.summary.model)}${f.colon}${u.summary.text}`;
}

/** "11月28日" for a reference line. */
export function refDate(date: string, locale: Locale, today: string): string {
  return formatDate(date, locale, today);
}
