import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/bolt';
import { afterAll, describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import { BOT_SCOPES } from '../../src/slack/scopes.ts';
import { createInstallationStore, fileInstallationRepo, UnknownZoneError } from '../../src/zones/installations.ts';
import { createSealer, parseTokenKey, SealError } from '../../src/zones/secrets.ts';

const KEY = Buffer.alloc(32, 3);
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function installation(teamId: string, token: string): Installation {
  return {
    team: { id: teamId, name: teamId },
    enterprise: undefined,
    user: { id: 'U0INSTALL1', token: undefined, scopes: undefined },
    bot: { id: 'B0BOT', userId: 'U0BOT', token, scopes: ['chat:write'] },
    isEnterpriseInstall: false,
  } as Installation;
}

describe('token key', () => {
  it.each([
    ['base64 of 32 bytes', KEY.toString('base64'), true],
    ['64 hex digits', KEY.toString('hex'), true],
    ['base64 of 16 bytes', Buffer.alloc(16, 1).toString('base64'), false],
    ['63 hex digits', KEY.toString('hex').slice(1), false],
    ['a passphrase', 'correct horse battery staple', false],
  ])('%s → accepted: %s', (_name, text, ok) => {
    expect(parseTokenKey(text) !== undefined).toBe(ok);
  });
});

describe('sealed installations', () => {
  const sealer = createSealer(KEY);

  it('opens what it sealed, and a fresh nonce makes every seal different', () => {
    const a = sealer.seal('xoxb-secret', 'T0ONE');
    const b = sealer.seal('xoxb-secret', 'T0ONE');
    expect(a).not.toBe(b);
    expect(a).not.toContain('xoxb');
    expect(sealer.open(a, 'T0ONE')).toBe('xoxb-secret');
  });

  it('refuses another key, another zone, and an altered seal', () => {
    const sealed = sealer.seal('xoxb-secret', 'T0ONE');
    expect(() => createSealer(Buffer.alloc(32, 4)).open(sealed, 'T0ONE')).toThrow(SealError);
    expect(() => sealer.open(sealed, 'T0TWO')).toThrow(SealError);
    const parts = sealed.split('.');
    parts[2] = Buffer.from('xoxb-other!').toString('base64');
    expect(() => sealer.open(parts.join('.'), 'T0ONE')).toThrow(SealError);
  });

  it('stores installations in a file without their tokens, and reads them back after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duban-installs-'));
    dirs.push(dir);
    const file = join(dir, 'installations.json');
    const installed: string[] = [];
    const store = createInstallationStore(fileInstallationRepo(file), sealer, undefined, (z) => installed.push(z));
    await store.storeInstallation(installation('T0AAAA1', 'xoxb-aaaa'));
    await store.storeInstallation(installation('T0BBBB2', 'xoxb-bbbb'));
    expect(installed).toEqual(['T0AAAA1', 'T0BBBB2']);
    expect(await readFile(file, 'utf8')).not.toMatch(/xoxb-/);

    const again = createInstallationStore(fileInstallationRepo(file), sealer);
    expect(await again.zoneIds()).toEqual(['T0AAAA1', 'T0BBBB2']);
    expect(await again.botToken('T0BBBB2')).toBe('xoxb-bbbb');
    expect(await again.installer('T0AAAA1')).toBe('U0INSTALL1');
    const fetched = await again.fetchInstallation({
      teamId: 'T0AAAA1',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched.bot?.token).toBe('xoxb-aaaa');

    await again.deleteInstallation!({ teamId: 'T0AAAA1', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(again.botToken('T0AAAA1')).rejects.toThrow(UnknownZoneError);
    expect(await again.zoneIds()).toEqual(['T0BBBB2']);
  });

  it('answers a workspace that never installed, or an id that is not a workspace, as unknown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duban-installs-'));
    dirs.push(dir);
    const store = createInstallationStore(fileInstallationRepo(join(dir, 'i.json')), sealer);
    await expect(store.botToken('T0NEVER1')).rejects.toThrow(UnknownZoneError);
    await expect(store.botToken('../../etc')).rejects.toThrow(UnknownZoneError);
  });
});

describe('scopes', () => {
  it('asks an installing workspace for exactly the scopes of manifest.json', () => {
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
