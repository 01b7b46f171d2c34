/**
 * The font charts are drawn in: Noto Sans SC (SIL Open Font License), from the
 * `@expo-google-fonts/noto-sans-sc` package, so Chinese labels render on a machine with no system
 * fonts at all. It also covers Latin letters and digits, so English charts use it too.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const CHART_FONT_FAMILY = 'Duban Noto Sans SC';

/** The TrueType file of the regular weight, resolved through the package so it works from any working directory. */
export function chartFontFile(): string {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
  return join(root, '400Regular', 'NotoSansSC_400Regular.ttf');
}
