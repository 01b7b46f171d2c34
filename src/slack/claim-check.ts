/**
 * 销号 with evidence, with the optional model on: once the review request is posted (nothing waits for
 * this), asks the model whether the claim is borne out by its evidence and, when it doubts it, updates
 * the posted request with its reading. Off, slow, failing, an open circuit or an invalid answer: the
 * request stays as posted, and that is logged. A request decided meanwhile is left as it now reads.
 */
import type { webApi } from '@slack/bolt';
import { claimCheckRequest, withModelReading } from '../../commands/claim-check.ts';
import { reviewRequestReply } from '../../commands/review.ts';
import type { Evidence, MessageRef } from '../domain/schema.ts';
import { renderMessage } from './blocks.ts';
import type { ListenerDeps } from './context.ts';

export async function addModelReading(
  client: webApi.WebClient,
  deps: ListenerDeps,
  reviewId: string,
  note: string | undefined,
  evidence: readonly Evidence[],
  posted: readonly MessageRef[],
): Promise<void> {
  const assistant = deps.assistant;
  if (!assistant?.checkClaim || posted.length === 0) return;
  const ctx = deps.readContext(undefined, deps.defaultLocale);
  const review = ctx.model.db.reviews.find((r) => r.id === reviewId);
  const request = review && claimCheckRequest(review, ctx, note, evidence);
  if (!request || !assistant.enabled(request.departmentId)) return;
  const check = await assistant.checkClaim(request);
  if (!check) {
    deps.logger.info({ reviewId }, 'llm: no reading of the claim; the review request stays as posted');
    return;
  }
  // Written for the office as it stands now: decided meanwhile, the message already says so.
  const now = deps.readContext(undefined, deps.defaultLocale);
  const pending = now.model.db.reviews.find((r) => r.id === reviewId);
  const reply = pending && withModelReading(reviewRequestReply(pending, now, note, evidence), check, now);
  if (!reply) return;
  const message = renderMessage(reply, deps.defaultLocale);
  for (const ref of posted) {
    await client.chat.update({ channel: ref.channel, ts: ref.ts, ...message }).catch((err: unknown) => {
      deps.logger.warn(
        { err: (err as Error).message, reviewId, message: `${ref.channel}:${ref.ts}` },
        'llm: could not add the model reading to the review request',
      );
    });
  }
}
