/** The side effects a command asks for: opening the progress form, sending a claim of done for review. */
import type { webApi } from '@slack/bolt';
import type { Effect } from '../../commands/index.ts';
import { reviewDestinations, reviewRequestReply } from '../../commands/review.ts';
import type { Locale } from '../i18n/index.ts';
import type { ListenerDeps } from './context.ts';
import { deliver } from './deliver.ts';
import { departmentOptions, progressForm } from './forms.ts';

export async function performEffects(
  client: webApi.WebClient,
  deps: ListenerDeps,
  effects: readonly Effect[],
  request: { userId: string; locale: Locale; triggerId?: string },
): Promise<void> {
  for (const effect of effects) {
    if (effect.type === 'open_form') {
      if (!request.triggerId) continue;
      const model = deps.store.model();
      const isAdmin = await deps.admins.isAdmin(request.userId);
      await client.views.open({ trigger_id: request.triggerId, view: progressForm(model, request.locale, effect.itemId, departmentOptions(model, request.userId, isAdmin, request.locale)) });
    } else if (effect.type === 'request_review') {
      const model = deps.store.model();
      const review = model.db.reviews.find((r) => r.id === effect.reviewId);
      if (!review) continue;
      // Review requests are written for the office, in the office's default language.
      const ctx = deps.readContext(undefined, deps.defaultLocale);
      const reply = reviewRequestReply(review, ctx, effect.note);
      const destinations = reviewDestinations(ctx, await deps.admins.all());
      if (destinations.length === 0) {
        deps.logger.warn({ reviewId: review.id }, 'no supervision channel or admin to send the review request to; set one with /duban review-channel');
      }
      for (const channel of destinations) {
        try {
          await deliver(client, deps, reply, deps.defaultLocale, { channel });
        } catch (e) {
          deps.logger.error({ err: e, reviewId: review.id, channel }, 'could not deliver the review request');
        }
      }
    }
  }
}
