import { describe, expect, it } from 'vitest';
import { helpReply } from '../../commands/help.ts';

const text = (locale: 'zh-CN' | 'en', topic: 'all' | 'duban') =>
  helpReply(topic, locale)
    .blocks.map((b) =>
      'text' in b && b.text && typeof b.text === 'object' && 'mrkdwn' in b.text
        ? String(b.text.mrkdwn)
        : JSON.stringify(b),
    )
    .join('\n');

describe('help lists every command group', () => {
  const groups = [
    '/targets',
    '/projects',
    '/progress',
    '/duban status',
    '/duban behind',
    '/duban summary',
    '/duban member',
    '/duban export',
    '/duban remind',
    '/duban schedule',
    '/duban snooze',
    '/duban away',
    '/duban calendar',
    '/duban bulletin',
    '/duban audit',
    '/duban llm',
    '/duban score',
  ];

  it.each([
    ['zh-CN', 'all'],
    ['en', 'all'],
    ['zh-CN', 'duban'],
    ['en', 'duban'],
  ] as const)('%s %s help names %j', (locale, topic) => {
    const shown = text(locale, topic);
    const expected = topic === 'all' ? groups : groups.filter((g) => g.startsWith('/duban'));
    for (const g of expected) expect(shown, g).toContain(g);
  });

  it.each(['zh-CN', 'en'] as const)("keeps every %s help section within Slack's 3,000 characters", (locale) => {
    for (const b of helpReply('all', locale).blocks)
      if (b.type === 'section') expect(JSON.stringify(b).length).toBeLessThan(3000);
  });
});
