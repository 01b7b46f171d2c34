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
