/**
 * The side effects a command asks for: opening the progress form, sending a claim of done for review,
 * letting the model propose figures read from a note.
 */
import type { webApi } from '@slack/bolt';
import type { Effect } from '../../commands/index.ts';
import { proposeFromNote } from '../../commands/llm-read.ts';
import { reviewDestinations, reviewRequestReply } from '../../commands/review.ts';
import type { MessageRef } from '../domain/schema.ts';
import type { Locale } from '../i18n/index.ts';
import { addModelReading } from './claim-check.ts';
import type { ListenerDeps } from './context.ts';
import { type Destination, deliver } from './deliver.ts';
import { departmentOptions, progressForm } from './forms.ts';
import { openAssignForm } from './listeners/assign.ts';
import { performDocumentEffect } from './listeners/documents.ts';
import { postExtensionRequest } from './listeners/extension.ts';
import { sendExport } from './listeners/files.ts';

export async function performEffects(
  client: webApi.WebClient,
  deps: ListenerDeps,
  effects: readonly Effect[],
  /** `answeredAt`: where the command's own answer went; a proposal follows it (in its thread, or to the asker alone). */
  request: { userId: string; locale: Locale; triggerId?: string; answeredAt?: Destination },
): Promise<void> {
  for (const effect of effects) {
    if (effect.type === 'open_form') {
      if (!request.triggerId) continue;
      const model = deps.store.model();
      const isAdmin = await deps.admins.isAdmin(request.userId);
      await client.views.open({
        trigger_id: request.triggerId,
        view: progressForm(
          model,
          request.locale,
          effect.itemId,
          departmentOptions(model, request.userId, isAdmin, request.locale),
        ),
      });
    } else if (effect.type === 'open_assign_form') {
      if (request.triggerId)
        await openAssignForm(client, await deps.context(request.userId, request.locale), request.triggerId);
    } else if (effect.type === 'request_review') {
      const model = deps.store.model();
      const review = model.db.reviews.find((r) => r.id === effect.reviewId);
      if (!review) continue;
      // Review requests are written for the office, in the office's default language.
      const ctx = deps.readContext(undefined, deps.defaultLocale);
      const reply = reviewRequestReply(review, ctx, effect.note, effect.evidence);
      const destinations = reviewDestinations(ctx, await deps.admins.all());
      if (destinations.length === 0) {
        deps.logger.warn(
          { reviewId: review.id },
          'no supervision channel or admin to send the review request to; set one with /duban review-channel',
        );
      }
      const posted: MessageRef[] = [];
      for (const channel of destinations) {
        try {
          const ref = await deliver(client, deps, reply, deps.defaultLocale, { channel });
          if (ref) posted.push(ref);
        } catch (e) {
          deps.logger.error({ err: e, reviewId: review.id, channel }, 'could not deliver the review request');
        }
      }
      // The request is out; the model's reading of the claim, if any, is added to it later.
      void addModelReading(client, deps, review.id, effect.note, effect.evidence ?? [], posted).catch((err: unknown) =>
        deps.logger.warn({ err: (err as Error).message, reviewId: review.id }, 'llm: could not read the claim'),
      );
    } else if (effect.type === 'request_extension') {
      await postExtensionRequest(client, deps, effect.requestId);
    } else if (effect.type === 'confirm') {
      const m = effect.message;
      await client.reactions
        .add({ channel: m.channel, timestamp: m.ts, name: 'white_check_mark' })
        .catch((err: unknown) => {
          deps.logger.warn(
            { err: (err as Error).message, message: `${m.channel}:${m.ts}` },
            'could not add the ✅ reaction',
          );
        });
    } else if (effect.type === 'send_export') {
      // Building a workbook takes real CPU: this runs after the command was acknowledged, like every answer.
      await sendExport(
        client,
        deps,
        effect.request,
        request.userId,
        request.locale,
        request.answeredAt ?? { channel: request.userId, userId: request.userId },
      );
    } else if (effect.type === 'document_preview' || effect.type === 'document_templates') {
      await performDocumentEffect(client, deps, effect, request);
    } else if (effect.type === 'propose_figures') {
      const where = request.answeredAt;
      if (!where) continue;
      const ctx = await deps.context(request.userId, request.locale);
      const item = effect.logged.after.item.id;
      // The model may take seconds: the answer is out already and nothing waits for this.
      void proposeFromNote(effect.logged, ctx)
        .then((proposal) =>
          proposal
            ? deliver(
                client,
                deps,
                where.threadTs ? proposal : { ...proposal, visibility: 'ephemeral' },
                request.locale,
                where,
              )
            : undefined,
        )
        .catch((err: unknown) =>
          deps.logger.warn({ err: (err as Error).message, item }, 'llm: could not propose figures for a note'),
        );
    }
  }
}
