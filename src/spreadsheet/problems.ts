/** Problems found in a spreadsheet, located by sheet, row and column, worded in Chinese and English. */
import { type Catalogue, type Locale, messages, pick } from '../i18n/index.ts';

export type Bilingual = { zh: string; en: string };

/**
 * One problem (or warning) in a spreadsheet. `row` is the row number Excel shows (1-based; for a
 * CSV, the record number, header = 1); `column` is the header as written in the sheet.
 */
export type SheetProblem = {
  sheet: string;
  row?: number;
  column?: string;
  message: Bilingual;
};

const MAX_QUOTED = 40;

function clip(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return oneLine.length > MAX_QUOTED ? `${oneLine.slice(0, MAX_QUOTED - 1)}…` : oneLine;
}

/** A value quoted for the Chinese message: 『约7.5』 (long values are clipped). */
export function qzh(value: string | number): string {
  return `『${clip(String(value))}』`;
}

/** A value quoted for the English message: “约7.5” (long values are clipped). */
export function qen(value: string | number): string {
  return `“${clip(String(value))}”`;
}

export type ProblemWords = Catalogue['importProblems'];

type Quote = (value: string | number) => string;

/**
 * A message in both languages from the catalogues. `f` gets each language's catalogue, the way that
 * language quotes a value (clipped), and the key of that language in a `Bilingual`, for fragments
 * that come in both languages (a sheet's or a choice's names).
 */
export function fromCatalogues(f: (m: Catalogue, q: Quote, lang: keyof Bilingual) => string): Bilingual {
  return { zh: f(messages('zh-CN'), qzh, 'zh'), en: f(messages('en'), qen, 'en') };
}

/** A problem worded from the catalogues' `importProblems`, in both languages (see `fromCatalogues`). */
export function worded(f: (m: ProblemWords, q: Quote, lang: keyof Bilingual) => string): Bilingual {
  return fromCatalogues((m, q, lang) => f(m.importProblems, q, lang));
}

/**
 * "『指标』第 12 行『目标值』不是数字：『约7.5』" / "Sheet 指标, row 12, 目标值: not a number: “约7.5”".
 */
export function formatProblem(p: SheetProblem, locale: Locale): string {
  const m = messages(locale).importProblems;
  return m.located(m.where(p.sheet, p.row, p.column), pick(p.message, locale), p.column !== undefined);
}

/** Collects problems in the order they are found. */
export class ProblemList {
  readonly items: SheetProblem[] = [];

  add(sheet: string, message: Bilingual, row?: number, column?: string): void {
    const p: SheetProblem = { sheet, message };
    if (row !== undefined) p.row = row;
    if (column !== undefined) p.column = column;
    this.items.push(p);
  }

  get length(): number {
    return this.items.length;
  }
}
