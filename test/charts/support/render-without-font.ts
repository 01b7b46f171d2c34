/**
 * Draws one chart with no font registered, in a process of its own: @napi-rs/canvas keeps registered
 * fonts for the whole process, so a renderer without the font in the test's own process would still
 * find the one another renderer registered there.
 *
 * Usage: node bin/run-ts.js test/charts/support/render-without-font.ts SPEC.json OUT.png
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ChartSpec } from '../../../src/charts/port.ts';
import { createChartRenderer } from '../../../src/charts/renderer.ts';

const [specFile, out] = process.argv.slice(2);
if (!specFile || !out) throw new Error('usage: render-without-font.ts SPEC.json OUT.png');
const charts = createChartRenderer({ fontFile: null });
const image = await charts.render(JSON.parse(readFileSync(specFile, 'utf8')) as ChartSpec);
writeFileSync(out, image.png);
await charts.close();
