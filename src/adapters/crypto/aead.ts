/**
 * The one cipher: AES-256-GCM from node:crypto, used as a standard AEAD and nothing more. A sealed
 * value is `version (1 byte) | nonce (12 random bytes) | ciphertext | tag (16 bytes)`; the version
 * byte and a context string (e.g. the record id) are authenticated as additional data, so a
 * ciphertext cannot be moved to another record or opened as something it is not.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
const FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Raised when a sealed value does not open: wrong key, wrong context, or altered bytes. */
export class SealError extends Error {}

export const newKey = (): Buffer => randomBytes(KEY_BYTES);

/** The version byte, then the context in UTF-8 (one encoding of one string: every open asks). */
const additionalData = (context: string) => Buffer.from(`${String.fromCharCode(FORMAT)}${context}`, 'utf8');

const HEADER = Buffer.of(FORMAT);

/**
 * Random nonces are cut from a pool of random bytes, each used once: a call to randomBytes per seal
 * cost more than the sealing of a short value. (Each thread has its own pool.)
 */
const NONCE_POOL_BYTES = NONCE_BYTES * 1024;
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

function freshNonce(): Buffer {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    nonceOffset = 0;
  }
  nonceOffset += NONCE_BYTES;
  return noncePool.subarray(nonceOffset - NONCE_BYTES, nonceOffset);
}

export function seal(key: Uint8Array, plaintext: Uint8Array, context: string): Buffer {
  if (key.length !== KEY_BYTES) throw new SealError('A sealing key must be 32 bytes.');
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(context));
  const body = cipher.update(plaintext);
  // GCM gives everything from update; final only computes the tag (its output is empty).
  const rest = cipher.final();
  return Buffer.concat([HEADER, nonce, body, rest, cipher.getAuthTag()]);
}

export function open(key: Uint8Array, sealed: Uint8Array, context: string): Buffer {
  if (key.length !== KEY_BYTES) throw new SealError('A sealing key must be 32 bytes.');
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT) {
    throw new SealError('Not a sealed value of a known format.');
  }
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(tag);
    const opened = decipher.update(body);
    // GCM gives everything from update; final only checks the tag (its output is empty).
    const rest = decipher.final();
    return rest.length === 0 ? opened : Buffer.concat([opened, rest]);
  } catch {
    throw new SealError('The sealed value does not open with this key and context.');
  }
}
