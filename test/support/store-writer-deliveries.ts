/** The Slack deliveries of test/support/store-writer.ts's reports, shared with the kill -9 test that checks them. */
import { SEEN_EVENT_MS } from '../../src/domain/delivery.ts';

/** The writer's clock, this long after its first report: the event ids of the first 30 reports expire as they are noted. */
export const WRITER_CLOCK_AFTER_START_MS = SEEN_EVENT_MS + 30_000;

export const writerMessage = (i: number) => ({ channel: 'C0WRITER', ts: `${1_800_000_000 + i}.000100` });
export const writerEventId = (i: number) => `EvW${i}`;
