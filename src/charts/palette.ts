/**
 * Colours of the charts: the Okabe–Ito palette, told apart by readers with any common colour-vision
 * deficiency. Red, amber and green never carry meaning alone: every series is named in the legend and
 * its counts are written on the bars.
 */
import type { Status } from '../domain/status.ts';

export const STATUS_COLOUR: Record<Status, string> = {
  done: '#0072B2',
  green: '#009E73',
  amber: '#E69F00',
  red: '#D55E00',
  pending: '#BBBBBB',
  exempt: '#DDDDDD',
};

/** Text drawn on a bar of that colour: dark on the light ones, white on the dark. */
export const STATUS_TEXT: Record<Status, string> = {
  done: '#FFFFFF',
  green: '#FFFFFF',
  amber: '#000000',
  red: '#FFFFFF',
  pending: '#000000',
  exempt: '#000000',
};

export const INK = '#222222';
export const MUTED = '#666666';
export const GRID = '#E5E5E5';

/**
 * Lines of the trend chart, from the same palette; each is also told apart by its style (solid with
 * dots, thin, dashed, dotted) and named in the legend.
 */
export const LINE = { actual: '#0072B2', plan: '#666666', forecast: '#CC79A7', target: '#222222' } as const;

/** Stages of the projects chart: one blue from light to dark, ordered, so they read in grey too. */
export const STAGE_COLOUR = { none: '#D6E6F4', some: '#8CBCE0', all: '#3A84C2', done: '#08467F' } as const;
export const STAGE_TEXT = { none: '#000000', some: '#000000', all: '#FFFFFF', done: '#FFFFFF' } as const;
