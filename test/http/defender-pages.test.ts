/**
 * The defender's pages without JavaScript (/s/<token>, /sos) and the responders' acknowledgement page
 * (/ack/<token>), on the real stores with the job workers running and a real webhook receiver: what
 * they weigh over the wire, their languages, SOS, check-in with the PIN and the duress PIN, "going
 * somewhere", wrong PINs and codes, unknown links, and the secrets kept out of the server's log.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { ackQuestionPage, codePage } from '../../src/http/defender-pages/templates.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { callApi, type Json } from '../support/api.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/receivers.ts';

const WEBHOOK_SECRET = 'defender-pages-test-secret-of-at-least-32-characters';
const PIN = '2580';
const DURESS_PIN = '1397';
const system = { principal: 'system:test', source: null };

let amparo: Amparo;
let hook: WebhookReceiver;
const logLines: string[] = [];
let coordinator: TestUser;
let caseWorker: TestUser;
/** A defender's personal link (token and code), as staff hand it over. */
interface Link {
  actorId: string;
  token: string;
  code: string;
}
let ana: Link;
let beto: Link;

const api = (user: TestUser, method: string, url: string, payload?: unknown) =>
  callApi(amparo, user, method, `/api/v1${url}`, payload);

const page = async (
  method: 'GET' | 'POST',
  url: string,
  form?: Record<string, string>,
  headers: Record<string, string> = {},
) => {
  const response = await amparo.app.inject({
    method,
    url,
    headers: { ...headers, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
  return { status: response.statusCode, headers: response.headers, body: response.body };
};

const alertsOf = async (actorId: string): Promise<Json[]> =>
  (await api(coordinator, 'GET', '/alerts?status=open,acknowledged,resolved&limit=100')).body.items.filter(
    (a: Json) => a.actorId === actorId,
  );

const checkInsOf = async (actorId: string): Promise<Json[]> =>
  (await api(coordinator, 'GET', `/actors/${actorId}/check-ins`)).body.items;

/** A defender in team A with a personal link, PINs and a daily check-in. */
async function defender(name: string): Promise<Link> {
  const actorId = (await amparo.registry.createActor({ kind: 'individual', profile: { name }, teamIds: [teamA] })).id;
  const link = await api(caseWorker, 'POST', `/actors/${actorId}/safety/link`);
  assert.equal(link.status, 200, JSON.stringify(link.body));
  const pins = await api(caseWorker, 'PUT', `/actors/${actorId}/safety/pins`, { pin: PIN, duressPin: DURESS_PIN });
  assert.equal(pins.status, 204);
  const daily = await api(caseWorker, 'POST', `/actors/${actorId}/check-ins`, {
    kind: 'recurring',
    everyHours: 24,
    dueAt: null,
    graceMinutes: 60,
    note: null,
  });
  assert.equal(daily.status, 201);
  return { actorId, token: String(link.body.url).split('/s/')[1] as string, code: link.body.code };
}

/** Each input and text area has a label naming it. */
function assertLabelled(html: string): void {
  const fields = [...html.matchAll(/<(?:input|textarea)[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(fields.length > 0);
  for (const id of fields) assert.ok(html.includes(`<label for="${id}">`), `a label for ${id}`);
}

/** A check-in page with its times blanked, to compare two of them. */
const withoutTimes = (html: string) => html.replace(/\d+/g, '#');

let teamA: string;

before(async () => {
  hook = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  amparo = await createAmparo(
    {
      dataDir: 'memory://',
      databaseUrl: undefined,
      webRoot: 'dist/web',
      logLevel: 'info',
      webhookSecret: WEBHOOK_SECRET,
      // The webhook receiver listens on 127.0.0.1.
      webhookPrivateNetworks: 'allow',
    },
    {
      publicUrl: 'http://amparo.test',
      workers: { pollingIntervalSeconds: 0.5, auditIntervalMs: 2000 },
      logStream: { write: (line) => void logLines.push(line) },
    },
  );
  teamA = (await amparo.accounts.createTeam('Pages A', system)).id;
  coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teamA] });
  caseWorker = await makeUser(amparo.accounts, 'case_worker', { teamIds: [teamA] });
  ana = await defender('Ana');
  beto = await defender('Beto');
});
after(async () => {
  await amparo?.close();
  await hook?.close();
});

describe("the defender's page", () => {
  it('has no script, a label for every input, strict headers, and weighs at most 30 KB over the wire', async () => {
    const response = await page('GET', `/s/${ana.token}`);
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.ok(!/<script/i.test(response.body), 'no JavaScript at all');
    assert.ok(!/(src|href)="https?:/i.test(response.body), 'no external assets');
    assert.ok(response.body.includes(`action="/s/${ana.token}/sos?lang=en"`));
    assert.ok(response.body.includes(`action="/s/${ana.token}/check-in?lang=en"`));
    assert.ok(response.body.includes(`action="/s/${ana.token}/trip?lang=en"`));
    assertLabelled(response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    const css = /<style>([^<]*)<\/style>/.exec(response.body)?.[1] as string;
    const hash = createHash('sha256').update(css).digest('base64');
    assert.equal(
      response.headers['content-security-policy'],
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );

    // Everything that crosses the wire: status line, headers and body.
    const address = await amparo.app.listen({ port: 0, host: '127.0.0.1' });
    const { hostname, port } = new URL(address);
    const bytes = await new Promise<number>((resolve, reject) => {
      let total = 0;
      const socket = connect(Number(port), hostname, () =>
        socket.write(`GET /s/${ana.token} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
      );
      socket.on('data', (chunk: Buffer) => {
        total += chunk.length;
      });
      socket.on('end', () => resolve(total));
      socket.on('error', reject);
    });
    assert.ok(bytes > Buffer.byteLength(response.body), 'the whole response was counted');
    assert.ok(bytes <= 30 * 1024, `${bytes} bytes`);
  });

  it('speaks the language asked for, else the browser’s, with Arabic right to left', async () => {
    const arabic = await page('GET', `/s/${ana.token}?lang=ar`);
    assert.match(arabic.body, /^<!doctype html><html lang="ar" dir="rtl">/);
    assert.ok(arabic.body.includes('استغاثة'));
    assert.ok(arabic.body.includes(`action="/s/${ana.token}/sos?lang=ar"`), 'the language follows the forms');
    const french = await page('GET', `/s/${ana.token}`, undefined, {
      'accept-language': 'de-DE, fr-CA;q=0.8, es;q=0.5',
    });
    assert.match(french.body, /<html lang="fr" dir="ltr">/);
    const spanish = await page('GET', `/s/${ana.token}?lang=xx`, undefined, { 'accept-language': 'es-CO' });
    assert.match(spanish.body, /<html lang="es" dir="ltr">/);
    assert.match((await page('GET', `/s/${ana.token}`)).body, /<html lang="en" dir="ltr">/);
  });

  it('raises an SOS with one button, with the optional message', async () => {
    const before = (await alertsOf(ana.actorId)).length;
    const response = await page('POST', `/s/${ana.token}/sos?lang=es`, { message: 'Me siguen <dos motos>' });
    assert.equal(response.status, 200);
    assert.ok(response.body.includes('Se está alertando'));
    const alerts = await alertsOf(ana.actorId);
    assert.equal(alerts.length, before + 1);
    assert.equal(alerts[0]?.source, 'sos');
    assert.equal(alerts[0]?.severity, 'critical');
    assert.equal(alerts[0]?.message, 'Me siguen <dos motos>');
  });

  it('gives the same page for the PIN and the duress PIN, and only the duress PIN raises a (silent) alert', async () => {
    const before = await alertsOf(ana.actorId);
    const normal = await page('POST', `/s/${ana.token}/check-in`, { pin: PIN });
    assert.equal(normal.status, 200);
    assert.match(normal.body, /Checked in at/);
    assert.deepEqual(await alertsOf(ana.actorId), before, 'the PIN raises nothing');
    const [daily] = await checkInsOf(ana.actorId);
    assert.ok(daily?.lastCheckInAt, 'the check-in was recorded');

    const duress = await page('POST', `/s/${ana.token}/check-in`, { pin: DURESS_PIN });
    assert.equal(duress.status, normal.status);
    assert.deepEqual(duress.headers['content-type'], normal.headers['content-type']);
    assert.equal(withoutTimes(duress.body), withoutTimes(normal.body));
    const after = await alertsOf(ana.actorId);
    assert.equal(after.length, before.length + 1);
    assert.equal(after[0]?.source, 'duress');
    assert.equal(after[0]?.silent, true);
  });

  it('shows the form again on a wrong PIN and changes nothing; repeated wrong PINs lock the link for a while', async () => {
    const alertsBefore = await alertsOf(beto.actorId);
    const checkInsBefore = await checkInsOf(beto.actorId);
    const wrong = await page('POST', `/s/${beto.token}/check-in?lang=fr`, { pin: '4711' });
    assert.equal(wrong.status, 400);
    assert.ok(wrong.body.includes('Ce code PIN n’est pas correct.'));
    assert.ok(wrong.body.includes(`action="/s/${beto.token}/check-in?lang=fr"`));
    assert.ok(!wrong.body.includes('4711'), 'the PIN typed is not shown again');
    assert.deepEqual(await alertsOf(beto.actorId), alertsBefore);
    assert.deepEqual(await checkInsOf(beto.actorId), checkInsBefore);

    for (let attempt = 0; attempt < 4; attempt++) {
      assert.equal((await page('POST', `/s/${beto.token}/check-in`, { pin: `99${attempt}9` })).status, 400);
    }
    const locked = await page('POST', `/s/${beto.token}/check-in`, { pin: PIN });
    assert.equal(locked.status, 429, 'even the right PIN waits');
    assert.ok(locked.body.includes('Too many attempts'));
    const lockedDuress = await page('POST', `/s/${beto.token}/check-in`, { pin: DURESS_PIN });
    assert.equal(withoutTimes(lockedDuress.body), withoutTimes(locked.body), 'and tells nothing about which PIN');
    assert.deepEqual(await checkInsOf(beto.actorId), checkInsBefore);
    assert.deepEqual(await alertsOf(beto.actorId), alertsBefore);
  });

  it('records "going somewhere" as a one-off check-in, and refuses a trip of no length', async () => {
    const none = await page('POST', `/s/${ana.token}/trip`, { hours: '0', minutes: '0', grace: '20', note: '' });
    assert.equal(none.status, 400);
    assert.ok(none.body.includes('Say how long you will be away'));

    const started = Date.now();
    const trip = await page('POST', `/s/${ana.token}/trip?lang=ar`, {
      hours: '2',
      minutes: '30',
      grace: '20',
      note: 'Hearing at the court',
    });
    assert.equal(trip.status, 200);
    assert.ok(trip.body.includes('نتوقع عودتك'));
    const oneOff = (await checkInsOf(ana.actorId)).find((c) => c.kind === 'one_off');
    assert.ok(oneOff, 'a one-off check-in');
    assert.equal(oneOff.graceMinutes, 20);
    assert.equal(oneOff.note, 'Hearing at the court');
    const dueIn = Date.parse(oneOff.dueAt) - started;
    assert.ok(Math.abs(dueIn - 150 * 60_000) < 60_000, `due in ${dueIn} ms`);
  });

  it('answers an unknown link with a generic 404 page that does not repeat it', async () => {
    const token = `sos${randomBytes(32).toString('base64url')}`;
    for (const [method, path] of [
      ['GET', `/s/${token}`],
      ['POST', `/s/${token}/check-in`],
      ['POST', `/s/${token}/sos`],
      ['GET', `/ack/${token}`],
    ] as const) {
      const response = await page(method, path, method === 'POST' ? { pin: PIN } : undefined);
      assert.equal(response.status, 404, path);
      assert.ok(response.body.includes('This link is not valid.'));
      assert.ok(!response.body.includes(token), 'the token is not echoed');
      assert.ok(!/<script/i.test(response.body));
    }
  });
});

describe('the short-code SOS form', () => {
  it('raises an SOS with the code, and refuses an unknown code without raising anything', async () => {
    const form = await page('GET', '/sos?lang=fr');
    assert.equal(form.status, 200);
    assertLabelled(form.body);
    assert.ok(!/<script/i.test(form.body));

    const before = (await alertsOf(beto.actorId)).length;
    const wrong = await page('POST', '/sos', { code: '00000000', message: 'Help' });
    assert.equal(wrong.status, 404);
    assert.ok(wrong.body.includes('That code is not recognised.'));
    assert.ok(wrong.body.includes('>Help</textarea>'), 'the message is kept for another try');
    assert.equal((await alertsOf(beto.actorId)).length, before);

    const spaced = `${beto.code.slice(0, 4)} ${beto.code.slice(4)}`;
    const sent = await page('POST', '/sos', { code: spaced, message: '' });
    assert.equal(sent.status, 200, sent.body);
    assert.ok(sent.body.includes('Help is being alerted.'));
    const alerts = await alertsOf(beto.actorId);
    assert.equal(alerts.length, before + 1);
    assert.equal(alerts[0]?.source, 'sos');
    assert.equal(alerts[0]?.message, null);
  });
});

describe("a responder's acknowledgement link", () => {
  it('asks on GET (changing nothing), takes the alert on POST, and then says who took it', async () => {
    const channel = await api(caseWorker, 'POST', '/me/channels', {
      kind: 'webhook',
      address: hook.url,
      position: 0,
      enabled: true,
    });
    assert.equal(channel.status, 201);
    const ladder = await api(coordinator, 'POST', '/ladders', {
      name: 'Network',
      scope: { kind: 'network' },
      steps: [{ kind: 'notify', targets: [{ kind: 'user', userId: caseWorker.account.id }] }],
    });
    assert.equal(ladder.status, 201, JSON.stringify(ladder.body));
    const raised = await api(coordinator, 'POST', '/alerts', { actorId: ana.actorId, severity: 'high' });
    assert.equal(raised.status, 201);
    const posted = (await hook.waitFor((all) => all.some((m) => m.json?.alertId === raised.body.id), 15_000)).find(
      (m) => m.json?.alertId === raised.body.id,
    );
    const ackPath = new URL(String(posted?.json?.ackUrl)).pathname;

    const question = await page('GET', `${ackPath}?lang=es`);
    assert.equal(question.status, 200);
    assert.ok(question.body.includes('¿Te encargas de la alerta de Ana?'), question.body);
    assert.ok(question.body.includes(`<form method="post" action="${ackPath}?lang=es">`));
    assert.ok(!/<script/i.test(question.body));
    assert.equal((await alertsOf(ana.actorId)).find((a) => a.id === raised.body.id)?.status, 'open');

    const taken = await page('POST', ackPath);
    assert.equal(taken.status, 200);
    assert.ok(taken.body.includes('You took it. Others were told.'));
    const alert = (await alertsOf(ana.actorId)).find((a) => a.id === raised.body.id);
    assert.equal(alert?.acknowledgedBy, `user:${caseWorker.account.id}`);

    const again = await page('POST', ackPath);
    assert.ok(again.body.includes(`Already taken by ${caseWorker.username}.`));
    const later = await page('GET', ackPath);
    assert.ok(later.body.includes(`Already taken by ${caseWorker.username}.`), 'GET shows it without a form');
    assert.ok(!later.body.includes('<form'));
  });
});

describe('the page templates', () => {
  it('escape every value they are given', () => {
    const hostile = '<script>alert("x")</script>&\'';
    const html =
      ackQuestionPage({ lang: 'en', home: '/ack/t' }, { token: 'a"b<c', what: 'SOS', name: hostile }) +
      codePage({ lang: 'ar', home: '/sos' }, { message: hostile });
    assert.ok(!html.includes('<script'), html);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;'));
    assert.ok(html.includes('action="/ack/a%22b%3Cc?lang=en"'), 'a token is encoded into its path');
  });
});

describe('the server log', () => {
  it('never holds the secrets of personal or acknowledgement links', () => {
    const log = logLines.join('');
    assert.ok(log.includes('"/s/[secret]"'), 'requests to the pages are logged, blanked');
    assert.ok(log.includes('"/ack/[secret]'), 'acknowledgement links too');
    for (const token of [ana.token, beto.token]) assert.ok(!log.includes(token), 'a personal link');
  });
});
