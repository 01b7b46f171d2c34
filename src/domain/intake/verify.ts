/**
 * The model's drafts, kept only where they quote the text: a field whose quote is not found verbatim
 * is dropped, never trusted. Departments are the zone's only, and only when the quote names them; a
 * figure only when its value is written in its quote; a deadline only when its quote is in the text.
 */
import { isCalendarDate } from '../dates.ts';
import { departmentNames, normalize } from '../match.ts';
import type { Department } from '../schema.ts';
import { departmentOf } from './departments.ts';
import type { Comparator, Draft, Field, Figure, Span } from './types.ts';

type Quoted = { quote: string };
export type ModelDraft = {
  sentence: string;
  name: ({ value: string } & Quoted) | null;
  lead: ({ department: string } & Quoted) | null;
  co: Array<{ department: string } & Quoted>;
  deadline: ({ date: string } & Quoted) | null;
  figure: ({ value: number; unit: string; comparator: Comparator | null } & Quoted) | null;
};

/** Where `quote` stands in `text`, searching from the sentence first. */
function locate(text: string, quote: string, near = 0): Span | undefined {
  const q = quote.trim();
  if (q.length === 0) return undefined;
  let at = text.indexOf(q, near);
  if (at < 0) at = text.indexOf(q);
  return at < 0 ? undefined : { start: at, end: at + q.length, text: q };
}

export function isQuoted(text: string, quote: string): boolean {
  return locate(text, quote) !== undefined;
}

function departmentField(
  text: string,
  departments: readonly Department[],
  said: { department: string; quote: string },
  near: number,
): Field<string> | undefined {
  const where = locate(text, said.quote, near);
  if (!where) return undefined;
  const d = departmentOf(departments, said.department);
  if (!d) return undefined;
  const q = normalize(where.text);
  if (!departmentNames(d).some((n) => q.includes(n))) return undefined;
  return { value: d.id, span: where };
}

/** The model's drafts as drafts, with every unquoted field dropped; a draft whose sentence is not in the text is dropped. */
export function keepQuoted(text: string, drafts: readonly ModelDraft[], departments: readonly Department[]): Draft[] {
  const out: Draft[] = [];
  for (const m of drafts) {
    const sentence = locate(text, m.sentence);
    if (!sentence) continue;
    const near = sentence.start;
    const draft: Draft = { sentence, co: [], unknownDepartments: [] };
    const name = m.name && locate(text, m.name.quote, near);
    if (name && m.name && name.text.includes(m.name.value.trim()) && m.name.value.trim().length >= 2)
      draft.name = { value: m.name.value.trim().slice(0, 200), span: name };
    const lead = m.lead && departmentField(text, departments, m.lead, near);
    if (lead) draft.lead = lead;
    for (const c of m.co) {
      const f = departmentField(text, departments, c, near);
      if (f && f.value !== draft.lead?.value && !draft.co.some((x) => x.value === f.value)) draft.co.push(f);
    }
    const deadline = m.deadline && locate(text, m.deadline.quote, near);
    if (deadline && m.deadline && isCalendarDate(m.deadline.date))
      draft.deadline = { value: m.deadline.date, span: deadline };
    const figure = m.figure && locate(text, m.figure.quote, near);
    if (
      figure &&
      m.figure &&
      writtenIn(m.figure.value, figure.text) &&
      m.figure.unit.trim() &&
      figure.text.includes(m.figure.unit.trim())
    ) {
      const f: Figure = {
        value: m.figure.value,
        unit: m.figure.unit.trim(),
        ...(m.figure.comparator ? { comparator: m.figure.comparator } : {}),
      };
      draft.figure = { value: f, span: figure };
    }
    out.push(draft);
  }
  return out;
}

function writtenIn(value: number, quote: string): boolean {
  const digits = quote.replaceAll(',', '').match(/\d+(?:\.\d+)?/g) ?? [];
  return digits.some((d) => Number(d) === value);
}
