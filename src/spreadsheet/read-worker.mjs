// Entry of the worker thread that reads an uploaded spreadsheet (see isolated.ts). duban's sources
// are TypeScript run through tsx's loader, and a worker does not inherit loader hooks registered in
// code (bin/duban.js, vitest), so it registers tsx itself before loading the reader.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
