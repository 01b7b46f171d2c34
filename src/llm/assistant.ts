/**
 * The model-backed assistant: asks an OpenAI-compatible model when an admin has turned it on for the
 * department (or zone-wide), and answers by rules whenever it cannot — turned off, circuit open, too
 * busy, slow, failing, or an answer that does not validate. Nothing here is on an acknowledgement
 * path: callers either do not wait (summaries of logged updates) or wait on a request Slack has
 * already acknowledged.
 *
 * Bounded everywhere: per-request timeout and retries (config), an overall deadline, at most
 * `maxConcurrent` calls in flight and `maxQueue` waiting (beyond that the call is dropped, not
 * queued), a circuit breaker, an LRU cache of validated answers keyed by content hash, and identical
 * requests in flight shared. Token usage is logged per call and totalled for the status view; the
 * text sent or received is never logged.
 */

import { LONG_NOTE, rulesAssistant } from '../../commands/llm-digest.ts';
import type { Assistant, AssistantStatus, NoteReading, RoutedIntent } from '../../commands/llm-port.ts';
import type { LlmConfig } from '../config.ts';
import { MACHINE_SUMMARY_MAX } from '../domain/journal.ts';
import { own } from '../domain/lookup.ts';
import type { WritePort } from '../domain/ports.ts';
import type { Item, Update } from '../domain/schema.ts';
import { detectLocale, type Locale, pick } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import { type Breaker, createBreaker } from './breaker.ts';
import { contentHash, createLru } from './cache.ts';
import { claimCheckTask, evidenceForModel, readClaimAnswer } from './claim-task.ts';
import { type ChatClient, ChatError, classify } from './openai-client.ts';
import { createPseudonymiser } from './privacy.ts';
import { cleanList, cleanModelText } from './sanitise.ts';
import {
  digestTask,
  intakeTask,
  jsonSchemaOf,
  narrativeTask,
  noteReadingTask,
  routeTask,
  type Task,
  updateSummaryTask,
} from './tasks.ts';

export type ModelAssistantDeps = {
  config: LlmConfig;
  chat: ChatClient;
  store: Pick<WritePort, 'model' | 'transact'>;
  clock: () => Date;
  logger: Logger;
  /** The language of stored summaries when a note's own cannot be told. */
  defaultLocale: Locale;
  breaker?: { threshold?: number; cooldownMs?: number };
  maxConcurrent?: number;
  maxQueue?: number;
  cacheSize?: number;
  /**
   * Summaries are written together, at most this often (ms): every write is a new revision of the
   * store, which the next request evaluates again, so fewer writes keep the app responsive.
   */
  summaryFlushMs?: number;
};

export type ModelAssistant = Assistant & {
  /** Resolves once every background summary started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
};

const DIGEST_MAX = 600;
const NARRATIVE_PART_MAX = 300;
const KEYWORD_MAX = 20;

/** Reads a JSON object from a model's answer, tolerating a Markdown code fence around it. */
function parseJsonObject(content: string): unknown {
  const text = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new ChatError('malformed', 'the answer was not JSON');
  }
}

export function createModelAssistant(deps: ModelAssistantDeps): ModelAssistant {
  const { config, chat, store, clock, logger } = deps;
  const breaker: Breaker = createBreaker(clock, deps.breaker);
  const cache = createLru<unknown>(deps.cacheSize ?? 500);
  const inFlight = new Map<string, Promise<unknown>>();
  const maxConcurrent = deps.maxConcurrent ?? 4;
  const maxQueue = deps.maxQueue ?? 50;
  const waiting: Array<() => void> = [];
  let active = 0;
  const background = new Set<Promise<void>>();
  const summaryFlushMs = deps.summaryFlushMs ?? 2_000;
  let pendingSummaries: Array<{
    itemId: string;
    updateId: string;
    summary: string;
    model: string;
    generation: number;
  }> = [];
  // Which text of each update a summary may still be stored for: an edit (or a text too short to
  // summarise) makes any summary of an earlier text, in flight or queued, out of date.
  const current = new Map<string, number>();
  let generations = 0;
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function flushSummaries(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = pendingSummaries;
    pendingSummaries = [];
    if (batch.length === 0) return flushing;
    flushing = flushing
      .then(() =>
        store.transact((tx) => {
          const at = clock().toISOString();
          for (const { generation, ...s } of batch) {
            if (current.get(s.updateId) !== generation) continue;
            current.delete(s.updateId);
            // The item may have been removed by an import meanwhile; its summary is then simply dropped.
            const exists = [tx.state.targets, tx.state.projects, tx.state.commitments].some((list) =>
              list.some((i) => i.id === s.itemId),
            );
            if (exists && own(tx.state.progress, s.itemId))
              tx.append({ type: 'update.summary', at, by: 'duban', ...s });
          }
        }),
      )
      .then(
        () => undefined,
        (e: unknown) =>
          logger.warn(
            { err: (e as Error).message, summaries: batch.length },
            'llm: could not store summaries of updates',
          ),
      );
    return flushing;
  }

  function queueSummary(s: (typeof pendingSummaries)[number]): void {
    pendingSummaries.push(s);
    if (!flushTimer) {
      flushTimer = setTimeout(() => void flushSummaries(), summaryFlushMs);
      flushTimer.unref();
    }
  }
  const totals = { calls: 0, cacheHits: 0, failures: 0, promptTokens: 0, completionTokens: 0 };
  let lastError: string | undefined;
  const host = (() => {
    try {
      return new URL(config.baseURL).host;
    } catch {
      return '?';
    }
  })();
  const deadlineMs = config.timeoutMs * (config.maxRetries + 1) + 2_000;

  function enabled(departmentId?: string): boolean {
    const switches = store.model().db.llm;
    return departmentId ? (own(switches.departments, departmentId) ?? switches.enabled) : switches.enabled;
  }

  /** Frees a slot, or hands it straight to the longest waiting call. */
  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  }

  /** A slot among the calls in flight, or undefined when too many are already waiting. */
  async function slot(): Promise<(() => void) | undefined> {
    if (active < maxConcurrent) {
      active += 1;
      return release;
    }
    if (waiting.length >= maxQueue) return undefined;
    await new Promise<void>((resolve) => waiting.push(resolve));
    return release;
  }

  async function call<T>(task: Task<T>): Promise<T | undefined> {
    const release = await slot();
    if (!release) {
      logger.warn({ task: task.name }, 'llm: too many requests waiting; answered by rules');
      return undefined;
    }
    try {
      if (!breaker.tryAcquire()) return undefined;
      const started = performance.now();
      totals.calls += 1;
      try {
        const schema = jsonSchemaOf(task.schema);
        const result = await chat.complete({
          task: task.name,
          system: `${task.system}\nJSON Schema of the answer: ${JSON.stringify(schema)}`,
          user: task.user,
          jsonSchema: schema,
          maxTokens: task.maxTokens,
          signal: AbortSignal.timeout(deadlineMs),
        });
        const parsed = task.schema.safeParse(parseJsonObject(result.content));
        if (!parsed.success) throw new ChatError('invalid', 'the answer did not match the schema');
        breaker.success();
        const usage = result.usage;
        if (usage) {
          totals.promptTokens += usage.promptTokens;
          totals.completionTokens += usage.completionTokens;
        }
        logger.info(
          {
            task: task.name,
            model: config.model,
            ms: Math.round(performance.now() - started),
            promptTokens: usage?.promptTokens,
            completionTokens: usage?.completionTokens,
            totalTokens: usage?.totalTokens,
          },
          'llm call',
        );
        return parsed.data;
      } catch (e) {
        const error = classify(e);
        breaker.failure();
        totals.failures += 1;
        lastError = `${error.kind}${error.status ? ` ${error.status}` : ''} (${task.name})`;
        const status = breaker.status();
        logger.warn(
          {
            task: task.name,
            model: config.model,
            kind: error.kind,
            status: error.status,
            ms: Math.round(performance.now() - started),
            breaker: status.state,
          },
          'llm call failed; answered by rules',
        );
        return undefined;
      }
    } finally {
      release();
    }
  }

  /** Asks the model (once per identical request), or resolves undefined when rules must answer. */
  async function ask<T>(task: Task<T>, departmentId?: string): Promise<T | undefined> {
    if (!enabled(departmentId)) return undefined;
    const key = contentHash([config.model, task.name, task.system, task.user]);
    const hit = cache.get(key);
    if (hit !== undefined) {
      totals.cacheHits += 1;
      return hit as T;
    }
    const pending = inFlight.get(key);
    if (pending) return pending as Promise<T | undefined>;
    const p = call(task).then((answer) => {
      if (answer !== undefined) cache.set(key, answer);
      return answer;
    });
    inFlight.set(key, p);
    try {
      return await p;
    } finally {
      inFlight.delete(key);
    }
  }

  const assistant: ModelAssistant = {
    enabled: (departmentId) => enabled(departmentId),

    async summariseUpdate(req) {
      const pseudo = createPseudonymiser(req.locale);
      const answer = await ask(
        updateSummaryTask({ item: req.itemName, note: pseudo(req.note), locale: req.locale }),
        req.departmentId,
      );
      const text = cleanModelText(answer?.summary, MACHINE_SUMMARY_MAX);
      return text ? { by: 'model', model: config.model, text } : undefined;
    },

    async readNote(req): Promise<NoteReading> {
      const pseudo = createPseudonymiser(req.locale);
      const answer = await ask(
        noteReadingTask({ note: pseudo(req.note), locale: req.locale, item: req.item }),
        req.departmentId,
      );
      if (!answer?.confident) return rulesAssistant.readNote(req);
      const reading: NoteReading = {
        by: 'model',
        model: config.model,
        found: false,
        blockers: cleanList(answer.blockers, 3, 80),
        evidence: cleanList(answer.evidence, 3, 60),
      };
      if (req.item.kind === 'target' && answer.value !== null && Number.isFinite(answer.value))
        reading.figure = { mode: answer.figure_mode ?? 'absolute', value: answer.value };
      if (req.item.kind !== 'target' && answer.percent !== null && answer.percent >= 0 && answer.percent <= 100)
        reading.percent = answer.percent;
      if (req.item.kind !== 'target' && answer.state !== null) reading.state = answer.state;
      if (answer.milestone_id !== null && req.item.milestones.some((m) => m.id === answer.milestone_id))
        reading.milestoneId = answer.milestone_id;
      reading.found =
        reading.figure !== undefined ||
        reading.percent !== undefined ||
        reading.state !== undefined ||
        reading.milestoneId !== undefined;
      return reading;
    },

    async summarise(req) {
      const pseudo = createPseudonymiser(req.locale);
      const facts = {
        scope: req.scope,
        counts: req.counts,
        behind: req.behind,
        reports: req.updates.map((u) => ({ ...u, text: pseudo(u.text) })),
      };
      const answer = await ask(digestTask({ locale: req.locale, facts }), req.departmentId);
      const text = cleanModelText(answer?.summary, DIGEST_MAX);
      return text ? { by: 'model', model: config.model, text } : rulesAssistant.summarise(req);
    },

    async narrate(req) {
      const answer = await ask(narrativeTask({ locale: req.locale, facts: req }));
      const parts = {
        moved: cleanModelText(answer?.moved, NARRATIVE_PART_MAX),
        stuck: cleanModelText(answer?.stuck, NARRATIVE_PART_MAX),
        attention: cleanModelText(answer?.attention, NARRATIVE_PART_MAX),
      };
      return parts.moved && parts.stuck && parts.attention
        ? { by: 'model', model: config.model, ...parts }
        : rulesAssistant.narrate(req);
    },

    async draftIntake(req) {
      const pseudo = createPseudonymiser(deps.defaultLocale);
      const answer = await ask(intakeTask({ ...req, text: pseudo(req.text) }));
      // Quotes are checked against the text as written (commands/intake.ts): masked words never match.
      return answer ? { model: config.model, drafts: answer.drafts } : undefined;
    },

    async route(req) {
      const pseudo = createPseudonymiser(req.locale);
      const answer = await ask(
        routeTask({ question: pseudo(req.question), locale: req.locale, departments: req.departments }),
      );
      if (!answer) return rulesAssistant.route(req);
      let intent: RoutedIntent = { kind: 'unknown' };
      switch (answer.intent) {
        case 'help':
        case 'behind':
        case 'overview':
        case 'targets':
        case 'projects':
          intent = { kind: answer.intent };
          break;
        case 'department':
          if (answer.department_id)
            intent = { kind: 'department', departmentId: answer.department_id, focus: answer.focus ?? 'all' };
          break;
        case 'search': {
          const keyword = cleanModelText(answer.keyword, 60);
          if (keyword && keyword.length <= KEYWORD_MAX) intent = { kind: 'search', keyword };
          break;
        }
        case 'unknown':
          break;
      }
      return { by: 'model', model: config.model, intent };
    },

    async checkClaim(req) {
      const pseudo = createPseudonymiser(req.locale);
      const evidence = req.evidence.map((e) => evidenceForModel(e, pseudo));
      const task = claimCheckTask({ locale: req.locale, item: req.item, claim: pseudo(req.claim), evidence });
      const answer = await ask(task, req.departmentId);
      return answer ? readClaimAnswer(answer, req.claim, config.model) : undefined;
    },

    updateLogged(update: Update, item: Item) {
      const note = update.note;
      const generation = ++generations;
      try {
        if (!note || note.length < LONG_NOTE || !enabled(item.departmentId)) {
          current.delete(update.id);
          return;
        }
      } catch (e) {
        // Never let the optional part disturb a report that is already stored.
        current.delete(update.id);
        logger.warn(
          { err: (e as Error).message, updateId: update.id },
          'llm: could not decide whether to summarise an update',
        );
        return;
      }
      current.set(update.id, generation);
      const locale = detectLocale(note) ?? deps.defaultLocale;
      const work = (async () => {
        const summary = await assistant.summariseUpdate({
          departmentId: item.departmentId,
          itemName: pick(item.name, locale),
          note,
          locale,
        });
        if (summary?.by !== 'model' || current.get(update.id) !== generation) {
          if (current.get(update.id) === generation) current.delete(update.id);
          return;
        }
        queueSummary({ itemId: item.id, updateId: update.id, summary: summary.text, model: summary.model, generation });
      })()
        .catch((e: unknown) => {
          if (current.get(update.id) === generation) current.delete(update.id);
          logger.warn(
            { err: (e as Error).message, updateId: update.id },
            'llm: could not store the summary of an update',
          );
        })
        .finally(() => background.delete(work));
      background.add(work);
    },

    status(): AssistantStatus {
      const b = breaker.status();
      return {
        configured: true,
        model: config.model,
        host,
        breaker: {
          state: b.state,
          failures: b.failures,
          ...(b.openUntil ? { openUntil: b.openUntil.toISOString() } : {}),
        },
        ...totals,
        ...(lastError ? { lastError } : {}),
      };
    },

    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
      await flushSummaries();
    },
  };
  return assistant;
}
