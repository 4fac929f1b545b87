/**
 * The secret that signs webhooks. Set it with AMPARO_WEBHOOK_SECRET, or Amparo makes one on the
 * first start and keeps it in `amparo-webhook.secret` next to the data directory (mode 0600), where
 * the people running a bridge can read it to verify the signatures.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../../config.ts';

/** Shorter secrets are refused: 32 characters is the least that carries enough randomness. */
export const MIN_WEBHOOK_SECRET_LENGTH = 32;

export const defaultWebhookSecretFile = (dataDir: string): string =>
  join(dirname(resolve(dataDir)), 'amparo-webhook.secret');

const newSecret = (): string => randomBytes(32).toString('base64url');

/**
 * The configured secret, or the one in the secret file (made now if there is none). A throwaway
 * in-memory database gets a throwaway secret, like its master key.
 */
export function webhookSecretFor(config: Pick<Config, 'webhookSecret' | 'dataDir' | 'databaseUrl'>): string {
  if (config.webhookSecret) return config.webhookSecret;
  if (!config.databaseUrl && config.dataDir === 'memory://') return newSecret();
  const file = defaultWebhookSecretFile(config.dataDir);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    createOnce(file, `${newSecret()}\n`);
  }
  const stored = readFileSync(file, 'utf8').trim();
  if (stored.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new Error(
      `The webhook secret file ${file} holds no usable secret (at least ${MIN_WEBHOOK_SECRET_LENGTH} characters). Delete it to have a new one made, or set AMPARO_WEBHOOK_SECRET.`,
    );
  }
  return stored;
}

/**
 * Writes `content` to `path` unless the file exists. The content is complete before the file appears
 * (written to a temporary file, then linked), so a second process starting at the same moment
 * reads either nothing or the whole secret, and both end up with the same one.
 */
function createOnce(path: string, content: string): void {
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.amparo-webhook-secret.tmp`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}
