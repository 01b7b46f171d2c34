/**
 * A chart that goes with a message duban posted: the bulletin's ranking chart in the thread of the
 * bulletin (its preview to the office and the post published on approval). Each upload is recorded in
 * the delivery bookkeeping like the message it belongs with — sending, then sent or failed — under a
 * key of its own, so a retried run, a restart or a second approval never uploads it twice; and a chart
 * that fails never holds up or repeats the text: it is logged, and the run's next attempt tries again.
 */
import { failedOutcome, RUN_OUTCOME } from '../../commands/schedule.ts';
import type { ChartImage, ChartPort, ChartSpec } from '../charts/port.ts';
import { own } from '../domain/lookup.ts';
import type { WritePort } from '../domain/ports.ts';
import type { Logger } from '../log.ts';
import type { OutFile } from '../slack/upload.ts';

export type ChartUpload = (
  channel: string,
  file: OutFile,
  options: { threadTs?: string; comment?: string },
) => Promise<void>;

export type ChartPostDeps = {
  store: WritePort;
  clock: () => Date;
  logger: Logger;
  /** Without a renderer or a way to upload (the console), no chart is posted. */
  charts?: ChartPort | undefined;
  upload?: ChartUpload | undefined;
};

/** The key of the chart that goes with the message delivered under `messageKey`, in one channel. */
export const chartKey = (messageKey: string, channel: string): string => `chart:${messageKey}:${channel}`;

export function chartFile(image: ChartImage): OutFile {
  return { bytes: image.png, filename: image.filename, title: image.title, altText: image.alt };
}

function errorText(e: unknown): string {
  const code = (e as { data?: { error?: string } }).data?.error ?? (e as { code?: string }).code;
  return (code ?? (e as Error).message ?? String(e)).slice(0, 200);
}

/**
 * Marks `key` as being sent unless it was sent, or is being sent, already (a failed one may be tried
 * again); answers whether this caller is the one to send it.
 */
export async function claimDelivery(store: WritePort, key: string, at: string): Promise<boolean> {
  const { result } = await store.transact((tx) => {
    const previous = own(tx.state.deliveries, key);
    if (previous && previous.status !== 'failed') return false;
    tx.bookkeep((s) => ({ deliveries: { ...s.deliveries, [key]: { status: 'sending', at } } }));
    return true;
  });
  return result;
}

export async function settleDelivery(
  store: WritePort,
  key: string,
  at: string,
  outcome: { channel?: string; ts?: string } | { error: string },
): Promise<void> {
  const record =
    'error' in outcome
      ? { status: 'failed' as const, at, error: outcome.error.slice(0, 300) }
      : { status: 'sent' as const, at, ...outcome };
  await store.transact((tx) => tx.bookkeep((s) => ({ deliveries: { ...s.deliveries, [key]: record } })));
}

/**
 * Draws the chart and shares it in the thread of `message`, once. Answers the run's outcome for it
 * (sent, already sent, or failed with why), or undefined when there is no chart to post.
 */
export async function postChartOnce(
  deps: ChartPostDeps,
  key: string,
  message: { channel: string; ts: string },
  spec: () => ChartSpec | undefined,
  comment?: (title: string) => string,
): Promise<string | undefined> {
  if (!deps.charts || !deps.upload) return undefined;
  const at = () => deps.clock().toISOString();
  if (!(await claimDelivery(deps.store, key, at()))) return RUN_OUTCOME.alreadySent;
  try {
    const drawn = spec();
    if (!drawn) {
      await settleDelivery(deps.store, key, at(), {});
      return RUN_OUTCOME.nobody;
    }
    const image = await deps.charts.render(drawn);
    await deps.upload(message.channel, chartFile(image), {
      threadTs: message.ts,
      ...(comment ? { comment: comment(image.title) } : {}),
    });
  } catch (e) {
    // The message it goes with is out already: the chart is logged and left for the next attempt.
    const error = errorText(e);
    deps.logger.error({ key, error }, 'a chart could not be posted with its message');
    await settleDelivery(deps.store, key, at(), { error });
    return failedOutcome(error);
  }
  await settleDelivery(deps.store, key, at(), { channel: message.channel, ts: message.ts });
  return RUN_OUTCOME.sent;
}
