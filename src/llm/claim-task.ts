/**
 * 销号 with evidence, read by the model: does a claim of done, with the names of its files and the
 * addresses of its links, support 办结 (finished)? What is sent: the item's name, the claim with people
 * replaced by labels (src/llm/privacy.ts), each file's name (never its content, never its Slack
 * permalink, which names the uploader) and each link's host and path (no query or fragment, ids and
 * numbers in it masked). What comes back is only a flag for the office: it never decides, and the
 * quote it points at is kept only when it is the claim's own words.
 */
import { z } from 'zod';
import type { ClaimCheck, ClaimCheckRequest } from '../../commands/llm-port.ts';
import type { Locale } from '../i18n/index.ts';
import type { Pseudonymiser } from './privacy.ts';
import { capLength, cleanModelText } from './sanitise.ts';
import { GUARD, language, type Task } from './tasks.ts';

export const ClaimCheckAnswer = z.strictObject({
  matches: z.boolean(),
  concern: z.string().nullable(),
  quote: z.string().nullable(),
});
export type ClaimCheckAnswer = z.infer<typeof ClaimCheckAnswer>;

export const CONCERN_MAX = 120;
export const QUOTE_MAX = 60;
const CLAIM_MAX = 1500;
const EVIDENCE_MAX = 10;

export type EvidenceForModel =
  | { kind: 'file'; name: string }
  | { kind: 'link'; host: string; path: string; text?: string };

/** One piece of evidence as the model may see it; undefined when nothing of it can be sent. */
export function evidenceForModel(e: ClaimCheckRequest['evidence'][number], pseudo: Pseudonymiser): EvidenceForModel {
  let url: URL | undefined;
  try {
    url = new URL(e.url);
  } catch {
    url = undefined;
  }
  const decoded = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (e.kind === 'file') {
    const last = url ? decoded(url.pathname.split('/').filter(Boolean).pop() ?? '') : '';
    return { kind: 'file', name: capLength(pseudo(e.name ?? last), 200) };
  }
  const text = e.name ? capLength(pseudo(e.name), 200) : undefined;
  return {
    kind: 'link',
    host: url?.host ?? '',
    path: capLength(pseudo(url ? decoded(url.pathname) : ''), 300),
    ...(text ? { text } : {}),
  };
}

export function claimCheckTask(input: {
  locale: Locale;
  item: string;
  claim: string;
  evidence: EvidenceForModel[];
}): Task<ClaimCheckAnswer> {
  return {
    name: 'claim_check',
    schema: ClaimCheckAnswer,
    system:
      "You help a development zone's supervision office (督查室) review a department's claim that a task is finished (办结). " +
      'You see the claim and its evidence as names only: file names, and the host and path of links (you cannot open them). ' +
      'Answer matches=true only if the claim says the task is entirely finished and the evidence plausibly documents that ' +
      '(an acceptance report, a completion certificate, an approval, a closing notice). Answer matches=false if the claim hedges ' +
      '(基本完成, 初步完成, 大部分, 正在, 收尾, 预计…完成, 待验收, a percentage below 100) or the evidence documents something else ' +
      '(a plan, a start of work, an unrelated item). concern: one short sentence (at most 60 characters) saying why, or null when matches is true. ' +
      'quote: the words of the claim your concern is about, copied character for character (at most 30 characters), or null. ' +
      `You only flag; the office decides. ${language(input.locale)} ${GUARD}`,
    user: JSON.stringify({
      item: input.item,
      claim: capLength(input.claim, CLAIM_MAX),
      evidence: input.evidence.slice(0, EVIDENCE_MAX),
    }),
    maxTokens: 200,
  };
}

/**
 * The model's answer as the office may see it: the concern made plain; the quote kept only when it is
 * found, as written, in the claim (words masked before sending never match, so they are never shown).
 */
export function readClaimAnswer(answer: ClaimCheckAnswer, claim: string, model: string): ClaimCheck {
  const concern = cleanModelText(answer.concern, CONCERN_MAX);
  const quote = answer.quote?.trim() ?? '';
  const kept =
    quote.length > 0 &&
    quote.length <= QUOTE_MAX &&
    cleanModelText(quote, QUOTE_MAX) === quote &&
    claim.includes(quote);
  return { model, matches: answer.matches, ...(concern ? { concern } : {}), ...(kept ? { quote } : {}) };
}
