/**
 * Webhooks must not reach the installation's own machine or private networks unless the operator
 * allows it (AMPARO_WEBHOOK_PRIVATE_NETWORKS=allow): the classification of addresses, the check made
 * at connect time (a literal IP, and a name resolving to loopback), the setting, and a refused
 * webhook moving the alert on to the person's next channel.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { isPrivateAddress, PrivateAddressError, publicOnlyLookup } from '../../src/adapters/delivery/address-guard.ts';
import { WebhookSender } from '../../src/adapters/delivery/webhook.ts';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { DeliveryFailure, type OutgoingNotification } from '../../src/core/alerts/ports.ts';
import { addResponder, deliveriesOf, notify, WEBHOOK_SECRET, webhookChannel } from '../alerts/fixtures.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/receivers.ts';

const SECRET = 'test-webhook-secret-of-at-least-32-characters';

describe('isPrivateAddress', () => {
  const privateAddresses = [
    // IPv4
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.5',
    '10.255.255.255',
    '100.64.0.1',
    '100.127.255.255',
    '127.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.168.1.1',
    '198.18.0.1',
    '198.19.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    // IPv6
    '::',
    '::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'FE80::1%eth0',
    'febf:ffff::1',
    'ff02::1',
    'ff0e::101',
    // IPv4 inside IPv6: mapped, in both notations, and NAT64's well-known prefix
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '::ffff:c0a8:101',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    // 6to4 of 10.0.0.1 and of 169.254.169.254, Teredo, IPv4-compatible.
    '2002:a00:1::1',
    '2002:a9fe:a9fe::',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '::10.0.0.1',
    // Not an address at all: the guard cannot tell it is public.
    'localhost',
    '',
    '10.0.0.256',
  ];
  const publicAddresses = [
    '1.1.1.1',
    '8.8.8.8',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.1',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '2a00:1450:4001::1',
    // Just outside IPv4-compatible ::/96 (::2 is inside it).
    '::1:0:0',
    'fbff:ffff::1',
    'fec0::1',
    'feff::1',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    // 6to4 of 8.8.8.8, and just outside Teredo.
    '2002:808:808::1',
    '2001:1::1',
  ];

  it('refuses every listed private, loopback, link-local and reserved address, in both families', () => {
    for (const address of privateAddresses) assert.equal(isPrivateAddress(address), true, address);
  });

  it('lets public addresses through, including just outside each range', () => {
    for (const address of publicAddresses) assert.equal(isPrivateAddress(address), false, address);
  });
});

/** The ranges as the specification gives them, written apart from the guard's own table. */
const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0000000, 24],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xe0000000, 4],
  [0xf0000000, 4],
];
const PRIVATE_V6: [bigint, number][] = [
  [0n, 128],
  [1n, 128],
  [0xfcn << 120n, 7],
  [0xfe8n << 116n, 10],
  [0xffn << 120n, 8],
];
const PUBLIC_V4: [number, number][] = [
  [0x01000000, 8], // 1/8
  [0x08000000, 8], // 8/8
  [0x2d000000, 8], // 45/8
  [0xb9000000, 8], // 185/8
];
// Global unicast, away from the tunnels that carry IPv4 (2001::/32, 2002::/16): 2400::/6 and 2c00::/6.
const PUBLIC_V6: [bigint, number][] = [
  [0x24n << 120n, 6],
  [0x2cn << 120n, 6],
];

const v4Text = (n: number): string => [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join('.');
const v6Text = (n: bigint): string =>
  Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');

const v4Inside = ([base, bits]: [number, number]) =>
  fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => v4Text((base + offset) >>> 0));
const v6Inside = ([base, bits]: [bigint, number]) =>
  fc.bigInt({ min: 0n, max: (1n << BigInt(128 - bits)) - 1n }).map((offset) => v6Text(base + offset));

/** 6to4's form of an IPv4 address: `2002:` then its 32 bits, then any interface (here `::1`). */
const sixToFourOf = (address: string): string => {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  return `2002:${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}::1`;
};

/** An IPv4 address of the range, as it is, mapped into IPv6 (`::ffff:10.1.2.3`) or in 6to4. */
const v4OrMappedInside = (range: [number, number]) =>
  v4Inside(range).chain((address) => fc.constantFrom(address, `::ffff:${address}`, sixToFourOf(address)));

function classifiedAs(expected: boolean, v4: [number, number][], v6: [bigint, number][]): void {
  fc.assert(
    fc.property(fc.oneof(...v4.map(v4OrMappedInside), ...v6.map(v6Inside)), (address) => {
      assert.equal(isPrivateAddress(address), expected, address);
    }),
    { numRuns: 1000 },
  );
}

describe('isPrivateAddress over whole ranges', () => {
  it('every address inside each private range is private, IPv4 also when mapped into IPv6 or 6to4', () => {
    classifiedAs(true, PRIVATE_V4, PRIVATE_V6);
  });

  it('addresses of public ranges are not private, mapped or not', () => {
    classifiedAs(false, PUBLIC_V4, PUBLIC_V6);
  });
});

/** What `publicOnlyLookup` hands the socket (an IP given as the name resolves to itself, with no DNS query). */
function lookedUp(hostname: string, all: boolean): Promise<string | LookupAddress[]> {
  return new Promise((resolve, reject) => {
    publicOnlyLookup(hostname, { all }, (error, address) => (error ? reject(error) : resolve(address)));
  });
}

describe('publicOnlyLookup', () => {
  it('hands over public addresses in the form asked for', async () => {
    assert.equal(await lookedUp('8.8.8.8', false), '8.8.8.8');
    assert.deepEqual(await lookedUp('2001:4860:4860::8888', true), [{ address: '2001:4860:4860::8888', family: 6 }]);
  });

  it('refuses a name whose answer holds a private address', async () => {
    for (const hostname of ['localhost', '127.0.0.1', '::1', '169.254.169.254']) {
      for (const all of [false, true]) {
        await assert.rejects(lookedUp(hostname, all), PrivateAddressError, `${hostname} all=${all}`);
      }
    }
  });
});

function webhookTo(address: string): OutgoingNotification {
  return {
    idempotencyKey: randomUUID(),
    alertId: randomUUID(),
    kind: 'webhook',
    address,
    userId: null,
    purpose: 'alert',
    severity: 'critical',
    source: 'sos',
    subject: 'SOS',
    text: 'Ana needs help',
    language: 'en',
    ackUrl: null,
    replyCode: null,
    consoleUrl: 'https://amparo.example.org/alerts/0193',
  };
}

/** The send fails as 'private address', naming neither the URL nor the address. */
async function refusedAsPrivate(sender: WebhookSender, url: string): Promise<void> {
  await assert.rejects(sender.send(webhookTo(url)), (error: unknown) => {
    assert.ok(error instanceof DeliveryFailure, `${url}: expected a DeliveryFailure, got ${String(error)}`);
    assert.equal(error.reason, 'private address', url);
    assert.equal(error.message, 'private address', url);
    return true;
  });
}

describe('WebhookSender and private networks', () => {
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
  });
  after(() => receiver.close());

  it('by default refuses a receiver on 127.0.0.1, on localhost and by other spellings of loopback; nothing arrives', async () => {
    const sender = new WebhookSender({ secret: SECRET, timeoutMs: 2000 });
    try {
      const port = receiver.port;
      for (const url of [
        receiver.url,
        `http://localhost:${port}/hook`,
        `http://[::1]:${port}/hook`,
        `http://[::ffff:127.0.0.1]:${port}/hook`,
        // The URL parser turns these into 127.0.0.1 before any check.
        `http://2130706433:${port}/hook`,
        `http://0x7f.1:${port}/hook`,
        // Cloud metadata and a LAN address: refused before any packet is sent.
        'http://169.254.169.254/latest/meta-data/',
        'https://10.0.0.5/admin',
      ]) {
        await refusedAsPrivate(sender, url);
      }
      assert.equal(receiver.messages.length, 0);
    } finally {
      await sender.close();
    }
  });

  it('with privateNetworks: allow, the same receiver gets the signed message', async () => {
    const sender = new WebhookSender({ secret: SECRET, timeoutMs: 2000, privateNetworks: 'allow' });
    try {
      for (const url of [receiver.url, `http://localhost:${receiver.port}/hook`]) {
        const sent = webhookTo(url);
        assert.deepEqual(await sender.send(sent), { status: 'delivered' });
        const arrived = receiver.messages.filter((m) => m.idempotencyKey === sent.idempotencyKey);
        assert.equal(arrived.length, 1, url);
        assert.equal(arrived[0]?.signatureValid, true);
      }
    } finally {
      await sender.close();
    }
  });
});

describe('AMPARO_WEBHOOK_PRIVATE_NETWORKS', () => {
  it('is refuse by default and when set so, allow when set so', () => {
    assert.equal(loadConfig({}).webhookPrivateNetworks, 'refuse');
    assert.equal(loadConfig({ AMPARO_WEBHOOK_PRIVATE_NETWORKS: ' ' }).webhookPrivateNetworks, 'refuse');
    assert.equal(loadConfig({ AMPARO_WEBHOOK_PRIVATE_NETWORKS: 'refuse' }).webhookPrivateNetworks, 'refuse');
    assert.equal(loadConfig({ AMPARO_WEBHOOK_PRIVATE_NETWORKS: 'allow' }).webhookPrivateNetworks, 'allow');
  });

  it('refuses any other value with a message naming the variable and its values', () => {
    for (const value of ['yes', 'Allow', 'true', '1', 'allow,refuse']) {
      assert.throws(
        () => loadConfig({ AMPARO_WEBHOOK_PRIVATE_NETWORKS: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /AMPARO_WEBHOOK_PRIVATE_NETWORKS must be refuse .* or allow/.test(error.message),
        value,
      );
    }
  });
});

describe('a refused webhook in an alert', () => {
  let receiver: WebhookReceiver;
  let amparo: Amparo;

  before(async () => {
    receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    // The configuration's own channels (no `sender`), with the default setting.
    amparo = await createAmparo(
      { dataDir: 'memory://', databaseUrl: undefined, webRoot: 'dist/web', logLevel: 'silent' },
      { escalation: { sendAtOnce: true } },
    );
  });
  after(async () => {
    await amparo?.close();
    await receiver?.close();
  });

  it('fails as private address on the delivery and the timeline, and the next channel gets a delivery at once', async () => {
    const person = await addResponder(amparo, 'responder-guarded', [
      webhookChannel(receiver.url, 0),
      { kind: 'in_app', address: '', position: 1, enabled: true },
    ]);
    await amparo.rapid.ladders.create({ name: 'Network', scope: { kind: 'network' }, steps: [notify(person)] });
    const actor = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana Guarded' } });
    const raised = { actorId: actor.id, severity: 'critical', message: null, location: null } as const;
    const alert = await amparo.rapid.alerts.raise(raised);
    await amparo.rapid.engine.idle();

    const deliveries = await deliveriesOf(amparo, alert.id);
    const webhook = deliveries.find((d) => d.channelKind === 'webhook');
    assert.equal(webhook?.lastError, 'private address');
    assert.ok(
      deliveries.some((d) => d.channelKind === 'in_app' && d.recipient?.id === person.id),
      'the next channel gets its own delivery',
    );
    const timeline = await amparo.rapid.http.store.timeline(alert.id);
    const failed = timeline.find((e) => e.kind === 'attempt_failed' && e.deliveryId === webhook?.id);
    assert.equal(failed?.detail, 'attempt 1: private address');
    assert.ok(timeline.some((e) => e.kind === 'next_channel'));
    assert.equal(receiver.messages.length, 0);
  });
});
