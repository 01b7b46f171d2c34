import { en } from './en.ts';
import { type Catalogue, zhCN } from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export type { Catalogue };

const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en };

export function messages(locale: Locale): Catalogue {
  return catalogues[locale];
}

/** Maps a Slack or BCP 47 locale ("zh-CN", "zh-TW", "en-US", "ja-JP") to one we speak. */
export function toLocale(tag: string | undefined): Locale | undefined {
  if (!tag) return undefined;
  const t = tag.toLowerCase();
  if (t.startsWith('zh')) return 'zh-CN';
  if (t.startsWith('en')) return 'en';
  return undefined;
}

/** The language a question was asked in: Chinese when it has Han characters, English when it has Latin words. */
export function detectLocale(text: string): Locale | undefined {
  if (/\p{Script=Han}/u.test(text)) return 'zh-CN';
  if (/[A-Za-z]{2,}/.test(text.replace(/<[^>]*>/g, ''))) return 'en';
  return undefined;
}

/** Locale-aware number formatting (grouping, at most two decimals). */
const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(n: number, locale: Locale, maximumFractionDigits = 2): string {
  const key = `${locale}:${maximumFractionDigits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits });
    numberFormats.set(key, f);
  }
  return f.format(n);
}

/** A civil date (YYYY-MM-DD) in the reader's language, the year shown only when it is not `currentYear`. */
export function formatDate(date: string, locale: Locale, today?: string): string {
  return messages(locale).format.date(date, today !== undefined && today.slice(0, 4) === date.slice(0, 4));
}

/** Picks the reader's language from a zh/en text pair. */
export function pick(text: { zh: string; en?: string | undefined }, locale: Locale): string {
  return locale === 'en' ? (text.en ?? text.zh) : text.zh;
}
