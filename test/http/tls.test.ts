/**
 * Transport: HSTS only when a response really travels over TLS — served by Amparo itself with a
 * certificate, or by a reverse proxy Amparo was told to trust. A forged X-Forwarded-Proto from anyone
 * else changes nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Amparo, createAmparo } from '../../src/app.ts';

const base = { dataDir: 'memory://', databaseUrl: undefined, webRoot: 'dist/web', logLevel: 'silent' as const };

describe('behind a trusted TLS-terminating proxy', () => {
  let amparo: Amparo;
  before(async () => {
    amparo = await createAmparo(base, { trustProxy: ['10.0.0.5'] });
  });
  after(async () => amparo?.close());

  it('pins TLS (HSTS) for requests the proxy says came over HTTPS', async () => {
    const viaProxy = await amparo.app.inject({
      url: '/api/v1/health',
      remoteAddress: '10.0.0.5',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' },
    });
    assert.match(String(viaProxy.headers['strict-transport-security']), /max-age=\d+/);
  });

  it('ignores forwarding headers from anyone else', async () => {
    const forged = await amparo.app.inject({
      url: '/api/v1/health',
      remoteAddress: '203.0.113.9',
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(forged.headers['strict-transport-security'], undefined);
  });
});

describe('serving TLS itself', () => {
  let amparo: Amparo;
  let port: number;
  let dir: string;
  let cert: Buffer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amparo-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    amparo = await createAmparo(base, { https: { cert, key: readFileSync(join(dir, 'key.pem')) } });
    await amparo.app.listen({ host: '127.0.0.1', port: 0 });
    port = (amparo.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await amparo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers over HTTPS with HSTS', async () => {
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/api/v1/health', ca: cert, servername: 'localhost' },
        (res) => {
          res.resume();
          resolve(res.headers);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.match(String(headers['strict-transport-security']), /max-age=31536000/);
  });
});
