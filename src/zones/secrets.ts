/**
 * Bot tokens at rest: every stored installation is sealed with AES-256-GCM under a key from the
 * environment (DUBAN_TOKEN_KEY), so a copied data folder or database dump carries no usable token.
 * Each seal has its own random nonce; the zone's key is bound in as associated data, so a sealed
 * installation moved to another workspace's row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** Reads a 32-byte key written as 64 hex digits or as base64 (44 characters). */
export function parseTokenKey(text: string): Buffer | undefined {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return key.length === 32 && (key.toString('base64') === t || /^[0-9a-fA-F]{64}$/.test(t)) ? key : undefined;
}

export type Sealer = {
  seal(plain: string, about: string): string;
  open(sealed: string, about: string): string;
};

export function createSealer(key: Buffer, random: (n: number) => Buffer = randomBytes): Sealer {
  if (key.length !== 32) throw new SealError('the token key must be 32 bytes');
  return {
    seal(plain, about) {
      const nonce = random(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(about, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, nonce.toString('base64'), body.toString('base64'), cipher.getAuthTag().toString('base64')].join(
        '.',
      );
    },
    open(sealed, about) {
      const [version, nonce, body, tag] = sealed.split('.');
      if (version !== VERSION || !nonce || body === undefined || !tag)
        throw new SealError('not a sealed installation (unknown format)');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
      decipher.setAAD(Buffer.from(about, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new SealError('a stored installation does not open with DUBAN_TOKEN_KEY (wrong key, or altered)');
      }
    },
  };
}
