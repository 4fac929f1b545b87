/**
 * Rapid response through the API, on the real stores (PGlite in-process) with the job workers running
 * and real receivers on 127.0.0.1: an SMTP inbox for e-mail and a webhook receiver. Alerts with their
 * timelines, acknowledgement and resolution, ladders with their validation and reachability warnings,
 * channels, the duty roster, check-ins, safety credentials, signed inbound replies, the live feed
 * (server-sent events), and the record scope.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signWebhook } from '../../src/adapters/delivery/webhook.ts';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { callApi, type Json } from '../support/api.ts';
import { type SmtpInbox, startSmtpInbox, startWebhookReceiver, type WebhookReceiver } from '../support/receivers.ts';

const WEBHOOK_SECRET = 'alerts-http-test-secret-of-at-least-32-characters';
const PUBLIC_URL = 'http://amparo.test';
const system = { principal: 'system:test', source: null };

let amparo: Amparo;
let inbox: SmtpInbox;
let hook: WebhookReceiver;
const teams = {} as Record<'a' | 'b', string>;
const users = {} as Record<'coordinator' | 'caseWorker' | 'outsider' | 'unreachable', TestUser>;
const ids = {} as Record<'ana' | 'ladder', string>;

const call = (user: TestUser, method: string, url: string, payload?: unknown) =>
  callApi(amparo, user, method, `/api/v1${url}`, payload);

/** Polls `probe` until it returns something, for what the workers do in the background. */
async function eventually<T>(probe: () => Promise<T | null | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const detail = async (alertId: string) => {
  const response = await call(users.coordinator, 'GET', `/alerts/${alertId}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
};

const raise = async (user: TestUser, body: Json = {}) => {
  const response = await call(user, 'POST', '/alerts', { actorId: ids.ana, severity: 'high', ...body });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
};

/** What the bridge would post: the reply, signed with the installation's secret now. */
const signedReply = (text: string, secret = WEBHOOK_SECRET) => {
  const body = JSON.stringify({ text });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'amparo-timestamp': timestamp,
      'amparo-signature': signWebhook(secret, timestamp, body),
    },
  };
};

const inbound = async (request: { body: string; headers: Record<string, string> }) => {
  const response = await amparo.app.inject({
    method: 'POST',
    url: '/api/v1/inbound/reply',
    payload: request.body,
    headers: request.headers,
  });
  return { status: response.statusCode, body: response.json() as Json };
};

const steps = () => [
  {
    kind: 'notify',
    targets: [
      { kind: 'user', userId: users.coordinator.account.id },
      { kind: 'user', userId: users.caseWorker.account.id },
    ],
  },
  { kind: 'wait', minutes: 10 },
  { kind: 'notify', targets: [{ kind: 'on_duty' }] },
];

before(async () => {
  inbox = await startSmtpInbox();
  hook = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  amparo = await createAmparo(
    {
      dataDir: 'memory://',
      databaseUrl: undefined,
      webRoot: 'dist/web',
      logLevel: 'silent',
      smtp: { url: inbox.url, from: 'Amparo <alerts@amparo.test>' },
      webhookSecret: WEBHOOK_SECRET,
      // The webhook receiver listens on 127.0.0.1.
      webhookPrivateNetworks: 'allow',
    },
    { publicUrl: PUBLIC_URL, workers: { pollingIntervalSeconds: 0.5, auditIntervalMs: 2000 } },
  );
  teams.a = (await amparo.accounts.createTeam('Alerts A', system)).id;
  teams.b = (await amparo.accounts.createTeam('Alerts B', system)).id;
  users.coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teams.a] });
  users.caseWorker = await makeUser(amparo.accounts, 'case_worker', { teamIds: [teams.a] });
  users.outsider = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teams.b] });
  users.unreachable = await makeUser(amparo.accounts, 'case_worker', { teamIds: [teams.a] });
  ids.ana = (
    await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana' }, teamIds: [teams.a] })
  ).id;
});
after(async () => {
  await amparo?.close();
  await inbox?.close();
  await hook?.close();
});

describe('contact channels', () => {
  it('lets each person manage their own, in their order, and refuses a bad address with its field', async () => {
    const bad = await call(users.coordinator, 'POST', '/me/channels', {
      kind: 'email',
      address: 'not an address',
      position: 0,
      enabled: true,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'address');

    const email = await call(users.coordinator, 'POST', '/me/channels', {
      kind: 'email',
      address: 'coordinator@amparo.test',
      position: 0,
      enabled: true,
    });
    assert.equal(email.status, 201, JSON.stringify(email.body));
    assert.deepEqual(email.body.owner, { kind: 'user', id: users.coordinator.account.id });
    assert.equal(email.body.address, 'coordinator@amparo.test', 'the address is shown to its manager');

    const webhook = await call(users.caseWorker, 'POST', '/me/channels', {
      kind: 'webhook',
      address: hook.url,
      position: 0,
      enabled: true,
    });
    assert.equal(webhook.status, 201, JSON.stringify(webhook.body));

    const spare = await call(users.coordinator, 'POST', '/me/channels', {
      kind: 'in_app',
      address: '',
      position: 5,
      enabled: false,
    });
    assert.equal(spare.status, 201, JSON.stringify(spare.body));
    const moved = await call(users.coordinator, 'PUT', `/me/channels/${spare.body.id}`, {
      kind: 'in_app',
      address: '',
      position: 1,
      enabled: true,
    });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.position, 1);

    const mine = await call(users.coordinator, 'GET', '/me/channels');
    assert.deepEqual(
      mine.body.items.map((c: Json) => c.kind),
      ['email', 'in_app'],
    );

    // Someone else's channel is not one of yours, whatever your role.
    const theirs = await call(users.coordinator, 'PUT', `/me/channels/${webhook.body.id}`, {
      kind: 'webhook',
      address: 'https://example.org/elsewhere',
      position: 0,
      enabled: true,
    });
    assert.equal(theirs.status, 404);
    assert.equal((await call(users.caseWorker, 'GET', '/me/channels')).body.items[0].address, hook.url);

    assert.equal((await call(users.coordinator, 'DELETE', `/me/channels/${spare.body.id}`)).status, 204);
    assert.equal((await call(users.coordinator, 'DELETE', `/me/channels/${spare.body.id}`)).status, 404);
  });

  it("lets a coordinator manage a contact's channels in their scope, and no one else", async () => {
    const body = {
      owner: { kind: 'actor', id: ids.ana },
      kind: 'sms',
      address: '+573001234567',
      position: 0,
      enabled: true,
    };
    const added = await call(users.coordinator, 'POST', '/channels', body);
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const listed = await call(users.coordinator, 'GET', `/channels?owner=actor:${ids.ana}`);
    assert.deepEqual(
      listed.body.items.map((c: Json) => c.id),
      [added.body.id],
    );

    assert.equal((await call(users.caseWorker, 'POST', '/channels', body)).body.error.code, 'not_permitted');
    const outside = await call(users.outsider, 'GET', `/channels?owner=actor:${ids.ana}`);
    assert.equal(outside.status, 403);
    assert.equal(outside.body.error.code, 'forbidden');
    assert.equal((await call(users.outsider, 'DELETE', `/channels/${added.body.id}`)).status, 403);

    const changed = await call(users.coordinator, 'PUT', `/channels/${added.body.id}`, {
      kind: 'sms',
      address: '+573001234568',
      position: 2,
      enabled: false,
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.address, '+573001234568');
    assert.equal((await call(users.coordinator, 'DELETE', `/channels/${added.body.id}`)).status, 204);
    assert.equal((await call(users.coordinator, 'GET', `/channels?owner=actor:${ids.ana}`)).body.items.length, 0);
  });

  it('tells what this installation can send on', async () => {
    const kinds = await call(users.caseWorker, 'GET', '/channels/kinds');
    assert.equal(kinds.status, 200);
    assert.deepEqual([...kinds.body.sendable].sort(), ['email', 'in_app', 'webhook'], 'no SMS provider is configured');
  });
});

describe('escalation ladders', () => {
  it('refuses invalid ladders with the field at fault, and changes nothing', async () => {
    const attempts: [Json, string][] = [
      [{ name: 'Empty', scope: { kind: 'network' }, steps: [] }, 'steps'],
      [
        {
          name: 'Loops forward',
          scope: { kind: 'network' },
          steps: [
            { kind: 'notify', targets: [{ kind: 'on_duty' }] },
            { kind: 'repeat', fromStep: 3, times: 2 },
          ],
        },
        'steps.1.fromStep',
      ],
      [
        {
          name: 'Nobody known',
          scope: { kind: 'network' },
          steps: [{ kind: 'notify', targets: [{ kind: 'user', userId: randomUUID() }] }],
        },
        'steps.0.targets.0',
      ],
      [{ name: 'Too long a wait', scope: { kind: 'network' }, steps: [{ kind: 'wait', minutes: 100_000 }] }, 'steps.0'],
    ];
    for (const [body, field] of attempts) {
      const response = await call(users.coordinator, 'POST', '/ladders', body);
      assert.equal(response.status, 400, `${body.name}: ${JSON.stringify(response.body)}`);
      assert.ok(response.body.error.field?.startsWith(field), `${body.name}: ${response.body.error.field}`);
    }
    assert.equal((await call(users.coordinator, 'GET', '/ladders')).body.ladders.length, 0);
  });

  it('warns before any alert about people a step cannot reach, and an empty duty roster', async () => {
    const created = await call(users.coordinator, 'POST', '/ladders', {
      name: "Ana's ladder",
      scope: { kind: 'actor', actorId: ids.ana },
      steps: [
        { kind: 'notify', targets: [{ kind: 'user', userId: users.unreachable.account.id }] },
        ...steps().slice(1),
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    ids.ladder = created.body.ladder.id;
    assert.deepEqual(
      created.body.warnings.map((w: Json) => [w.step, w.recipient?.id ?? null, w.problem]),
      [
        [0, users.unreachable.account.id, 'no_channel'],
        [2, null, 'nobody_on_duty'],
      ],
    );
    const overview = await call(users.caseWorker, 'GET', '/ladders');
    assert.equal(overview.status, 200);
    assert.equal(overview.body.networkLadder, false);
    assert.equal(overview.body.ladders[0].warnings.length, 2, 'the dashboard shows the same warnings');
    assert.equal((await call(users.outsider, 'GET', `/ladders/${ids.ladder}`)).status, 403);
    assert.equal((await call(users.coordinator, 'GET', `/ladders/${randomUUID()}`)).status, 404);
    assert.equal((await call(users.caseWorker, 'DELETE', `/ladders/${ids.ladder}`)).body.error.code, 'not_permitted');
  });

  it('changes with the version read, and a second ladder for the same scope is refused', async () => {
    const body = { name: "Ana's ladder", scope: { kind: 'actor', actorId: ids.ana }, steps: steps() };
    const stale = await call(users.coordinator, 'PUT', `/ladders/${ids.ladder}`, { ...body, version: 7 });
    assert.equal(stale.status, 409);
    const changed = await call(users.coordinator, 'PUT', `/ladders/${ids.ladder}`, { ...body, version: 1 });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.ladder.version, 2);
    assert.deepEqual(
      changed.body.warnings.map((w: Json) => w.problem),
      ['nobody_on_duty'],
    );
    assert.equal((await call(users.coordinator, 'POST', '/ladders', body)).status, 409);
  });
});

describe('duty roster', () => {
  it('puts people on duty, names them, and the on-duty warning goes away', async () => {
    const now = Date.now();
    const backwards = await call(users.coordinator, 'POST', '/duty-shifts', {
      userId: users.coordinator.account.id,
      startsAt: new Date(now + 3_600_000).toISOString(),
      endsAt: new Date(now).toISOString(),
    });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.field, 'endsAt');

    const shift = await call(users.coordinator, 'POST', '/duty-shifts', {
      userId: users.coordinator.account.id,
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 8 * 3_600_000).toISOString(),
    });
    assert.equal(shift.status, 201, JSON.stringify(shift.body));
    assert.equal(shift.body.username, users.coordinator.username);
    const later = await call(users.coordinator, 'POST', '/duty-shifts', {
      userId: users.caseWorker.account.id,
      startsAt: new Date(now + 8 * 3_600_000).toISOString(),
      endsAt: new Date(now + 16 * 3_600_000).toISOString(),
    });
    assert.equal(later.status, 201);

    const roster = await call(users.caseWorker, 'GET', '/duty-shifts');
    assert.deepEqual(
      roster.body.items.map((s: Json) => s.username),
      [users.coordinator.username, users.caseWorker.username],
    );
    assert.deepEqual((await call(users.coordinator, 'GET', `/ladders/${ids.ladder}`)).body.warnings, []);

    assert.equal((await call(users.coordinator, 'DELETE', `/duty-shifts/${later.body.id}`)).status, 204);
    assert.equal((await call(users.coordinator, 'DELETE', `/duty-shifts/${later.body.id}`)).status, 404);
  });
});

describe('alerts', () => {
  let alert: Json;

  it('raises an alert that notifies the first step by e-mail and webhook, with every step on its timeline', async () => {
    alert = await raise(users.coordinator, { severity: 'critical', message: 'Detained near the square' });
    assert.equal(alert.status, 'open');
    assert.equal(alert.source, 'coordinator');
    assert.equal(alert.ladder.ladderId, ids.ladder);

    const mail = (await inbox.waitFor((all) => all.some((m) => m.alertId === alert.id), 15_000)).find(
      (m) => m.alertId === alert.id,
    );
    assert.deepEqual(mail?.envelope.to, ['coordinator@amparo.test']);
    const posted = (await hook.waitFor((all) => all.some((m) => m.json?.alertId === alert.id), 15_000)).find(
      (m) => m.json?.alertId === alert.id,
    );
    assert.ok(posted?.signatureValid, 'the webhook is signed');
    assert.ok(String(posted?.json?.ackUrl).startsWith(`${PUBLIC_URL}/ack/`));

    const read = await eventually(async () => {
      const body = await detail(alert.id);
      return body.deliveries.every((d: Json) => d.status === 'sent' || d.status === 'delivered') ? body : null;
    }, 'both deliveries to finish');
    const kinds = read.timeline.map((e: Json) => e.kind);
    for (const kind of ['raised', 'step_started', 'notified', 'waiting']) assert.ok(kinds.includes(kind), kind);
    assert.ok(kinds.includes('attempt_sent') || kinds.includes('attempt_delivered'), kinds.join(','));
    assert.equal(read.deliveries.length, 2);
    assert.deepEqual(
      read.responders.map((r: Json) => r.recipient.id).sort(),
      [users.coordinator.account.id, users.caseWorker.account.id].sort(),
    );
    assert.equal(read.alert.message, 'Detained near the square');
  });

  it('lists open alerts newest first, by status and in pages', async () => {
    const second = await raise(users.caseWorker);
    const open = await call(users.caseWorker, 'GET', '/alerts');
    assert.equal(open.status, 200);
    assert.deepEqual(
      open.body.items.map((a: Json) => a.id),
      [second.id, alert.id],
    );
    const page = await call(users.caseWorker, 'GET', `/alerts?limit=1&before=${second.id}`);
    assert.deepEqual(
      page.body.items.map((a: Json) => a.id),
      [alert.id],
    );
    assert.deepEqual((await call(users.caseWorker, 'GET', '/alerts?status=resolved')).body.items, []);
    assert.equal((await call(users.caseWorker, 'GET', '/alerts?status=closed')).status, 400);
    assert.equal((await call(users.caseWorker, 'GET', '/alerts?limit=101')).status, 400);
  });

  it('is taken once: a second responder learns it was taken already, and the others are told', async () => {
    const taken = await call(users.coordinator, 'POST', `/alerts/${alert.id}/acknowledge`);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.equal(taken.body.already, false);
    assert.equal(taken.body.alert.status, 'acknowledged');
    assert.equal(taken.body.alert.acknowledgedBy, `user:${users.coordinator.account.id}`);

    const again = await call(users.caseWorker, 'POST', `/alerts/${alert.id}/acknowledge`);
    assert.equal(again.status, 200);
    assert.equal(again.body.already, true);
    assert.equal(again.body.alert.acknowledgedBy, `user:${users.coordinator.account.id}`);

    const notice = await hook.waitFor(
      (all) => all.some((m) => m.json?.alertId === alert.id && m.json?.purpose === 'acknowledged'),
      15_000,
    );
    assert.ok(notice.length > 0, 'the case worker hears who took it');
    assert.ok((await detail(alert.id)).timeline.some((e: Json) => e.kind === 'acknowledged'));

    // The case worker, who may not read the account directory, sees who took it by name.
    assert.equal((await call(users.caseWorker, 'GET', '/directory')).status, 403);
    const seen = await call(users.caseWorker, 'GET', `/alerts/${alert.id}`);
    assert.equal(seen.status, 200);
    const coordinator = users.coordinator.account;
    assert.ok(
      seen.body.accounts.some((a: Json) => a.id === coordinator.id && a.username === coordinator.username),
      JSON.stringify(seen.body.accounts),
    );
  });

  it('is resolved only with a note', async () => {
    const empty = await call(users.caseWorker, 'POST', `/alerts/${alert.id}/resolve`, { note: '  ' });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.field, 'note');
    assert.equal((await detail(alert.id)).alert.status, 'acknowledged', 'nothing changed');

    const resolved = await call(users.caseWorker, 'POST', `/alerts/${alert.id}/resolve`, {
      note: 'She is safe at home',
    });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    assert.equal(resolved.body.status, 'resolved');
    assert.equal(resolved.body.resolutionNote, 'She is safe at home');
    assert.equal((await call(users.caseWorker, 'POST', `/alerts/${alert.id}/resolve`, { note: 'Again' })).status, 409);
    const listed = await call(users.caseWorker, 'GET', '/alerts?status=resolved');
    assert.deepEqual(
      listed.body.items.map((a: Json) => a.id),
      [alert.id],
    );
  });

  it('is out of reach for someone outside the team of the person in danger (403), and unknown ids are 404', async () => {
    assert.equal((await call(users.outsider, 'GET', `/alerts/${alert.id}`)).body.error.code, 'forbidden');
    assert.equal((await call(users.outsider, 'POST', `/alerts/${alert.id}/acknowledge`)).status, 403);
    assert.equal((await call(users.outsider, 'POST', '/alerts', { actorId: ids.ana, severity: 'high' })).status, 403);
    assert.deepEqual((await call(users.outsider, 'GET', '/alerts?status=open,acknowledged,resolved')).body.items, []);
    assert.equal((await call(users.coordinator, 'GET', `/alerts/${randomUUID()}`)).status, 404);
    assert.equal(
      (await call(users.coordinator, 'POST', '/alerts', { actorId: randomUUID(), severity: 'high' })).status,
      404,
    );
  });
});

describe('check-ins and safety credentials', () => {
  it('sets up, lists and ends check-ins, refusing an incomplete one with its field', async () => {
    const missing = await call(users.caseWorker, 'POST', `/actors/${ids.ana}/check-ins`, {
      kind: 'recurring',
      everyHours: null,
      dueAt: null,
      graceMinutes: 30,
      note: null,
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.field, 'everyHours');

    const recurring = await call(users.caseWorker, 'POST', `/actors/${ids.ana}/check-ins`, {
      kind: 'recurring',
      everyHours: 12,
      dueAt: null,
      graceMinutes: 30,
      note: 'Radio station shifts',
    });
    assert.equal(recurring.status, 201, JSON.stringify(recurring.body));
    assert.equal(recurring.body.status, 'active');
    const trip = await call(users.caseWorker, 'POST', `/actors/${ids.ana}/check-ins`, {
      kind: 'one_off',
      everyHours: null,
      dueAt: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      graceMinutes: 15,
      note: null,
    });
    assert.equal(trip.status, 201);

    const listed = await call(users.caseWorker, 'GET', `/actors/${ids.ana}/check-ins`);
    assert.deepEqual(
      listed.body.items.map((c: Json) => c.id),
      [trip.body.id, recurring.body.id],
      'soonest due first',
    );
    const ended = await call(users.caseWorker, 'POST', `/check-ins/${trip.body.id}/end`);
    assert.equal(ended.status, 200);
    assert.equal(ended.body.status, 'ended');
    assert.equal((await call(users.outsider, 'GET', `/actors/${ids.ana}/check-ins`)).status, 403);
    assert.equal((await call(users.caseWorker, 'POST', `/check-ins/${randomUUID()}/end`)).status, 404);
  });

  it('issues a personal link and code shown once, and sets two different PINs', async () => {
    assert.deepEqual((await call(users.caseWorker, 'GET', `/actors/${ids.ana}/safety`)).body, {
      link: false,
      pins: false,
      updatedAt: null,
    });
    const response = await amparo.app.inject({
      method: 'POST',
      url: `/api/v1/actors/${ids.ana}/safety/link`,
      headers: users.caseWorker.headers,
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    const { url, code } = response.json() as Json;
    assert.match(url, /^http:\/\/amparo\.test\/s\/[A-Za-z0-9_-]{20,}$/);
    assert.match(code, /^\d{8}$/);

    const same = await call(users.caseWorker, 'PUT', `/actors/${ids.ana}/safety/pins`, {
      pin: '2580',
      duressPin: '2580',
    });
    assert.equal(same.status, 400);
    assert.equal(same.body.error.field, 'duressPin');
    const short = await call(users.caseWorker, 'PUT', `/actors/${ids.ana}/safety/pins`, {
      pin: '12',
      duressPin: '9876',
    });
    assert.equal(short.status, 400);
    assert.equal(short.body.error.field, 'pin');
    assert.equal(
      (await call(users.caseWorker, 'PUT', `/actors/${ids.ana}/safety/pins`, { pin: '2580', duressPin: '1397' }))
        .status,
      204,
    );
    const status = await call(users.caseWorker, 'GET', `/actors/${ids.ana}/safety`);
    assert.equal(status.body.link, true);
    assert.equal(status.body.pins, true);
    assert.ok(!JSON.stringify(status.body).includes(code), 'never the secrets');
    assert.equal((await call(users.outsider, 'POST', `/actors/${ids.ana}/safety/link`)).status, 403);
  });
});

describe('inbound replies', () => {
  it('takes an alert with "ACK <code>" only when signed, and raises an SOS with "SOS <code>"', async () => {
    const alert = await raise(users.coordinator);
    const posted = (await hook.waitFor((all) => all.some((m) => m.json?.alertId === alert.id), 15_000)).find(
      (m) => m.json?.alertId === alert.id,
    );
    const replyCode = String(posted?.json?.replyCode);
    assert.match(replyCode, /^\d{6,12}$/);

    const unsigned = await amparo.app.inject({
      method: 'POST',
      url: '/api/v1/inbound/reply',
      payload: { text: `ACK ${replyCode}` },
    });
    assert.equal(unsigned.statusCode, 401);
    assert.equal(
      (await inbound(signedReply(`ACK ${replyCode}`, 'another-secret-of-at-least-32-characters'))).status,
      401,
    );
    const tampered = signedReply(`ACK ${replyCode}`);
    assert.equal((await inbound({ ...tampered, body: tampered.body.replace('ACK', 'SOS') })).status, 401);
    assert.equal((await detail(alert.id)).alert.status, 'open', 'nothing happened');

    const taken = await inbound(signedReply(`ack ${replyCode}\n\n> ${posted?.json?.text}`));
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
    assert.deepEqual(taken.body, { done: 'acknowledged' });
    const read = await detail(alert.id);
    assert.equal(read.alert.acknowledgedBy, `user:${users.caseWorker.account.id}`, 'taken as the one who replied');
    assert.deepEqual((await inbound(signedReply(`ACK ${replyCode}`))).body, { done: 'already' });

    const unknown = await inbound(signedReply('ACK 00000000'));
    assert.equal(unknown.status, 404);
    const garbled = await inbound(signedReply('on my way'));
    assert.equal(garbled.status, 400);
    assert.equal(garbled.body.error.field, 'text');

    const link = await call(users.caseWorker, 'POST', `/actors/${ids.ana}/safety/link`);
    const before = (await call(users.coordinator, 'GET', '/alerts')).body.items.length;
    assert.deepEqual((await inbound(signedReply(`SOS ${link.body.code}`))).body, { done: 'sos' });
    const after = (await call(users.coordinator, 'GET', '/alerts')).body.items;
    assert.equal(after.length, before + 1);
    assert.equal(after[0].source, 'sos');
    assert.equal(after[0].severity, 'critical');
  });
});

describe('live feed (server-sent events)', () => {
  it('streams an event for a change to an alert in reach, and nothing to someone out of reach', async () => {
    const address = await amparo.app.listen({ port: 0, host: '127.0.0.1' });
    const open = async (user: TestUser) => {
      const controller = new AbortController();
      const response = await fetch(`${address}/api/v1/alerts/events`, {
        headers: { cookie: user.headers.cookie },
        signal: controller.signal,
      });
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /^text\/event-stream/);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let received = '';
      const decoder = new TextDecoder();
      const pump = (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            received += decoder.decode(value, { stream: true });
          }
        } catch {
          // Aborted by the test.
        }
      })();
      return {
        text: () => received,
        async close() {
          controller.abort();
          await pump;
        },
      };
    };
    const coordinatorStream = await open(users.coordinator);
    const outsiderStream = await open(users.outsider);
    try {
      const alert = await raise(users.caseWorker);
      await eventually(
        async () => (coordinatorStream.text().includes(`"alertId":"${alert.id}"`) ? true : null),
        'the event on the stream',
      );
      const frame = coordinatorStream
        .text()
        .split('\n\n')
        .find((f) => f.includes(alert.id)) as string;
      assert.match(frame, /^event: alert\ndata: \{"alertId":"[0-9a-f-]{36}","kind":"[a-z_]+","at":"[^"]+"\}$/);
      // One more look of the poller: the outsider's stream still has nothing of Ana's alerts.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.ok(!outsiderStream.text().includes('event: alert'), outsiderStream.text());
    } finally {
      await coordinatorStream.close();
      await outsiderStream.close();
    }
  });
});
