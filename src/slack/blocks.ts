/**
 * Reply → Block Kit, enforcing Slack's limits so no reply is ever rejected: 50 blocks a message
 * (100 in a modal or App Home), 3,000 characters a section, 150 a header, 10 fields of 2,000, 25
 * elements an actions block, 75 characters a button label. Pure: no Bolt at run time.
 */
import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
type SlackButton = types.Button;

import type { Button, Mrkdwn, Reply, ReplyBlock } from '../../commands/reply.ts';
import { escapeMrkdwn } from '../../commands/reply.ts';
import { type Locale, messages } from '../i18n/index.ts';

export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  fallbackText: 3000,
} as const;

/**
 * Cuts to at most `max` UTF-16 code units (what JavaScript and Slack's validators count; never more
 * than the number of characters), never inside a surrogate pair or an &entity;.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/&[a-z]{0,4}$/i, '')}…`;
}

/** Splits long mrkdwn at line breaks into pieces of at most `max` code units. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= max) current = candidate;
    else {
      if (current) pieces.push(current);
      current = line.length > max ? truncate(line, max) : line;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

function mrkdwn(text: Mrkdwn, max: number) {
  return { type: 'mrkdwn' as const, text: truncate(text.mrkdwn, max) || ' ' };
}

function button(b: Button): SlackButton {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(b.text, LIMITS.buttonText), emoji: true },
    action_id: b.actionId,
    value: b.value.slice(0, LIMITS.buttonValue),
    ...(b.style ? { style: b.style } : {}),
  };
}

function renderBlock(b: ReplyBlock): KnownBlock[] {
  switch (b.type) {
    case 'header':
      return [
        { type: 'header', text: { type: 'plain_text', text: truncate(b.text, LIMITS.headerText) || ' ', emoji: true } },
      ];
    case 'divider':
      return [{ type: 'divider' }];
    case 'context':
      return [
        {
          type: 'context',
          elements: b.elements.slice(0, LIMITS.contextElements).map((e) => mrkdwn(e, LIMITS.sectionText)),
        },
      ];
    case 'actions':
      return b.buttons.length === 0
        ? []
        : [{ type: 'actions', elements: b.buttons.slice(0, LIMITS.actionsElements).map(button) }];
    case 'section': {
      const pieces = splitText(b.text.mrkdwn, LIMITS.sectionText);
      return pieces.map((text, i) => {
        const last = i === pieces.length - 1;
        return {
          type: 'section' as const,
          text: { type: 'mrkdwn' as const, text: text || ' ' },
          ...(last && b.fields?.length
            ? { fields: b.fields.slice(0, LIMITS.fields).map((f) => mrkdwn(f, LIMITS.fieldText)) }
            : {}),
          ...(last && b.button ? { accessory: button(b.button) } : {}),
        };
      });
    }
  }
}

/** Renders reply blocks within `maxBlocks`, replacing what does not fit with a note saying so. */
export function renderBlocks(
  blocks: readonly ReplyBlock[],
  locale: Locale,
  maxBlocks: number = LIMITS.messageBlocks,
): KnownBlock[] {
  const out = blocks.flatMap(renderBlock);
  if (out.length <= maxBlocks) return out;
  const kept = out.slice(0, maxBlocks - 1);
  const omitted = out.length - kept.length;
  kept.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: escapeMrkdwn(messages(locale).list.omitted(omitted)) }],
  });
  return kept;
}

/** The fields of a chat.postMessage / respond() body for a reply. */
export function renderMessage(reply: Reply, locale: Locale): { text: string; blocks: KnownBlock[] } {
  return { text: truncate(escapeMrkdwn(reply.text), LIMITS.fallbackText), blocks: renderBlocks(reply.blocks, locale) };
}
