/**
 * 销号 with evidence: the reply to a claim of done that needs a file or link and has none (nothing
 * recorded, nothing sent for review, an admin may waive), and the claim and its evidence side by side
 * in the review request, with the words that say it is not finished flagged.
 */
import { findHedges } from '../src/domain/evidence.ts';
import type { Evidence, Item } from '../src/domain/schema.ts';
import { type Locale, messages, pick } from '../src/i18n/index.ts';
import { joinMd, type Mrkdwn, md, type Reply, type ReplyBlock } from './reply.ts';

export const WAIVE = 'duban.evidence.waive';

/** What the waive button carries: the item, the claim's words and who made it. */
export type WaiveValue = { i: string; n?: string; u: string };

/** At most Slack's 2,000 characters of a button value: the claim's words are cut to fit. */
export function waiveValue(v: WaiveValue): string {
  let n = v.n?.slice(0, 1500);
  for (;;) {
    const value = JSON.stringify({ i: v.i, ...(n ? { n } : {}), u: v.u });
    if (value.length <= 2000 || !n) return value;
    n = n.slice(0, Math.floor(n.length / 2));
  }
}

export function readWaiveValue(value: string): WaiveValue | undefined {
  try {
    const v = JSON.parse(value) as Partial<WaiveValue>;
    if (typeof v.i !== 'string' || typeof v.u !== 'string') return undefined;
    return { i: v.i, u: v.u, ...(typeof v.n === 'string' ? { n: v.n } : {}) };
  } catch {
    return undefined;
  }
}

/** "「…」销号需要佐证…这条回复没有记录…", with how to add evidence and the office's waive button. */
export function evidenceNeededReply(item: Item, note: string | undefined, userId: string, locale: Locale): Reply {
  const m = messages(locale).evidence;
  const name = pick(item.name, locale);
  const text = `${m.needed(name)}${m.notRecorded}`;
  return {
    text,
    blocks: [
      { type: 'section', text: joinMd([md`📎 *${m.needed(name)}*`, md`${m.notRecorded}`, md`${m.how}`]) },
      {
        type: 'actions',
        buttons: [{ text: m.waive, actionId: WAIVE, value: waiveValue({ i: item.id, n: note, u: userId }) }],
      },
    ],
    visibility: 'in_channel',
  };
}

function evidenceLine(e: Evidence, locale: Locale): Mrkdwn {
  const m = messages(locale).evidence;
  // Links are shown as text, escaped: a claim's link is the department's word until someone opens it.
  return e.kind === 'file' ? md`• ${m.file(e.name ?? e.url)} ${e.url}` : md`• ${e.url}`;
}

/** The claim and its evidence side by side, and a flag on words that say it is not finished. */
export function claimBlocks(note: string | undefined, evidence: readonly Evidence[], locale: Locale): ReplyBlock[] {
  const m = messages(locale).evidence;
  const claim = note ? note.slice(0, 900) : m.none;
  const proof = evidence.length > 0 ? joinMd(evidence.slice(0, 10).map((e) => evidenceLine(e, locale))) : md`${m.none}`;
  const blocks: ReplyBlock[] = [
    {
      type: 'section',
      text: md`*${m.claim}* | *${m.evidence}*`,
      fields: [md`${claim}`, joinMd([proof])],
    },
  ];
  const hedges = note ? findHedges(note) : [];
  if (hedges.length > 0)
    blocks.push({ type: 'context', elements: [md`${m.hedge(hedges.map((h) => h.words).join('、'))}`] });
  return blocks;
}
