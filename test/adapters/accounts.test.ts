/**
 * The account adapters: argon2id passwords, TOTP, random secrets and the WebAuthn ceremonies.
 * The passkey tests answer the ceremonies with a small software authenticator (ES256, attestation
 * "none") built here from node:crypto; browser tests repeat the round trip with a real browser.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { SimpleWebAuthnCeremonies } from '../../src/adapters/accounts/passkeys.ts';
import { Argon2PasswordHasher } from '../../src/adapters/accounts/password.ts';
import { CryptoSecrets, normalizeRecoveryCode, RECOVERY_ALPHABET } from '../../src/adapters/accounts/secrets.ts';
import { OtplibTotp, totpCodeAt, totpStepAt } from '../../src/adapters/accounts/totp.ts';
import type { Passkey } from '../../src/core/accounts/model.ts';

describe('Argon2PasswordHasher', () => {
  const hasher = new Argon2PasswordHasher();

  it('hashes with argon2id and OWASP parameters, and verifies only the right password', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await hasher.verify(hash, 'correct horse battery staple'), true);
    assert.equal(await hasher.verify(hash, 'correct horse battery stapler'), false);
    assert.equal(await hasher.verify(hash, ''), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hasher.hash('the same passphrase'), await hasher.hash('the same passphrase'));
  });

  it('answers false, without throwing, for a malformed hash', async () => {
    for (const malformed of ['', 'not a hash', '$argon2id$v=19$m=19456', '$2b$10$abcdefghijklmnopqrstuv']) {
      assert.equal(await hasher.verify(malformed, 'anything at all'), false);
    }
  });
});

describe('OtplibTotp', () => {
  const totp = new OtplibTotp();
  // The start of a 30-second step.
  const T = new Date(1_800_000_000_000);
  const plus = (seconds: number) => new Date(T.getTime() + seconds * 1000);

  it('makes base32 secrets of 160 bits, different every time', () => {
    const secret = totp.newSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.notEqual(totp.newSecret(), secret);
  });

  it('gives an otpauth URI with the issuer Amparo', () => {
    const secret = totp.newSecret();
    const uri = new URL(totp.uri(secret, 'maria.lopez'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Amparo:maria.lopez');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'Amparo');
  });

  it('accepts a code one step either side of now and answers its step', async () => {
    const secret = totp.newSecret();
    const code = await totpCodeAt(secret, T);
    assert.match(code, /^\d{6}$/);
    const step = totpStepAt(T);
    assert.equal(await totp.check(secret, code, T, null), step);
    assert.equal(await totp.check(secret, code, plus(29), null), step);
    assert.equal(await totp.check(secret, code, plus(30), null), step);
    assert.equal(await totp.check(secret, code, plus(-30), null), step);
    assert.equal(await totp.check(secret, code, plus(120), null), null);
    assert.equal(await totp.check(secret, code, plus(-120), null), null);
    assert.equal(await totp.check(totp.newSecret(), code, T, null), null);
  });

  it('refuses a code from a step already used (replay), but not a later one', async () => {
    const secret = totp.newSecret();
    const step = totpStepAt(T);
    const code = await totpCodeAt(secret, T);
    assert.equal(await totp.check(secret, code, T, step), null);
    assert.equal(await totp.check(secret, code, T, step + 1), null);
    assert.equal(await totp.check(secret, code, T, step - 1), step);
    // A last step far in the future (a clock that jumped back) refuses, without throwing.
    assert.equal(await totp.check(secret, code, T, step + 1000), null);
    const next = await totpCodeAt(secret, plus(30));
    assert.equal(await totp.check(secret, next, plus(30), step), step + 1);
  });

  it('refuses anything but six digits without throwing', async () => {
    const secret = totp.newSecret();
    for (const garbage of ['', '12345', '1234567', 'abcdef', '12 345', '12345a', '１２３４５６', '-12345', '1e5000']) {
      assert.equal(await totp.check(secret, garbage, T, null), null, garbage);
    }
  });
});

describe('CryptoSecrets', () => {
  const secrets = new CryptoSecrets();

  it('makes prefixed base64url tokens of 256 bits, never the same twice', () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const token = secrets.token('amp_');
      assert.match(token, /^amp_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(token.slice(4), 'base64url').length, 32);
      tokens.add(token);
    }
    assert.equal(tokens.size, 200);
    assert.match(secrets.token(''), /^[A-Za-z0-9_-]{43}$/);
  });

  it('makes recovery codes a person can type: xxxx-xxxx-xxxx-xxxx without look-alike characters', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = secrets.recoveryCode();
      assert.match(code, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      assert.doesNotMatch(code, /[01oil]/);
      for (const c of code.replaceAll('-', '')) assert.ok(RECOVERY_ALPHABET.includes(c));
      codes.add(code);
    }
    assert.equal(codes.size, 500);
    assert.doesNotMatch(RECOVERY_ALPHABET, /[01oilOIL]/);
  });

  it('digests with SHA-256 (hex), stably', () => {
    assert.equal(secrets.digest('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(secrets.digest('session-token'), secrets.digest('session-token'));
    assert.notEqual(secrets.digest('session-token'), secrets.digest('session-tokem'));
  });

  it('normalises typed recovery codes so that case, hyphens and spaces do not matter', () => {
    const code = secrets.recoveryCode();
    const typed = ` ${code.toUpperCase().replaceAll('-', ' - ')} `;
    assert.equal(normalizeRecoveryCode(typed), code.replaceAll('-', ''));
    assert.equal(secrets.digest(normalizeRecoveryCode(typed)), secrets.digest(normalizeRecoveryCode(code)));
  });
});

// ——— A software authenticator: just enough CBOR, COSE and authenticator data for ES256 + "none". ———

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

function cborHead(major: number, length: number): Uint8Array {
  if (length < 24) return Uint8Array.of((major << 5) | length);
  if (length < 0x100) return Uint8Array.of((major << 5) | 24, length);
  return Uint8Array.of((major << 5) | 25, length >> 8, length & 0xff);
}

function cbor(value: Cbor): Uint8Array {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  const parts: Uint8Array[] = [cborHead(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);

class SoftAuthenticator {
  readonly credentialId = b64url(sha256(`credential-${Math.random()}`).subarray(0, 16));
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  private counter = 0;

  constructor(
    private readonly rpId: string,
    private readonly origin: string,
  ) {}

  private clientData(type: string, challenge: string, origin = this.origin) {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private coseKey(): Uint8Array {
    const jwk = (this.keys.publicKey as KeyObject).export({ format: 'jwk' });
    return cbor(
      new Map<number, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(String(jwk.x), 'base64url')],
        [-3, Buffer.from(String(jwk.y), 'base64url')],
      ]),
    );
  }

  register(options: { challenge: string }, { origin = this.origin } = {}) {
    const id = Buffer.from(this.credentialId, 'base64url');
    const authData = Buffer.concat([
      sha256(this.rpId),
      Uint8Array.of(0x41), // user present, attested credential data
      u32(0),
      new Uint8Array(16), // AAGUID
      Uint8Array.of(id.length >> 8, id.length & 0xff),
      id,
      this.coseKey(),
    ]);
    const attestationObject = cbor(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, origin)),
        attestationObject: b64url(attestationObject),
        transports: ['internal', 'carrier-pigeon'],
      },
      clientExtensionResults: {},
    };
  }

  authenticate(options: { challenge: string }, { counter = ++this.counter } = {}) {
    const authData = Buffer.concat([sha256(this.rpId), Uint8Array.of(0x01), u32(counter)]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.keys.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
    };
  }
}

describe('SimpleWebAuthnCeremonies', () => {
  const rp = { rpName: 'Amparo', rpId: 'amparo.test', origin: 'https://amparo.test' };
  const ceremonies = new SimpleWebAuthnCeremonies(rp);
  const user = { id: '00000000-0000-4000-8000-000000000001', username: 'maria.lopez' };
  const storedPasskey = (id: string, overrides: Partial<Passkey> = {}): Passkey => ({
    id,
    userId: user.id,
    publicKey: new Uint8Array([1, 2, 3]),
    counter: 0,
    transports: ['usb'],
    label: 'Key',
    createdAt: '2026-03-01T10:00:00.000Z',
    lastUsedAt: null,
    ...overrides,
  });

  it('offers registration options with the challenge, relying party and existing credentials excluded', async () => {
    const existing = [storedPasskey('AAAAAAAAAAAAAAAAAAAAAA'), storedPasskey('BBBBBBBBBBBBBBBBBBBBBB')];
    const { options, challenge } = await ceremonies.registrationOptions(user, existing);
    const json = options as Record<string, unknown> & {
      rp: { id: string; name: string };
      user: { id: string; name: string };
      excludeCredentials: { id: string; type: string }[];
      authenticatorSelection: Record<string, unknown>;
    };
    assert.match(challenge, /^[A-Za-z0-9_-]{32,}$/);
    assert.equal(json.challenge, challenge);
    assert.deepEqual(json.rp, { id: 'amparo.test', name: 'Amparo' });
    assert.equal(json.user.name, 'maria.lopez');
    assert.equal(Buffer.from(json.user.id, 'base64url').toString(), user.id);
    assert.deepEqual(
      json.excludeCredentials.map((c) => [c.id, c.type]),
      [
        ['AAAAAAAAAAAAAAAAAAAAAA', 'public-key'],
        ['BBBBBBBBBBBBBBBBBBBBBB', 'public-key'],
      ],
    );
    assert.equal(json.attestation, 'none');
    assert.equal(json.authenticatorSelection.residentKey, 'preferred');
    assert.equal(json.authenticatorSelection.userVerification, 'preferred');
    // A fresh challenge every time.
    assert.notEqual((await ceremonies.registrationOptions(user, [])).challenge, challenge);
  });

  it('offers authentication options with the challenge, relying party and the user’s credentials', async () => {
    const { options, challenge } = await ceremonies.authenticationOptions([storedPasskey('AAAAAAAAAAAAAAAAAAAAAA')]);
    const json = options as {
      challenge: string;
      rpId: string;
      allowCredentials: { id: string }[];
      userVerification: string;
    };
    assert.equal(json.challenge, challenge);
    assert.equal(json.rpId, 'amparo.test');
    assert.deepEqual(
      json.allowCredentials.map((c) => c.id),
      ['AAAAAAAAAAAAAAAAAAAAAA'],
    );
    assert.equal(json.userVerification, 'preferred');
  });

  it('takes the credential id out of an untrusted answer only when it is one', () => {
    assert.equal(ceremonies.credentialIdOf({ id: 'AAAAAAAAAAAAAAAAAAAAAA', rawId: 'x' }), 'AAAAAAAAAAAAAAAAAAAAAA');
    for (const bad of [
      null,
      undefined,
      'AAAA',
      42,
      [],
      {},
      { id: 7 },
      { id: '' },
      { id: 'a b' },
      { id: 'A'.repeat(2000) },
    ]) {
      assert.equal(ceremonies.credentialIdOf(bad), null);
    }
  });

  it('answers null, never throws, for garbage answers', async () => {
    const key = storedPasskey('AAAAAAAAAAAAAAAAAAAAAA');
    const garbage: unknown[] = [
      null,
      'nonsense',
      42,
      {},
      { id: 'AAAAAAAAAAAAAAAAAAAAAA' },
      { id: 'AAAAAAAAAAAAAAAAAAAAAA', rawId: 'AAAAAAAAAAAAAAAAAAAAAA', type: 'public-key', response: null },
      {
        id: 'AAAAAAAAAAAAAAAAAAAAAA',
        rawId: 'AAAAAAAAAAAAAAAAAAAAAA',
        type: 'public-key',
        response: { clientDataJSON: 'not-json', attestationObject: '!!', authenticatorData: '', signature: '' },
      },
    ];
    for (const answer of garbage) {
      assert.equal(await ceremonies.verifyRegistration(answer, 'challenge'), null);
      assert.equal(await ceremonies.verifyAuthentication(answer, 'challenge', key), null);
    }
  });

  it('registers a passkey and then signs in with it, advancing the counter', async () => {
    const authenticator = new SoftAuthenticator(rp.rpId, rp.origin);
    const registration = await ceremonies.registrationOptions(user, []);
    const registered = await ceremonies.verifyRegistration(
      authenticator.register(registration),
      registration.challenge,
    );
    assert.ok(registered);
    assert.equal(registered.id, authenticator.credentialId);
    assert.equal(registered.counter, 0);
    assert.deepEqual(registered.transports, ['internal']);
    assert.equal(Object.getPrototypeOf(registered.publicKey), Uint8Array.prototype);

    const passkey = storedPasskey(registered.id, {
      publicKey: registered.publicKey,
      transports: registered.transports,
    });
    const login = await ceremonies.authenticationOptions([passkey]);
    const answer = authenticator.authenticate(login);
    assert.equal(ceremonies.credentialIdOf(answer), passkey.id);
    assert.equal(await ceremonies.verifyAuthentication(answer, login.challenge, passkey), 1);
  });

  it('refuses registrations for another challenge or origin', async () => {
    const authenticator = new SoftAuthenticator(rp.rpId, rp.origin);
    const registration = await ceremonies.registrationOptions(user, []);
    const other = await ceremonies.registrationOptions(user, []);
    assert.equal(await ceremonies.verifyRegistration(authenticator.register(registration), other.challenge), null);
    const phished = authenticator.register(registration, { origin: 'https://amparo.example' });
    assert.equal(await ceremonies.verifyRegistration(phished, registration.challenge), null);
    const elsewhere = new SoftAuthenticator('amparo.example', rp.origin);
    assert.equal(await ceremonies.verifyRegistration(elsewhere.register(registration), registration.challenge), null);
  });

  it('refuses sign-ins with a wrong challenge, another credential, a forged signature or a replayed counter', async () => {
    const authenticator = new SoftAuthenticator(rp.rpId, rp.origin);
    const registration = await ceremonies.registrationOptions(user, []);
    const registered = await ceremonies.verifyRegistration(
      authenticator.register(registration),
      registration.challenge,
    );
    assert.ok(registered);
    const passkey = storedPasskey(registered.id, { publicKey: registered.publicKey, counter: 5 });
    const login = await ceremonies.authenticationOptions([passkey]);

    assert.equal(
      await ceremonies.verifyAuthentication(authenticator.authenticate(login), 'another-challenge', passkey),
      null,
    );
    // An answer from another authenticator, checked against this passkey.
    const impostor = new SoftAuthenticator(rp.rpId, rp.origin);
    assert.equal(
      await ceremonies.verifyAuthentication(impostor.authenticate(login, { counter: 9 }), login.challenge, passkey),
      null,
    );
    // The right credential id, but signed by another key.
    const forged = { ...impostor.authenticate(login, { counter: 9 }), id: passkey.id, rawId: passkey.id };
    assert.equal(await ceremonies.verifyAuthentication(forged, login.challenge, passkey), null);
    // A counter that did not advance past the stored one suggests a cloned authenticator.
    assert.equal(
      await ceremonies.verifyAuthentication(
        authenticator.authenticate(login, { counter: 5 }),
        login.challenge,
        passkey,
      ),
      null,
    );
    assert.equal(
      await ceremonies.verifyAuthentication(
        authenticator.authenticate(login, { counter: 6 }),
        login.challenge,
        passkey,
      ),
      6,
    );
  });
});
