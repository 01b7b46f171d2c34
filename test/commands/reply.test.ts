import { describe, expect, it } from 'vitest';
import { parseQuery, plainText } from '../../commands/args.ts';
import { parseDuban } from '../../commands/duban.ts';
import { escapeMrkdwn, joinMd, md, trusted } from '../../commands/reply.ts';

describe('escaping text for mrkdwn', () => {
  it.each([
    ['<!channel> 大家好', '&lt;!channel&gt; 大家好'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<@U012ABCDEF> please', '&lt;@U012ABCDEF&gt; please'],
    ['<!subteam^S123>', '&lt;!subteam^S123&gt;'],
    ['<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['A & B', 'A &amp; B'],
    ['&lt;!channel&gt;', '&amp;lt;!channel&amp;gt;'],
  ])('%s', (input, output) => {
    expect(escapeMrkdwn(input)).toBe(output);
  });

  it.each(['@channel', '@here', '@everyone', '@Channel'])('breaks the broadcast word %s', (word) => {
    const escaped = escapeMrkdwn(`hi ${word}`);
    expect(escaped).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(escaped.replace('\u2060', '')).toBe(`hi ${word}`);
  });

  it('escapes interpolated values but keeps our own markup', () => {
    const name = '*<!channel>*';
    expect(md`*${name}* · ${42}`.mrkdwn).toBe('**&lt;!channel&gt;** · 42');
  });

  it('does not escape twice when a value is already mrkdwn', () => {
    const inner = md`${'<b>'}`;
    expect(md`x ${inner} y`.mrkdwn).toBe('x &lt;b&gt; y');
    expect(joinMd([trusted('*a*'), md`${'<c>'}`], ' & ').mrkdwn).toBe('*a* &amp; &lt;c&gt;');
  });
});

describe('parsing command text', () => {
  it.each([
    ['', { help: false, query: '', page: 1 }],
    ['住建局', { help: false, query: '住建局', page: 1 }],
    ['  住建局   p2 ', { help: false, query: '住建局', page: 2 }],
    ['城市更新 page 3', { help: false, query: '城市更新', page: 3 }],
    ['城市更新 第2页', { help: false, query: '城市更新', page: 2 }],
    ['p4', { help: false, query: '', page: 4 }],
    ['2026', { help: false, query: '2026', page: 1 }],
    ['help', { help: true, query: '', page: 1 }],
    ['帮助', { help: true, query: '', page: 1 }],
    ['p999999', { help: false, query: 'p999999', page: 1 }],
  ])('"%s"', (text, args) => {
    expect(parseQuery(text)).toEqual({ ok: true, args });
  });

  it('refuses text longer than a query can be', () => {
    expect(parseQuery('字'.repeat(10_000))).toEqual({ ok: false, problem: 'too_long' });
  });

  it('turns Slack markup into plain text', () => {
    expect(plainText('<#C123|general> <@U456> <!channel> <https://x.y|link> &lt;b&gt;')).toBe(
      '#general @U456 !channel link <b>',
    );
  });

  it.each([
    ['', { sub: 'help' }],
    ['status 住建局', { sub: 'status', query: { help: false, query: '住建局', page: 1 } }],
    ['状态', { sub: 'status', query: { help: false, query: '', page: 1 } }],
    ['behind p2', { sub: 'behind', query: { help: false, query: '', page: 2 } }],
    ['谁落后', { sub: 'behind', query: { help: false, query: '', page: 1 } }],
    ['frobnicate now', { sub: 'unknown', word: 'frobnicate' }],
  ])('/duban "%s"', (text, args) => {
    expect(parseDuban(text)).toEqual(args);
  });
});
