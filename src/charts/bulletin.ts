/**
 * The charts that go with the progress bulletin (通报): the department ranking and, when the zone has
 * projects, the projects by category and stage. Drawn one after the other through the chart port, so
 * an export waits for them but the thread answering Slack never does.
 */
import type { ReadModel } from '../domain/read-model.ts';
import type { Locale } from '../i18n/index.ts';
import type { ChartImage, ChartKind, ChartPort } from './port.ts';
import { projectsChart } from './specs/projects.ts';
import { rankingChart } from './specs/ranking.ts';

export type DrawnChart = { kind: ChartKind; image: ChartImage };

export async function bulletinCharts(
  model: Pick<ReadModel, 'db' | 'rollup' | 'evaluate'>,
  today: string,
  locale: Locale,
  charts: ChartPort,
): Promise<DrawnChart[]> {
  const zone = model.db.meta.zone;
  const specs = [rankingChart(model.rollup(today), zone, today, locale)];
  const projects = model.evaluate(today).projects;
  if (projects.length > 0) specs.push(projectsChart(projects, zone, today, locale));
  const drawn: DrawnChart[] = [];
  for (const spec of specs) drawn.push({ kind: spec.kind, image: await charts.render(spec) });
  return drawn;
}
