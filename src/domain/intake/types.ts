/** What the intake drafter proposes: every field with the span of the text it was read from. */

/** A span of the source text: offsets (UTF-16, as JavaScript strings index) and the quoted words. */
export type Span = { start: number; end: number; text: string };

/** A field read from the text, with where it was read. A field the text does not state is absent. */
export type Field<T> = { value: T; span: Span };

export type Comparator = 'atLeast' | 'atMost';

export type Figure = { value: number; unit: string; comparator?: Comparator };

/** A department named in a role slot that is none of the zone's departments. */
export type UnknownDepartment = { role: 'lead' | 'co'; span: Span };

export type Draft = {
  /** The sentence or list item the draft was read from. */
  sentence: Span;
  /** The goal, as the item's name. */
  name?: Field<string>;
  /** 牵头: the lead department's id. */
  lead?: Field<string>;
  /** 配合: supporting departments' ids. */
  co: Array<Field<string>>;
  /** 时限, as an ISO date. */
  deadline?: Field<string>;
  /** A target value and unit when one figure is stated. */
  figure?: Field<Figure>;
  unknownDepartments: UnknownDepartment[];
};

export type DraftOptions = {
  departments: ReadonlyArray<import('../schema.ts').Department>;
  /** Today in the zone (YYYY-MM-DD): 本季度 / 本月 are read from it. */
  today: string;
  /** The zone's year, for dates that name none (6月底前); default today's year. */
  year?: number;
};

export function span(source: string, start: number, end: number): Span {
  return { start, end, text: source.slice(start, end) };
}
