/**
 * Charts as pictures (趋势图, 排名图): what the rest of duban asks of the chart renderer.
 *
 * A chart is described as a `ChartSpec` (src/charts/specs/*: pure functions of the read model, with
 * every word from the catalogues) and drawn to PNG by a `ChartPort` off the thread that answers Slack
 * (src/charts/renderer.ts), so drawing never delays an acknowledgement.
 */

export type ChartKind = 'ranking' | 'trend' | 'projects';

export type ChartSpec = {
  kind: ChartKind;
  /**
   * An Apache ECharts option as plain JSON (no functions: it crosses to a worker thread). Text takes
   * the bundled CJK font from the renderer, so it needs no font family of its own.
   */
  option: Record<string, unknown>;
  /** Size in CSS pixels; the PNG is drawn at `scale` times this (sharp on high-density screens). */
  width: number;
  height: number;
  /** The chart's title, in the reader's language. */
  title: string;
  /** What the chart shows, in words, for those who cannot see it (Slack's alt text, the Markdown image). */
  alt: string;
  /** A file name without extension, safe on every system. */
  name: string;
};

export type ChartImage = {
  png: Buffer;
  /** Pixel size of the PNG. */
  width: number;
  height: number;
  title: string;
  alt: string;
  /** `<name>.png`. */
  filename: string;
};

export type ChartPort = {
  render(spec: ChartSpec): Promise<ChartImage>;
  /** Stops the worker (tests, shutdown). */
  close(): Promise<void>;
};
