/**
 * What leaves duban for a model: only the text a task needs, with people replaced by neutral labels.
 * Slack mentions and ids become "联络员A"-style labels (the same person keeps one label within a
 * request); channel references, links, e-mail addresses, phone and ID-card numbers are masked.
 */
import { type Locale, messages } from '../i18n/index.ts';

export type Pseudonymiser = (text: string) => string;

function letter(n: number): string {
  return n < 26 ? String.fromCharCode(65 + n) : `${String.fromCharCode(65 + (n % 26))}${Math.floor(n / 26)}`;
}

/** One pseudonymiser per request, so a person mentioned twice gets the same label both times. */
export function createPseudonymiser(locale: Locale): Pseudonymiser {
  const labels = new Map<string, string>();
  const words = messages(locale).pseudonyms;
  const labelOf = (id: string) => {
    let label = labels.get(id);
    if (!label) {
      label = words.person(letter(labels.size));
      labels.set(id, label);
    }
    return label;
  };
  return (text) =>
    text
      .replace(/<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>/g, (_m, id: string) => labelOf(id))
      .replace(/<#[CG][A-Z0-9]{2,}(?:\|[^>]*)?>/g, words.channel)
      .replace(/<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>/g, words.group)
      .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, '@$1')
      .replace(/<(https?:\/\/[^>|]+)(?:\|[^>]*)?>/g, words.link)
      .replace(/https?:\/\/\S+/g, words.link)
      .replace(/\b[UW](?=[A-Z0-9]*\d)[A-Z0-9]{8,}\b/g, (id) => labelOf(id))
      .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, words.email)
      .replace(/(?<!\d)\d{17}[\dXx](?!\d)/g, words.idNumber)
      .replace(/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g, words.phone)
      .replace(/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, words.phone);
}
