import { describe, expect, it } from 'vitest';
import { formatTally, grade, loadCorpus, tally } from '../../support/reading-corpus.ts';

const corpus = loadCorpus();

describe('the corpus of real progress reports', () => {
  it('holds at least 150 sentences from at least 40 public sources', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(new Set(corpus.map((c) => c.source)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
  });

  describe.each([
    ['with a prior value for the item', true],
    ['with nothing recorded for the item yet', false],
  ])('read %s', (label, withPrior) => {
    const graded = corpus.map((c) => grade(c, withPrior));
    const t = tally(graded);

    it('never records a wrong figure or state without asking', () => {
      console.log(formatTally(label, t));
      const short = graded
        .filter((g) => g.outcome !== 'right' && g.outcome !== 'asked')
        .map((g) => `${g.c.id} ${g.outcome}`);
      console.log(`  short of the bar: ${short.join(', ')}`);
      const wrong = graded
        .filter((g) => g.outcome === 'wrong')
        .map((g) => `${g.c.id} ${g.c.text}\n   want ${g.want}, got ${JSON.stringify(g.got)}`);
      expect(wrong).toEqual([]);
    });

    // A ratchet at the figures reached (docs/benchmarks.md): the bar is 85% right with the rest asked
    // with the right option first; the readings short of it are listed by the test's output.
    it(`reads at least ${withPrior ? 95 : 98}% right`, () => {
      expect(t.right / t.total).toBeGreaterThanOrEqual(withPrior ? 0.95 : 0.98);
    });

    it('leaves no reading short of the bar (asked with the right option later or not at all, or a note where a figure was meant)', () => {
      expect(t['asked-not-first'] + t['asked-wrong'] + t.unparsed).toBe(0);
    });
  });
});
