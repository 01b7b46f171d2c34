/** Reading `/duban 督办单 …`: the item, the level in Chinese or English, the template; mistakes named. */
import { describe, expect, it } from 'vitest';
import { levelOfWord, parseDocument, parsePreviewValue } from '../../commands/documents.ts';
import { parseDuban } from '../../commands/duban.ts';

describe('parseDocument', () => {
  it.each([
    ['', { sub: 'usage' }],
    ['模板', { sub: 'templates' }],
    ['template', { sub: 'templates' }],
    ['#12', { sub: 'issue', item: '#12' }],
    ['#12 督办函', { sub: 'issue', item: '#12', level: 'letter' }],
    ['＃12  提示单', { sub: 'issue', item: '＃12', level: 'notice' }],
    ['t-edb-iva-growth supervision', { sub: 'issue', item: 't-edb-iva-growth', level: 'supervision' }],
    ['#12 Supervision letter', { sub: 'issue', item: '#12', level: 'letter' }],
    ['#12 督办函 快', { sub: 'issue', item: '#12', badLevel: '督办函 快' }],
    ['#12 加急单', { sub: 'issue', item: '#12', badLevel: '加急单' }],
  ])('reads %j', (text, expected) => {
    expect(parseDocument(text)).toEqual(expected);
  });

  it('is reached from /duban in Chinese and English', () => {
    expect(parseDuban('督办单 #3 督办单')).toEqual({
      sub: 'document',
      args: { sub: 'issue', item: '#3', level: 'supervision' },
    });
    expect(parseDuban('document template')).toEqual({ sub: 'document', args: { sub: 'templates' } });
  });
});

describe('levelOfWord', () => {
  it.each([
    ['提示单', 'notice'],
    ['督办单', 'supervision'],
    ['督办函', 'letter'],
    ['notice', 'notice'],
    ['LETTER', 'letter'],
    ['督办', undefined],
    ['constructor', undefined],
  ])('%s → %s', (word, level) => {
    expect(levelOfWord(word)).toBe(level);
  });
});

describe('parsePreviewValue', () => {
  it.each([
    ['{"p":"ab","l":"letter","d":"hurdb","i":["x"]}', { p: 'ab', l: 'letter', d: 'hurdb', i: ['x'] }],
    ['{"p":"ab","l":"urgent","d":"hurdb","i":["x"]}', undefined],
    ['{"p":"ab","l":"notice","d":"hurdb","i":[1]}', undefined],
    ['not json', undefined],
    ['null', undefined],
  ])('reads %s', (value, expected) => {
    expect(parsePreviewValue(value)).toEqual(expected);
  });
});
