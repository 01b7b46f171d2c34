/**
 * Inside a worker started by isolated.ts: reads each spreadsheet it is sent and posts the result back
 * as plain data. Whatever a file does to this thread's memory or time stays here.
 */
import { parentPort } from 'node:worker_threads';
import { type ReadOptions, type ReadResult, readSpreadsheet } from './read.ts';

export type ReadJob = { bytes: Uint8Array; fileName: string; options: ReadOptions };
export type ReadAnswer = { ok: true; result: ReadResult } | { ok: false; error: string };

parentPort?.on('message', async (job: ReadJob) => {
  let answer: ReadAnswer;
  try {
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    answer = { ok: true, result: await readSpreadsheet(bytes, job.fileName, job.options) };
  } catch (e) {
    answer = { ok: false, error: (e as Error).stack ?? String(e) };
  }
  parentPort?.postMessage(answer);
});
