/** The moment the bundled sample zone is read at in tests: the day after its last report. */
export const SEED_NOW = new Date('2026-11-28T10:00:00+08:00');
