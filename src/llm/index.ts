/**
 * The optional model, assembled: with OPENAI_MODEL configured, the model-backed assistant (still off
 * until an admin turns it on); without, the rules alone. src/main.ts calls this; nothing else needs to
 * know which one it got.
 */

import { rulesAssistant } from '../../commands/llm-digest.ts';
import type { Assistant } from '../../commands/llm-port.ts';
import type { LlmConfig } from '../config.ts';
import type { WritePort } from '../domain/ports.ts';
import type { Locale } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import { createModelAssistant, type ModelAssistant } from './assistant.ts';
import { type ChatClient, createOpenAiChat } from './openai-client.ts';

export type AssistantDeps = {
  store: Pick<WritePort, 'model' | 'transact'>;
  clock: () => Date;
  logger: Logger;
  defaultLocale: Locale;
  /** Replaces the OpenAI SDK client (tests of the assistant's own logic). */
  chat?: ChatClient;
};

export function createAssistant(config: LlmConfig | undefined, deps: AssistantDeps): Assistant | ModelAssistant {
  if (!config) return rulesAssistant;
  return createModelAssistant({
    config,
    chat: deps.chat ?? createOpenAiChat(config),
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    defaultLocale: deps.defaultLocale,
  });
}

export type { Assistant, ModelAssistant };
export { rulesAssistant };
