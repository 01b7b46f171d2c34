/**
 * Files to Slack: the three steps of its external upload (files.getUploadURLExternal, the bytes POSTed
 * to the upload URL, files.completeUploadExternal). Every upload duban makes goes through here: the
 * exports and 督办单 to a DM or a channel, charts with the bulletin, and chart images that a view shows
 * by file id (uploaded without a channel, private to duban). Each throws on failure.
 */
import type { webApi } from '@slack/bolt';

export type OutFile = {
  bytes: Buffer;
  filename: string;
  title: string;
  /** Words for an image, for those who cannot see it. */
  altText?: string;
};

/** Where the files are shared: a channel (optionally in a thread) with a comment, or nowhere. */
export type UploadTarget = { channel: string; threadTs?: string; comment?: string } | undefined;

/** Uploads the files and shares them at `target` in one message; answers their file ids. */
export async function uploadFiles(
  client: webApi.WebClient,
  files: readonly OutFile[],
  target: UploadTarget,
): Promise<string[]> {
  const uploaded: Array<{ id: string; title: string }> = [];
  for (const f of files) {
    const slot = await client.files.getUploadURLExternal({
      filename: f.filename,
      length: f.bytes.length,
      ...(f.altText ? { alt_text: f.altText.slice(0, 1000) } : {}),
    });
    if (!slot.upload_url || !slot.file_id)
      throw new Error(`files.getUploadURLExternal returned no upload URL for ${f.filename}`);
    const res = await fetch(slot.upload_url, { method: 'POST', body: f.bytes, signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`uploading ${f.filename} answered HTTP ${res.status}`);
    uploaded.push({ id: slot.file_id, title: f.title });
  }
  const shared = uploaded as [{ id: string; title: string }];
  if (!target) await client.files.completeUploadExternal({ files: shared });
  else
    await client.files.completeUploadExternal({
      files: shared,
      channel_id: target.channel,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      ...(target.comment ? { initial_comment: target.comment } : {}),
    });
  return uploaded.map((u) => u.id);
}

/** Uploads files to the user's DM with duban; answers the DM's channel id. */
export async function uploadToDm(
  client: webApi.WebClient,
  userId: string,
  files: readonly OutFile[],
  comment: string,
): Promise<string> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('conversations.open returned no channel');
  await uploadFiles(client, files, { channel, comment });
  return channel;
}
