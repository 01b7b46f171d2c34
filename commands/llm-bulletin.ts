/**
 * The narrative of the progress bulletin (通报): what moved, what is stuck, what needs a leader's
 * attention. The bulletin's own figures and lists stay as they are (src/domain/bulletin.ts); this is
 * the few sentences above them, written by the model when it is on zone-wide and by rules otherwise,
 * and always labelled with who wrote it.
 *
 *   const narrative = await bulletinNarrative(bulletin, { model, locale, assistant });
 *   blocks.push(...narrativeBlocks(narrative, locale));
 */
import type { Bulletin } from '../src/domain/bulletin.ts';
import type { ReadModel } from '../src/domain/read-model.ts';
import { type Locale, messages } from '../src/i18n/index.ts';
import { narrativeRequest, rulesAssistant } from './llm-digest.ts';
import type { Assistant, Narrative } from './llm-port.ts';
import { joinMd, md, type ReplyBlock } from './reply.ts';
import { authorLabel } from './summary.ts';

export type NarrativeOptions = { model: ReadModel; locale: Locale; assistant?: Assistant };

/** Never throws and never waits longer than the model's bounded timeout; falls back to rules. */
export async function bulletinNarrative(bulletin: Bulletin, options: NarrativeOptions): Promise<Narrative> {
  const request = narrativeRequest(bulletin, options.model, options.locale);
  try {
    return await (options.assistant ?? rulesAssistant).narrate(request);
  } catch {
    return rulesAssistant.narrate(request);
  }
}

/** The narrative as reply blocks: three short lines and who wrote them. All text is escaped. */
export function narrativeBlocks(narrative: Narrative, locale: Locale): ReplyBlock[] {
  return [
    {
      type: 'section',
      text: joinMd([md`📈 ${narrative.moved}`, md`⏳ ${narrative.stuck}`, md`🧭 ${narrative.attention}`]),
    },
    { type: 'context', elements: [authorLabel(narrative, locale)] },
  ];
}

/** The narrative as plain text (for a spreadsheet or Markdown export), with who wrote it. */
export function narrativeText(narrative: Narrative, locale: Locale): string {
  const m = messages(locale).llm;
  return [
    narrative.moved,
    narrative.stuck,
    narrative.attention,
    narrative.by === 'model' ? m.machineLabel(narrative.model) : m.rulesLabel,
  ].join('\n');
}
