/**
 * The charts that go with the progress bulletin (通报): the department ranking and, when the zone has
 * projects, the projects by category and stage. Drawn one after the other through the chart port, so
 * an export waits for them but the thread answering Slack never does. A chart that cannot be drawn is
 * left out and named in `missing`: the bulletin's figures never wait on a picture.
 */
import type { ReadModel } from '../domain/read-model.ts';
import type { Locale } from '../i18n/index.ts';
import type { ChartImage, ChartKind, ChartPort, ChartSpec } from './port.ts';
import { projectsChart } from './specs/projects.ts';
import { rankingChart } from './specs/ranking.ts';

export type DrawnChart = { kind: ChartKind; image: ChartImage };
/** The charts that go with a bulletin. */
export type BulletinChartKind = Extract<ChartKind, 'ranking' | 'projects'>;
/** A chart left out of the bulletin, and why (for the log; the reader is told which, not the error). */
export type MissingChart = { kind: BulletinChartKind; error: unknown };

export async function bulletinCharts(
  model: Pick<ReadModel, 'db' | 'rollup' | 'evaluate'>,
  today: string,
  locale: Locale,
  charts: ChartPort,
): Promise<{ drawn: DrawnChart[]; missing: MissingChart[] }> {
  const zone = model.db.meta.zone;
  const specs: Array<{ kind: BulletinChartKind; spec: ChartSpec }> = [
    { kind: 'ranking', spec: rankingChart(model.rollup(today), zone, today, locale) },
  ];
  const projects = model.evaluate(today).projects;
  if (projects.length > 0) specs.push({ kind: 'projects', spec: projectsChart(projects, zone, today, locale) });
  const drawn: DrawnChart[] = [];
  const missing: MissingChart[] = [];
  for (const { kind, spec } of specs) {
    try {
      drawn.push({ kind, image: await charts.render(spec) });
    } catch (error) {
      missing.push({ kind, error });
    }
  }
  return { drawn, missing };
}
