/**
 * The protection-case pages without JavaScript, on the real database: the public request form
 * (/help) with and without an intermediary, its errors and its rate limit; on the defender's personal
 * page, asking for help, following requests and measures in words, "I agree" / "I do not agree" on a
 * proposed measure, and the feedback questions after a measure ends or the case closes. In the four
 * languages, each page without a script, every input labelled, at most 30 KB over the wire; one
 * defender never sees nor answers for another's measures or questions; the link stays out of the log.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { scopeFor } from '../../src/core/access/scope.ts';
import type { MeasureDetails } from '../../src/core/cases/model.ts';
import type { CaseService } from '../../src/core/cases/service.ts';
import { caseSections, helpPage } from '../../src/http/defender-pages/case-templates.ts';
import { CASE_TEXTS } from '../../src/http/defender-pages/case-texts.ts';
import { homePage } from '../../src/http/defender-pages/templates.ts';
import { fill, PAGE_LANGUAGES } from '../../src/http/defender-pages/texts.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { callApi } from '../support/api.ts';

const system = { principal: 'system:test', source: null };

let amparo: Amparo;
const logLines: string[] = [];
let teamA: string;
let coordinator: TestUser;
let caseWorker: TestUser;
/** A defender with a personal link. */
interface Link {
  actorId: string;
  token: string;
}
let ana: Link;
let beto: Link;

/** The case service as a staff member of team A acts through it. */
const asStaff = (user: TestUser): CaseService =>
  amparo.cases.forContext(
    { principal: `user:${user.account.id}`, source: null },
    scopeFor(
      { userId: user.account.id, role: user.account.role, teamIds: user.account.teamIds, actorId: null },
      new Date().toISOString(),
    ),
  );

/** A form post (or a GET) from one network address; each test picks its own so rate limits stay apart. */
const page = async (
  method: 'GET' | 'POST',
  url: string,
  form?: Record<string, string>,
  options: { headers?: Record<string, string>; from?: string } = {},
) => {
  const response = await amparo.app.inject({
    method,
    url,
    remoteAddress: options.from ?? '192.0.2.1',
    headers: { ...options.headers, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { payload: new URLSearchParams(form).toString() } : {}),
  });
  return { status: response.statusCode, body: response.body };
};
let address = 0;
const newAddress = () => `198.51.100.${++address}`;

/** Where the app listens, for the measurements over a real socket. */
let listening: string;

/** Everything that crosses the wire for a GET: status line, headers and body. */
async function wireBytes(path: string): Promise<number> {
  const { hostname, port } = new URL(listening);
  return new Promise<number>((resolve, reject) => {
    let total = 0;
    const socket = connect(Number(port), hostname, () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => {
      total += chunk.length;
    });
    socket.on('end', () => resolve(total));
    socket.on('error', reject);
  });
}
/** No script, no external asset, a label for each input and text area. */
function assertPlainPage(html: string): void {
  assert.ok(!/<script/i.test(html), 'no JavaScript at all');
  assert.ok(!/(src|href)="https?:/i.test(html), 'no external assets');
  const fields = [...html.matchAll(/<(?:input|textarea)[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(fields.length > 0);
  assert.equal(new Set(fields).size, fields.length, 'ids are unique');
  for (const id of fields) assert.ok(html.includes(`<label for="${id}">`), `a label for ${id}`);
  const unnamed = [...html.matchAll(/<input(?![^>]*\sid=)[^>]*>/g)];
  assert.deepEqual(unnamed, [], 'every input has an id for its label');
}

function assertNoScript(html: string): void {
  assert.ok(!/<script/i.test(html));
}

/** The /help form as a browser sends it: every field, the optional ones empty unless given. */
const helpForm = (fields: Record<string, string>): Record<string, string> => ({
  name: '',
  contact: '',
  description: '',
  urgent: 'no',
  'by-name': '',
  'by-relationship': '',
  'by-contact': '',
  ...fields,
});

const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

async function defender(name: string): Promise<Link> {
  const actorId = (await amparo.registry.createActor({ kind: 'individual', profile: { name }, teamIds: [teamA] })).id;
  const link = await callApi(amparo, caseWorker, 'POST', `/api/v1/actors/${actorId}/safety/link`);
  assert.equal(link.status, 200, JSON.stringify(link.body));
  return { actorId, token: String(link.body.url).split('/s/')[1] as string };
}

/** The requests in the triage queue not yet looked at. */
const queue = async () => (await asStaff(coordinator).listRequests({ statuses: ['new'], limit: 500, offset: 0 })).items;

/** A case for the defender, opened by the coordinator. */
const openCase = async (who: Link, title: string) =>
  asStaff(coordinator).openCase(null, { beneficiaryId: who.actorId, title, priority: 'high' });

const LEGAL_AID: MeasureDetails = {
  kind: 'legal_aid',
  lawyer: 'Colectivo de Abogados',
  matter: 'Complaint for the threats',
};
const PSYCHOSOCIAL: MeasureDetails = { kind: 'psychosocial', provider: 'Corporación AVRE', sessions: 6 };

/** A measure for the defender, proposed by the case worker. */
const propose = (caseId: string, who: Link, description: string, details: MeasureDetails = LEGAL_AID) =>
  asStaff(caseWorker).proposeMeasure(caseId, {
    kind: details.kind,
    beneficiaryIds: [who.actorId],
    description,
    details,
  });

const measureOf = async (caseId: string, measureId: string) =>
  (await asStaff(coordinator).getCase(caseId)).measures.find((m) => m.id === measureId);

before(async () => {
  amparo = await createAmparo(
    { dataDir: 'memory://', databaseUrl: undefined, webRoot: 'dist/web', logLevel: 'info' },
    { publicUrl: 'http://amparo.test', logStream: { write: (line) => void logLines.push(line) } },
  );
  teamA = (await amparo.accounts.createTeam('Help A', system)).id;
  coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [teamA] });
  caseWorker = await makeUser(amparo.accounts, 'case_worker', { teamIds: [teamA] });
  ana = await defender('Ana');
  beto = await defender('Beto');
  listening = await amparo.app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await amparo?.close();
});

describe('the public request form (/help)', () => {
  it('is a plain, labelled, light page in each language, Arabic right to left', async () => {
    for (const lang of PAGE_LANGUAGES) {
      const form = await page('GET', `/help?lang=${lang}`);
      assert.equal(form.status, 200);
      assert.match(
        form.body,
        new RegExp(`^<!doctype html><html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`),
      );
      assert.ok(form.body.includes(CASE_TEXTS[lang].onBehalfLegend), lang);
      assert.ok(form.body.includes(`<form method="post" action="/help?lang=${lang}">`));
      assertPlainPage(form.body);
      const bytes = await wireBytes(`/help?lang=${lang}`);
      assert.ok(bytes <= 30 * 1024, `${lang}: ${bytes} bytes`);
    }
    const french = await page('GET', '/help', undefined, { headers: { 'accept-language': 'fr-CA' } });
    assert.match(french.body, /<html lang="fr" dir="ltr">/);
  });

  it('records a request from the defender themself, and the receipt gives no id', async () => {
    const before = await queue();
    const sent = await page(
      'POST',
      '/help?lang=es',
      helpForm({
        name: 'Carmen Ríos',
        contact: 'Signal +57 300 000 0000, after 6 pm',
        description: 'Amenazas por WhatsApp tras la audiencia del martes.',
        urgent: 'yes',
      }),
      { from: newAddress() },
    );
    assert.equal(sent.status, 200);
    assert.ok(sent.body.includes(CASE_TEXTS.es.receivedTitle));
    assert.ok(!UUID_ANYWHERE.test(sent.body), 'no id to keep or to be found with');
    assertNoScript(sent.body);
    const added = (await queue()).filter((r) => !before.some((b) => b.id === r.id));
    assert.equal(added.length, 1);
    const [request] = added;
    assert.equal(request?.channel, 'self_service');
    assert.equal(request?.actorId, null);
    assert.equal(request?.defenderName, 'Carmen Ríos');
    assert.equal(request?.safeContact, 'Signal +57 300 000 0000, after 6 pm');
    assert.equal(request?.statedUrgent, true);
    assert.equal(request?.intermediary, null);
    assert.equal(request?.submittedBy, 'public');
  });

  it('records a request written on the defender’s behalf, with how to reach them safely', async () => {
    const before = await queue();
    const sent = await page(
      'POST',
      '/help?lang=ar',
      helpForm({
        name: 'Omar',
        contact: 'Through his brother, mornings only',
        description: 'Detained yesterday at the checkpoint; family has no news.',
        urgent: 'no',
        'by-name': 'Layla',
        'by-relationship': 'colleague',
        'by-contact': 'layla@example.org',
      }),
      { from: newAddress() },
    );
    assert.equal(sent.status, 200);
    assert.match(sent.body, /<html lang="ar" dir="rtl">/);
    assert.ok(sent.body.includes(CASE_TEXTS.ar.receivedTitle));
    const [request] = (await queue()).filter((r) => !before.some((b) => b.id === r.id));
    assert.equal(request?.channel, 'intermediary');
    assert.deepEqual(request?.intermediary, { name: 'Layla', relationship: 'colleague', contact: 'layla@example.org' });
    assert.equal(request?.safeContact, 'Through his brother, mornings only');
    assert.equal(request?.statedUrgent, false);
  });

  it('shows the form again with the message and what was typed, and records nothing', async () => {
    const from = newAddress();
    const filled = helpForm({
      name: 'Rosa <b>',
      contact: '"Ask for Rosa"',
      description: 'Threats at the <market>',
      urgent: 'yes',
    });
    const before = (await queue()).length;
    const cases: [Record<string, string>, string, number][] = [
      [{ ...filled, description: '   ' }, CASE_TEXTS.en.descriptionMissing, 400],
      [{ ...filled, name: '' }, CASE_TEXTS.en.defenderNameMissing, 400],
      [{ ...filled, contact: '' }, CASE_TEXTS.en.safeContactMissing, 400],
      [{ ...filled, 'by-name': 'Tomás' }, CASE_TEXTS.en.intermediaryIncomplete, 400],
      [{ ...filled, description: 'x'.repeat(5001) }, CASE_TEXTS.en.textTooLong, 400],
      [{ ...filled, name: 'n'.repeat(501) }, CASE_TEXTS.en.textTooLong, 400],
    ];
    for (const [form, message, status] of cases) {
      const response = await page('POST', '/help', form, { from });
      assert.equal(response.status, status, message);
      assert.ok(response.body.includes(message), message);
      assertPlainPage(response.body);
    }
    const shown = await page('POST', '/help?lang=fr', { ...filled, description: '' }, { from });
    assert.ok(shown.body.includes(CASE_TEXTS.fr.descriptionMissing));
    assert.ok(shown.body.includes('value="Rosa &lt;b&gt;"'), 'the name, escaped');
    assert.ok(shown.body.includes('value="&quot;Ask for Rosa&quot;"'), 'the contact, escaped');
    assert.ok(shown.body.includes('id="urgent-yes" name="urgent" value="yes" checked'), 'the urgency as chosen');
    assert.equal((await queue()).length, before, 'nothing was recorded');
  });

  it('takes a limited number of requests from one address per hour', async () => {
    const from = newAddress();
    const form = helpForm({ name: 'Flood', contact: 'none', description: 'Again and again' });
    const before = (await queue()).length;
    for (let i = 0; i < 10; i++) assert.equal((await page('POST', '/help', form, { from })).status, 200);
    const refused = await page('POST', '/help', form, { from });
    assert.equal(refused.status, 429);
    assert.ok(refused.body.includes('Too many attempts'));
    assert.ok(refused.body.includes('>Again and again</textarea>'), 'what was typed is kept');
    assert.equal((await queue()).length, before + 10);
    assert.equal((await page('POST', '/help', form, { from: newAddress() })).status, 200, 'another address still can');
  });
});

describe("the defender's page: asking for help", () => {
  it('offers the form in each language and records the request as the defender’s own', async () => {
    for (const lang of PAGE_LANGUAGES) {
      const home = await page('GET', `/s/${ana.token}?lang=${lang}`);
      assert.equal(home.status, 200);
      assert.ok(home.body.includes(`<h2>${CASE_TEXTS[lang].askHeading}</h2>`), lang);
      assert.ok(home.body.includes(`action="/s/${ana.token}/request?lang=${lang}"`));
      assertPlainPage(home.body);
    }
    const before = await queue();
    const sent = await page('POST', `/s/${ana.token}/request?lang=fr`, {
      'request-description': 'Des inconnus photographient ma maison.',
      'request-contact': '',
      urgent: 'yes',
    });
    assert.equal(sent.status, 200);
    assert.ok(sent.body.includes(CASE_TEXTS.fr.ownReceivedBody));
    assert.ok(sent.body.includes(`href="/s/${ana.token}?lang=fr"`), 'the way back to the page');
    const [request] = (await queue()).filter((r) => !before.some((b) => b.id === r.id));
    assert.equal(request?.channel, 'self_service');
    assert.equal(request?.actorId, ana.actorId);
    assert.equal(request?.safeContact, null);
    assert.equal(request?.statedUrgent, true);
    assert.equal(request?.submittedBy, `defender-link:${ana.actorId}`);

    const home = await page('GET', `/s/${ana.token}?lang=fr`);
    assert.ok(home.body.includes(CASE_TEXTS.fr.requestStatus.new), 'the request, in words');
    const blank = await page('POST', `/s/${ana.token}/request`, { 'request-description': ' ', urgent: 'no' });
    assert.equal(blank.status, 400);
    assert.ok(blank.body.includes(CASE_TEXTS.en.descriptionMissing));
  });

  it('takes a limited number of requests from one link per hour, whatever the address', async () => {
    const caro = await defender('Caro');
    const form = { 'request-description': 'Someone follows me home', 'request-contact': '', urgent: 'no' };
    for (let i = 0; i < 10; i++) {
      assert.equal((await page('POST', `/s/${caro.token}/request`, form, { from: newAddress() })).status, 200);
    }
    const refused = await page('POST', `/s/${caro.token}/request`, form, { from: newAddress() });
    assert.equal(refused.status, 429);
    assert.ok(refused.body.includes('Too many attempts'));
    assert.ok(refused.body.includes('>Someone follows me home</textarea>'), 'what was typed is kept');
    const own = (await queue()).filter((r) => r.actorId === caro.actorId);
    assert.equal(own.length, 10);
  });

  it('answers an unknown link with the generic 404 page, for every form', async () => {
    const token = 'sosnotalinkatall0000000000000000000000000000';
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [path, form] of [
      [`/s/${token}/request`, { 'request-description': 'x', urgent: 'no' }],
      [`/s/${token}/measures/${id}/agreement`, { answer: 'agreed' }],
      [`/s/${token}/feedback/${id}`, { useful: 'yes', increasedRisk: 'no' }],
    ] as const) {
      const response = await page('POST', path, form);
      assert.equal(response.status, 404, path);
      assert.ok(response.body.includes('This link is not valid.'));
      assert.ok(!response.body.includes(token));
    }
  });
});

describe("the defender's page: measures and feedback", () => {
  let caseId: string;
  let legalAid: string;
  let support: string;

  before(async () => {
    caseId = (await openCase(ana, 'Threats after the hearing')).id;
    legalAid = (await propose(caseId, ana, 'A lawyer files a complaint for the threats and follows it.')).id;
    support = (await propose(caseId, ana, 'Six sessions with a psychologist you choose.', PSYCHOSOCIAL)).id;
  });

  it('shows each proposed measure with "I agree" and "I do not agree", in each language', async () => {
    for (const lang of PAGE_LANGUAGES) {
      const home = await page('GET', `/s/${ana.token}?lang=${lang}`);
      const t = CASE_TEXTS[lang];
      assert.ok(home.body.includes(`<h2>${t.followHeading}</h2>`));
      assert.ok(home.body.includes(`${t.measureKind.legal_aid}: ${t.awaitingYou}`));
      assert.ok(home.body.includes('A lawyer files a complaint for the threats and follows it.'));
      for (const id of [legalAid, support]) {
        assert.ok(home.body.includes(`action="/s/${ana.token}/measures/${id}/agreement?lang=${lang}"`));
      }
      assert.ok(home.body.includes(`name="answer" value="agreed">${t.agree}</button>`));
      assert.ok(home.body.includes(`name="answer" value="declined" class="alt">${t.disagree}</button>`));
    }
  });

  it('records "I agree" as the defender’s own agreement, and "I do not agree" cancels the measure', async () => {
    const agreed = await page('POST', `/s/${ana.token}/measures/${legalAid}/agreement?lang=es`, {
      answer: 'agreed',
    });
    assert.equal(agreed.status, 200);
    assert.ok(agreed.body.includes(CASE_TEXTS.es.agreedTitle));
    const measure = await measureOf(caseId, legalAid);
    assert.equal(measure?.status, 'agreed');
    assert.equal(measure?.agreement?.kind, 'agreed');
    assert.ok(measure?.agreement?.kind === 'agreed' && measure.agreement.by === 'defender');
    assert.ok(measure?.agreement?.kind === 'agreed' && measure.agreement.method === 'self_service');

    const declined = await page('POST', `/s/${ana.token}/measures/${support}/agreement`, { answer: 'declined' });
    assert.equal(declined.status, 200);
    assert.ok(declined.body.includes(CASE_TEXTS.en.declinedTitle));
    const cancelled = await measureOf(caseId, support);
    assert.equal(cancelled?.status, 'cancelled');
    assert.equal(cancelled?.agreement?.kind, 'declined');

    const again = await page('POST', `/s/${ana.token}/measures/${legalAid}/agreement`, { answer: 'declined' });
    assert.equal(again.status, 409);
    assert.ok(again.body.includes(CASE_TEXTS.en.measureNotWaiting));
    assert.equal((await measureOf(caseId, legalAid))?.status, 'agreed', 'unchanged');

    const home = await page('GET', `/s/${ana.token}`);
    assert.ok(
      home.body.includes(
        `<strong>${CASE_TEXTS.en.measureKind.legal_aid}</strong>: ${CASE_TEXTS.en.measureStatus.agreed}`,
      ),
    );
    assert.ok(home.body.includes(`: ${CASE_TEXTS.en.measureStatus.cancelled}`));
    assert.ok(!home.body.includes(`/measures/${legalAid}/agreement`), 'no more buttons for it');
  });

  it('asks for feedback once the measure ends, and records the answer given on the page', async () => {
    const staff = asStaff(caseWorker);
    const agreed = await measureOf(caseId, legalAid);
    const started = await staff.startMeasure(legalAid, agreed?.version ?? 0);
    await staff.finishMeasure(legalAid, { outcome: 'effective', note: null, version: started.version });
    const [question] = (await asStaff(coordinator).getCase(caseId)).feedback.filter(
      (f) => f.measureId === legalAid && f.answeredAt === null,
    );
    assert.ok(question, 'a question to the defender');

    for (const lang of PAGE_LANGUAGES) {
      const home = await page('GET', `/s/${ana.token}?lang=${lang}`);
      const t = CASE_TEXTS[lang];
      assert.ok(home.body.includes(`<h2>${t.feedbackHeading}</h2>`), lang);
      assert.ok(home.body.includes(`action="/s/${ana.token}/feedback/${question.id}?lang=${lang}"`));
      assert.ok(home.body.includes(t.usefulLegend) && home.body.includes(t.riskLegend));
      assert.ok(home.body.includes(t.risk.unsure));
      assertPlainPage(home.body);
    }

    const unanswered = await page('POST', `/s/${ana.token}/feedback/${question.id}`, {
      useful: 'yes',
      comment: 'Kept <this>',
    });
    assert.equal(unanswered.status, 400);
    assert.ok(unanswered.body.includes(CASE_TEXTS.en.answersMissing));
    assert.ok(unanswered.body.includes('>Kept &lt;this&gt;</textarea>'), 'the comment is kept');
    assert.ok(unanswered.body.includes('value="yes" checked required'), 'and the answer given');

    const sent = await page('POST', `/s/${ana.token}/feedback/${question.id}?lang=ar`, {
      useful: 'partly',
      increasedRisk: 'unsure',
      comment: 'The lawyer came late to the hearing.',
    });
    assert.equal(sent.status, 200);
    assert.ok(sent.body.includes(CASE_TEXTS.ar.feedbackTitle));
    const answered = (await asStaff(coordinator).getCase(caseId)).feedback.find((f) => f.id === question.id);
    assert.equal(answered?.useful, 'partly');
    assert.equal(answered?.increasedRisk, 'unsure');
    assert.equal(answered?.comment, 'The lawyer came late to the hearing.');
    assert.equal(answered?.via, 'self_service');

    const twice = await page('POST', `/s/${ana.token}/feedback/${question.id}`, { useful: 'no', increasedRisk: 'yes' });
    assert.equal(twice.status, 409);
    assert.ok(twice.body.includes(CASE_TEXTS.en.alreadyAnswered));
    const home = await page('GET', `/s/${ana.token}`);
    assert.ok(!home.body.includes(`/feedback/${question.id}`), 'an answered question is gone from the page');
  });

  it('never shows Beto Ana’s measures or questions, and refuses his answers for them', async () => {
    const proposal = (await propose(caseId, ana, 'Weekly visits by the accompaniment team.')).id;
    const closed = (await openCase(ana, 'Closed already')).id;
    const toClose = (await asStaff(coordinator).getCase(closed)).case;
    await asStaff(coordinator).closeCase(closed, { reason: 'risk_reduced', note: null, version: toClose.version });
    const [question] = (await asStaff(coordinator).getCase(closed)).feedback;
    assert.ok(question && question.measureId === null, 'closing the case asks Ana for her view');
    const anaPage = await page('GET', `/s/${ana.token}`);
    assert.ok(anaPage.body.includes(CASE_TEXTS.en.feedbackAboutCase));

    const betoPage = await page('GET', `/s/${beto.token}`);
    assert.equal(betoPage.status, 200);
    for (const foreign of [proposal, legalAid, support, question.id, 'Weekly visits', 'A lawyer files']) {
      assert.ok(!betoPage.body.includes(foreign), `Beto's page does not show ${foreign}`);
    }
    assert.ok(betoPage.body.includes(CASE_TEXTS.en.nothingYet));

    const agree = await page('POST', `/s/${beto.token}/measures/${proposal}/agreement`, { answer: 'agreed' });
    assert.equal(agree.status, 404);
    assert.ok(agree.body.includes(CASE_TEXTS.en.notYours));
    assert.equal((await measureOf(caseId, proposal))?.status, 'proposed', 'unchanged');
    const feedback = await page('POST', `/s/${beto.token}/feedback/${question.id}`, {
      useful: 'no',
      increasedRisk: 'yes',
    });
    assert.equal(feedback.status, 404);
    assert.ok(feedback.body.includes(CASE_TEXTS.en.notYours));
    const unanswered = (await asStaff(coordinator).getCase(closed)).feedback.find((f) => f.id === question.id);
    assert.equal(unanswered?.answeredAt, null, 'unchanged');
    const unknown = await page('POST', `/s/${beto.token}/measures/not-an-id/agreement`, { answer: 'agreed' });
    assert.equal(unknown.status, 404);
  });

  it('stays within 30 KB over the wire with a realistic history, in each language', async () => {
    const long = (what: string) =>
      `${what}: ${'The accompaniment team and the lawyer agree on the dates with you beforehand, and nobody else is told. '.repeat(4)}`;
    for (let i = 0; i < 3; i++) {
      await page('POST', `/s/${ana.token}/request`, {
        'request-description': long(`Request ${i}`),
        'request-contact': 'Signal',
        urgent: 'no',
      });
    }
    const busy = (await openCase(ana, 'A busy case')).id;
    for (let i = 0; i < 6; i++) await propose(busy, ana, long(`Measure ${i}`));
    for (const lang of PAGE_LANGUAGES) {
      const html = (await page('GET', `/s/${ana.token}?lang=${lang}`)).body;
      assert.ok((html.match(/name="answer" value="agreed"/g) ?? []).length >= 7, 'the proposals are all there');
      assertPlainPage(html);
      const bytes = await wireBytes(`/s/${ana.token}?lang=${lang}`);
      assert.ok(bytes <= 30 * 1024, `${lang}: ${bytes} bytes`);
    }
  });
});

describe("the defender's page: a measure's own page", () => {
  /** Ends the text, so a test can tell the whole from its start. */
  const END = 'and that is the whole of it.';
  const longText = (words: string) => `${words} `.repeat(Math.ceil(1800 / (words.length + 1))) + END;
  let caseId: string;
  let long: string;
  let carol: Link;

  before(async () => {
    carol = await defender('Carol');
    caseId = (await openCase(carol, 'Relocation after the raid')).id;
    long = (await propose(caseId, carol, longText('The family moves to a safe house for three months.'))).id;
  });

  it('shows a long proposal’s start on the personal page, with a link to read it whole and answer', async () => {
    for (const lang of PAGE_LANGUAGES) {
      const t = CASE_TEXTS[lang];
      const home = await page('GET', `/s/${carol.token}?lang=${lang}`);
      assert.equal(home.status, 200);
      assert.ok(home.body.includes(`${t.measureKind.legal_aid}: ${t.awaitingYou}`));
      assert.ok(home.body.includes('The family moves to a safe house'), 'its start');
      assert.ok(!home.body.includes(END), 'not the whole');
      assert.ok(!home.body.includes(`/measures/${long}/agreement`), 'no answer before reading it whole');
      assert.ok(home.body.includes(`<a href="/s/${carol.token}/measures/${long}?lang=${lang}">${t.readAndAnswer}</a>`));
    }
  });

  it('shows the whole measure on its own page, in each language, and takes the answer there', async () => {
    for (const lang of PAGE_LANGUAGES) {
      const t = CASE_TEXTS[lang];
      const own = await page('GET', `/s/${carol.token}/measures/${long}?lang=${lang}`);
      assert.equal(own.status, 200);
      assertNoScript(own.body);
      assert.ok(!/(src|href)="https?:/i.test(own.body), 'no external assets');
      assert.match(own.body, new RegExp(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`));
      assert.ok(own.body.includes(`<h1>${t.measureKind.legal_aid}</h1>`));
      assert.ok(own.body.includes(END), 'the whole text');
      assert.ok(own.body.includes('<p class="text">'), 'its lines kept (white-space: pre-line)');
      assert.ok(own.body.includes(`action="/s/${carol.token}/measures/${long}/agreement?lang=${lang}"`));
      assert.ok(own.body.includes(`href="/s/${carol.token}?lang=${lang}"`), 'the way back to the personal page');
      for (const other of PAGE_LANGUAGES.filter((l) => l !== lang)) {
        const languageLink = `href="/s/${carol.token}/measures/${long}?lang=${other}" hreflang="${other}"`;
        assert.ok(own.body.includes(languageLink), 'a change of language stays on the measure');
      }
    }
    const answered = await page('POST', `/s/${carol.token}/measures/${long}/agreement?lang=fr`, { answer: 'agreed' });
    assert.equal(answered.status, 200);
    assert.ok(answered.body.includes(CASE_TEXTS.fr.agreedTitle));
    assert.equal((await measureOf(caseId, long))?.status, 'agreed');
    const after = await page('GET', `/s/${carol.token}/measures/${long}`);
    assert.equal(after.status, 200);
    assert.ok(after.body.includes(CASE_TEXTS.en.measureStatus.agreed));
    assert.ok(after.body.includes(END));
    assert.ok(!after.body.includes('/agreement'), 'nothing left to answer');
    const home = await page('GET', `/s/${carol.token}`);
    assert.ok(home.body.includes(`<a href="/s/${carol.token}/measures/${long}?lang=en">${CASE_TEXTS.en.readAll}</a>`));
  });

  it('audits the reading under the link, by record id', async () => {
    await page('GET', `/s/${carol.token}/measures/${long}`);
    const trail = (
      (await amparo.database.db.execute(
        sql`select principal, record_ids::text as ids from audit_log where action = 'case.read' order by seq desc limit 1`,
      )) as unknown as { rows: { principal: string; ids: string }[] }
    ).rows;
    assert.equal(trail[0]?.principal, `defender-link:${carol.actorId}`);
    assert.ok(trail[0]?.ids.includes(caseId));
    assert.ok(!JSON.stringify(trail).includes('safe house'));
  });

  it('answers another’s measure and an unknown one alike, showing nothing of it', async () => {
    const others = await page('GET', `/s/${beto.token}/measures/${long}?lang=es`);
    assert.equal(others.status, 404);
    assert.ok(others.body.includes(CASE_TEXTS.es.notYours));
    assert.ok(!others.body.includes('safe house'));
    for (const id of ['not-an-id', randomUUID()]) {
      const unknown = await page('GET', `/s/${beto.token}/measures/${id}?lang=es`);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body, others.body, 'the same page');
    }
    const noLink = await page('GET', `/s/not-a-link/measures/${long}`);
    assert.equal(noLink.status, 404);
    assert.ok(!noLink.body.includes('safe house'));
  });

  it('weighs at most 30 KB over the wire with the longest description, whatever its characters', async () => {
    for (const text of ['&'.repeat(5000), 'ح'.repeat(5000), '漢'.repeat(5000), '\'"'.repeat(2500)]) {
      const id = (await propose(caseId, carol, text)).id;
      for (const lang of PAGE_LANGUAGES) {
        const bytes = await wireBytes(`/s/${carol.token}/measures/${id}?lang=${lang}`);
        assert.ok(bytes <= 30 * 1024, `${lang}: ${bytes} bytes`);
      }
    }
  });

  it('keeps the personal page within 30 KB over the wire with many long proposals, and counts what it leaves out', async () => {
    const dora = await defender('Dora');
    const busy = (await openCase(dora, 'Many proposals')).id;
    for (let i = 0; i < 20; i++) await propose(busy, dora, `${i}: ${'ح&"'.repeat(1665)}`);
    for (let i = 0; i < 3; i++) {
      await page('POST', `/s/${dora.token}/request`, {
        'request-description': 'ح'.repeat(5000),
        'request-contact': 'Signal',
        urgent: 'no',
      });
    }
    for (const lang of PAGE_LANGUAGES) {
      const html = (await page('GET', `/s/${dora.token}?lang=${lang}`)).body;
      const links = (html.match(new RegExp(`>${CASE_TEXTS[lang].readAndAnswer}</a>`, 'g')) ?? []).length;
      assert.ok(links >= 5, `${lang}: ${links} proposals shown`);
      assert.ok(html.includes(fill(CASE_TEXTS[lang].more, { count: 20 - links })), 'the others are counted');
      const bytes = await wireBytes(`/s/${dora.token}?lang=${lang}`);
      assert.ok(bytes <= 30 * 1024, `${lang}: ${bytes} bytes`);
    }
  });
});

describe('the case templates', () => {
  it('escape every value and cut long lists short', () => {
    const hostile = '<script>alert("x")</script>';
    const html =
      helpPage({ lang: 'en', home: '/help' }, { error: hostile, values: { name: hostile, description: hostile } }) +
      caseSections(
        { lang: 'ar', home: '/s/t' },
        {
          token: 'a"b<c',
          requests: Array.from({ length: 25 }, () => ({ receivedAt: hostile, status: 'new' as const })),
          measures: [
            { id: 'm"1', kind: 'relocation', status: 'proposed', description: hostile, needsAgreement: true },
            { id: 'm2', kind: 'visits', status: 'in_progress', description: hostile, needsAgreement: false },
          ],
          feedback: [{ id: 'f<1', measureKind: null }],
        },
      );
    assert.ok(!html.includes('<script'), html);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(html.includes('action="/s/a%22b%3Cc/measures/m%221/agreement?lang=ar"'), 'ids are encoded into paths');
    assert.ok(html.includes('action="/s/a%22b%3Cc/feedback/f%3C1?lang=ar"'));
    assert.equal((html.match(/<li>/g) ?? []).length, 10 + 1, 'ten requests and one measure shown');
    assert.ok(html.includes('و15 غيرها'), 'the others are counted');
  });
});

describe('the personal page’s weight', () => {
  it('stays within 29 KB of HTML at the most, in each language, whatever the lists hold', () => {
    const token = 'A'.repeat(43);
    for (const text of ['&'.repeat(5000), '"'.repeat(5000), 'ح'.repeat(5000), '漢'.repeat(5000), '😀'.repeat(2500)]) {
      for (const lang of PAGE_LANGUAGES) {
        const frame = { lang, home: `/s/${token}` };
        const view = {
          token,
          requests: Array.from({ length: 30 }, () => ({ receivedAt: text.slice(0, 40), status: 'triaged' as const })),
          measures: Array.from({ length: 40 }, (_, i) => ({
            id: randomUUID(),
            kind: 'relocation' as const,
            status: i % 2 ? ('in_progress' as const) : ('proposed' as const),
            description: text,
            needsAgreement: i % 2 === 0,
          })),
          feedback: Array.from({ length: 9 }, () => ({ id: randomUUID(), measureKind: 'relocation' as const })),
          errors: { request: 'x'.repeat(200), measures: 'x'.repeat(200), feedback: 'x'.repeat(200) },
        };
        const html = homePage(frame, {
          token,
          pinsSet: false,
          nextDue: text.slice(0, 40),
          timeZone: 'America/Argentina/Buenos_Aires',
          errors: { sos: 'x'.repeat(200), checkIn: 'x'.repeat(200), trip: 'x'.repeat(200) },
          sections: caseSections(frame, view),
        });
        // The status line and headers take under 1 KB (measured over the wire in the tests above).
        assert.ok(
          Buffer.byteLength(html) <= 29 * 1024,
          `${lang}, ${text.slice(0, 1)}: ${Buffer.byteLength(html)} bytes`,
        );
        assert.ok(html.includes('/agreement?lang=') || html.includes(`>${CASE_TEXTS[lang].readAndAnswer}</a>`));
      }
    }
  });
});

describe('the server log', () => {
  it('never holds a personal link', () => {
    const log = logLines.join('');
    assert.ok(log.includes('"/s/[secret]/request"'), 'requests to the forms are logged, blanked');
    assert.ok(log.includes('/agreement"') && log.includes('"/help"'));
    for (const token of [ana.token, beto.token]) assert.ok(!log.includes(token), 'a personal link');
  });
});
