/**
 * The store as the core sees it: transactions that append journal events. The lowdb store in
 * src/store implements it; the console and tests can use the same store in memory.
 */
import type { JournalEvent, JournalEventInput } from './journal.ts';
import type { ReadModel } from './read-model.ts';
import type { StoreState } from './state.ts';

/** The delivery bookkeeping of the store (src/domain/delivery.ts), changed apart from the journal. */
export type BookkeepingKey = 'seen' | 'threads' | 'choices' | 'runs' | 'deliveries';

export type TxPort = {
  readonly state: StoreState;
  replace(next: StoreState): void;
  append(event: JournalEventInput, itemHistory?: readonly JournalEvent[]): JournalEvent;
  bookkeep(change: (state: StoreState) => Partial<Pick<StoreState, BookkeepingKey>>): void;
  itemHistory(itemId?: string): Promise<JournalEvent[]>;
};

export type WritePort = {
  model(): ReadModel;
  transact<T>(fn: (tx: TxPort) => T | Promise<T>): Promise<{ result: T; model: ReadModel; events: JournalEvent[] }>;
  history(filter?: { itemId?: string }): Promise<JournalEvent[]>;
  /**
   * Notes bookkeeping (what a posted thread is about) without waiting for the disk: it is visible at
   * once and written within a second, or with the next transaction.
   */
  remember(change: (state: StoreState) => Partial<Pick<StoreState, BookkeepingKey>>): void;
};
