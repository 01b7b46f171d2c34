/**
 * Drafts as the admin edits them, and as an import file. A field keeps the words it was read from;
 * one the admin typed has none. What an import needs — a name, a lead department and a deadline — is
 * never filled in by duban: a draft without one is not imported until the admin fills it.
 */
import { minDate } from '../dates.ts';
import type { Commitment, ImportFile, Target } from '../schema.ts';
import type { Draft, Figure } from './types.ts';

/** A value and, when it was read from the text, the words it was read from. */
export type Sourced<T> = { value: T; quote?: string };

export type IntakeItem = {
  sentence: string;
  name?: Sourced<string>;
  lead?: Sourced<string>;
  co: Array<Sourced<string>>;
  deadline?: Sourced<string>;
  figure?: Sourced<Figure>;
  /** Offices named in the text that are none of the zone's departments. */
  unknown: string[];
  /** The admin took it out of the import. */
  dropped?: boolean;
};

export type MissingField = 'name' | 'lead' | 'deadline';

export function itemOf(d: Draft): IntakeItem {
  const sourced = <T>(f: { value: T; span: { text: string } } | undefined) =>
    f ? { value: f.value, quote: f.span.text } : undefined;
  const item: IntakeItem = {
    sentence: d.sentence.text,
    co: d.co.map((c) => ({ value: c.value, quote: c.span.text })),
    unknown: d.unknownDepartments.map((u) => u.span.text),
  };
  const name = sourced(d.name);
  const lead = sourced(d.lead);
  const deadline = sourced(d.deadline);
  const figure = sourced(d.figure);
  if (name) item.name = name;
  if (lead) item.lead = lead;
  if (deadline) item.deadline = deadline;
  if (figure) item.figure = figure;
  return item;
}

export function missingOf(item: IntakeItem): MissingField[] {
  const missing: MissingField[] = [];
  if (!item.name?.value.trim()) missing.push('name');
  if (!item.lead) missing.push('lead');
  if (!item.deadline) missing.push('deadline');
  return missing;
}

export type ImportOptions = {
  /** Who imports (a Slack user id) and when: the assignment's 交办 record. */
  by: string;
  at: string;
  /** Today in the zone: the items' period starts today (or at the deadline, if that is earlier). */
  today: string;
  /** Ids already in the store, so new ones never collide. */
  takenIds: ReadonlySet<string>;
};

/**
 * The items to import as an import file: a commitment each, assigned at a meeting (交办), with the
 * sentence as its source; and a target linked to it when the text states a value and unit — a level
 * (a rate held all year) for a percentage, else a count or amount that ramps to the value.
 */
export function toImportFile(items: readonly IntakeItem[], options: ImportOptions): ImportFile {
  const commitments: Commitment[] = [];
  const targets: Target[] = [];
  const taken = new Set(options.takenIds);
  let n = 0;
  const nextId = (prefix: string) => {
    let id: string;
    do id = `${prefix}-intake-${options.today.replaceAll('-', '')}-${++n}`;
    while (taken.has(id));
    taken.add(id);
    return id;
  };
  for (const item of items) {
    if (item.dropped || missingOf(item).length > 0) continue;
    const name = { zh: item.name!.value.trim().slice(0, 200) };
    const end = item.deadline!.value;
    const period = { start: minDate(options.today, end), end };
    const base = {
      departmentId: item.lead!.value,
      coDepartmentIds: item.co.map((c) => c.value).filter((c) => c !== item.lead!.value),
      name,
      tags: [],
      period,
      reporting: { cadence: 'monthly' as const, graceDays: 5 },
      source: item.sentence.slice(0, 500),
    };
    const targetIds: string[] = [];
    const f = item.figure?.value;
    if (f && (f.unit === '%' || f.value !== 0)) {
      const id = nextId('t');
      targetIds.push(id);
      targets.push(
        f.unit === '%'
          ? {
              ...base,
              id,
              kind: 'level',
              unit: { zh: f.unit },
              target: f.value,
              comparator: f.comparator ?? 'atLeast',
              tolerance: 0,
            }
          : { ...base, id, kind: 'cumulative', unit: { zh: f.unit }, baseline: 0, target: f.value, checkpoints: [] },
      );
    }
    commitments.push({
      ...base,
      id: nextId('c'),
      pledge: { zh: item.sentence.slice(0, 200) },
      targetIds,
      projectIds: [],
      milestones: [],
      assignment: {
        source: 'meeting',
        urgency: 'normal',
        by: options.by,
        at: options.at,
        quote: item.sentence.slice(0, 2000),
      },
    });
  }
  return { departments: [], targets, projects: [], commitments, updates: [], exemptions: [] };
}
