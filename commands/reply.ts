/**
 * What a command answers: plain data, no Bolt. The Slack edge renders it to Block Kit (enforcing
 * Slack's limits); the console renders that Block Kit to text.
 *
 * Text in a reply is `Mrkdwn`, which can only be made by `md` (escaping every interpolated value)
 * or `trusted` (catalogue strings written by us), so user- or data-supplied text can never
 * become a mention such as <!channel> or <@U123>.
 */

declare const brand: unique symbol;
export type Mrkdwn = { readonly mrkdwn: string; readonly [brand]: true };

const BROADCAST = /@(channel|here|everyone)\b/gi;

/** Escapes text for Slack mrkdwn: control characters &, <, > and the broadcast words. */
export function escapeMrkdwn(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // A zero-width joiner keeps "@channel" readable but never a broadcast, whatever the client parses.
      .replace(BROADCAST, (_m, word: string) => `@\u2060${word}`)
  );
}

/** Marks text we wrote ourselves (catalogues, fixed formatting) as safe mrkdwn. */
export function trusted(mrkdwn: string): Mrkdwn {
  return { mrkdwn } as Mrkdwn;
}

export function isMrkdwn(v: unknown): v is Mrkdwn {
  return typeof v === 'object' && v !== null && typeof (v as { mrkdwn?: unknown }).mrkdwn === 'string';
}

/** Tagged template: literal parts are trusted, interpolated strings and numbers are escaped. */
export function md(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number | Mrkdwn>): Mrkdwn {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += (isMrkdwn(v) ? v.mrkdwn : escapeMrkdwn(String(v))) + (strings[i + 1] ?? '');
  });
  return trusted(out);
}

export function joinMd(parts: readonly Mrkdwn[], separator = '\n'): Mrkdwn {
  return trusted(parts.map((p) => p.mrkdwn).join(escapeMrkdwn(separator)));
}

export type Button = {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
};

export type ReplyBlock =
  | { type: 'header'; text: string }
  | { type: 'section'; text: Mrkdwn; fields?: Mrkdwn[]; button?: Button }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'divider' }
  | { type: 'actions'; buttons: Button[] };

export type Reply = {
  /** Plain-text fallback for notifications and clients without blocks. */
  text: string;
  blocks: ReplyBlock[];
  /** Usage answers and errors are ephemeral; answers to questions go where they were asked. */
  visibility: 'ephemeral' | 'in_channel';
  /** What the reply is about, so a later reply in its thread can be tied to it. */
  about?: { departmentId?: string; itemIds?: string[] };
};
