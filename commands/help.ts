/** Usage help: the overview for /duban help and @duban help, and each command's own. */
import { type Locale, messages } from '../src/i18n/index.ts';
import { type Reply, type ReplyBlock, trusted } from './reply.ts';

export type HelpTopic = 'all' | 'targets' | 'projects' | 'duban' | 'progress';

export function helpReply(topic: HelpTopic, locale: Locale): Reply {
  const h = messages(locale).help;
  const { progress, admin, scoring, extension, documents, intake } = messages(locale);
  // The 督办 cycle, in the order an office runs it: 交办, intake, the reminders, 延期, 督办单, 评价.
  const cycle = [h.assign, intake.help, h.cycle, extension.help, documents.help, scoring.help];
  const sections: Record<Exclude<HelpTopic, 'all'>, string[]> = {
    targets: [h.targets, h.statuses],
    projects: [h.projects, h.statuses],
    duban: [h.status, h.behind, h.mention, admin.help, ...cycle],
    progress: [progress.help],
  };
  const title = topic === 'all' ? h.title : h.commandTitle(topic === 'duban' ? '/duban' : `/${topic}`);
  const body =
    topic === 'all'
      ? [h.intro, h.targets, h.projects, h.status, h.behind, h.mention, progress.help, h.statuses, admin.help, ...cycle]
      : sections[topic];
  const blocks: ReplyBlock[] = [
    { type: 'header', text: title },
    ...body.map((text): ReplyBlock => ({ type: 'section', text: trusted(text) })),
    { type: 'context', elements: [trusted(h.footer)] },
  ];
  return { text: title, blocks, visibility: 'ephemeral' };
}
