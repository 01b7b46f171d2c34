/**
 * Questions about a report ("which item?", "which figure?"): remembered with their options until
 * answered or expired, and taken once, by the person asked (or an admin).
 */
import { CHOICE_MS, SEEN_EVENT_MS } from '../../src/domain/delivery.ts';
import { setEntry } from '../../src/domain/owned-records.ts';
import type { ReadModel } from '../../src/domain/read-model.ts';
import type { PendingChoice } from '../../src/domain/state.ts';
import { type Locale, messages, pick } from '../../src/i18n/index.ts';
import type { WriteContext } from '../context.ts';
import { md, type Reply } from '../reply.ts';
import type { Fields } from './log.ts';

/** Remembers a question and returns the reply asking it, with one button per option. */
export async function askQuestion(
  choice: Omit<PendingChoice, 'until'>,
  question: string,
  ctx: WriteContext,
  eventId?: string,
): Promise<Reply> {
  const id = `q${ctx.now.getTime().toString(36)}${Math.floor(ctx.now.getTime() % 997)}`;
  const { result } = await ctx.store.transact((tx) => {
    let key = id;
    for (let n = 1; tx.state.choices[key]; n++) key = `${id}-${n}`;
    // The delivery is marked seen so a retry does not ask twice; the message is marked once logged.
    tx.bookkeep((s) => ({
      seen: {
        ...s.seen,
        events: eventId ? setEntry(s.seen.events, eventId, ctx.now.getTime() + SEEN_EVENT_MS) : s.seen.events,
      },
      threads: s.threads,
      choices: setEntry(s.choices, key, { ...choice, until: ctx.now.getTime() + CHOICE_MS }),
    }));
    return key;
  });
  return questionReply(result, choice, question, ctx.locale, ctx.model);
}

function questionReply(
  key: string,
  choice: Omit<PendingChoice, 'until'>,
  question: string,
  locale: Locale,
  model: ReadModel,
): Reply {
  const m = messages(locale).progress;
  const buttons =
    choice.options.length > 0
      ? choice.options.map((o, i) => ({
          text: pick(o.label, locale),
          actionId: `duban.choice.${i}`,
          value: `${key}:${i}`,
        }))
      : choice.itemIds.slice(0, 10).map((itemId, i) => {
          const item = model.item(itemId)?.item;
          const n = model.numberOf(itemId);
          return {
            text: `${n ? `#${n} ` : ''}${item ? pick(item.name, locale) : itemId}`,
            actionId: `duban.choice.${i}`,
            value: `${key}:${i}`,
          };
        });
  buttons.push({ text: m.justNote, actionId: 'duban.choice.note', value: `${key}:note` });
  return {
    text: question,
    blocks: [
      { type: 'section', text: md`${question}` },
      { type: 'actions', buttons },
    ],
    visibility: 'in_channel',
  };
}

export type TakenAnswer =
  | { kind: 'expired' }
  | { kind: 'not_yours' }
  | { kind: 'chosen'; choice: PendingChoice; itemId: string; fields?: Fields; noteOnly: boolean };

/** Takes the answer to a question (a button's value "key:index"), once. */
export async function takeAnswer(value: string, ctx: WriteContext): Promise<TakenAnswer> {
  const [key = '', pick = ''] = value.split(':');
  const { result } = await ctx.store.transact((tx) => {
    const choice = tx.state.choices[key];
    if (!choice || choice.until < ctx.now.getTime()) return { kind: 'expired' as const };
    if (choice.userId !== ctx.userId && !ctx.isAdmin) return { kind: 'not_yours' as const };
    const { [key]: _, ...rest } = tx.state.choices;
    tx.bookkeep((s) => ({ seen: s.seen, threads: s.threads, choices: rest }));
    if (pick === 'note') return { kind: 'chosen' as const, choice, itemId: choice.itemIds[0] ?? '', noteOnly: true };
    const i = Number(pick);
    if (choice.options.length > 0) {
      const option = choice.options[i];
      if (!option) return { kind: 'expired' as const };
      return {
        kind: 'chosen' as const,
        choice,
        itemId: choice.itemIds[0] ?? '',
        fields: option.fields,
        noteOnly: false,
      };
    }
    const itemId = choice.itemIds[i];
    return itemId ? { kind: 'chosen' as const, choice, itemId, noteOnly: false } : { kind: 'expired' as const };
  });
  return result;
}
