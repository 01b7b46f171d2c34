import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createAssistant, rulesAssistant } from '../../src/llm/index.ts';
import { createLogger } from '../../src/log.ts';
import { seedModel } from '../support/seed-model.ts';

const logger = createLogger('silent');

describe('choosing the assistant from configuration', () => {
  it('is the rules alone when OPENAI_MODEL is not set', async () => {
    const model = await seedModel();
    const store = { model: () => model, transact: () => Promise.reject(new Error('no writes expected')) };
    const assistant = createAssistant(loadConfig({}).llm, {
      store,
      clock: () => new Date(0),
      logger,
      defaultLocale: 'zh-CN',
    });
    expect(assistant).toBe(rulesAssistant);
    expect(assistant.enabled()).toBe(false);
    expect(assistant.status()).toMatchObject({ configured: false, calls: 0 });
  });

  it('is the model-backed one when it is, still off until an admin turns it on', async () => {
    const model = await seedModel();
    const store = { model: () => model, transact: () => Promise.reject(new Error('no writes expected')) };
    const config = loadConfig({ OPENAI_MODEL: 'qwen2.5:14b', OPENAI_BASE_URL: 'http://10.0.0.5:11434/v1' }).llm;
    const assistant = createAssistant(config, { store, clock: () => new Date(0), logger, defaultLocale: 'zh-CN' });
    expect(assistant).not.toBe(rulesAssistant);
    expect(assistant.status()).toMatchObject({
      configured: true,
      model: 'qwen2.5:14b',
      host: '10.0.0.5:11434',
      breaker: { state: 'closed' },
    });
    expect(assistant.enabled()).toBe(false);
    expect(assistant.enabled('hurdb')).toBe(false);
    // Off: rules answer, and nothing is sent anywhere.
    expect((await assistant.route({ question: '随便问问', locale: 'zh-CN', departments: [] })).by).toBe('rules');
  });
});
