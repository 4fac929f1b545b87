/**
 * Notifications in the language of the channel that carries them: a responder who reads Spanish and
 * one who reads Arabic each get the alert, and the notice that someone took it, in their language,
 * through a real SMTP inbox on 127.0.0.1; the reply code stays `ACK <code>` in every language, since
 * that is what the reply parser reads. The channel's language goes through the API, and a language
 * Amparo does not write is refused with the field named.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Amparo, createAmparo } from '../../src/app.ts';
import { EVERYTHING } from '../../src/core/access/scope.ts';
import { makeUser } from '../support/accounts.ts';
import { type SmtpInbox, startSmtpInbox } from '../support/receivers.ts';
import { addResponder, emailChannel, notify, SMTP_FROM, type TestResponder } from './fixtures.ts';

describe('notifications in the language of their channel', () => {
  let inbox: SmtpInbox;
  let amparo: Amparo;
  let spanish: TestResponder;
  let arabic: TestResponder;
  let english: TestResponder;
  const mailTo = (address: string) => inbox.messages.filter((m) => m.envelope.to.includes(address));

  before(async () => {
    inbox = await startSmtpInbox();
    amparo = await createAmparo(
      {
        dataDir: 'memory://',
        databaseUrl: undefined,
        webRoot: 'dist/web',
        logLevel: 'silent',
        smtp: { url: inbox.url, from: SMTP_FROM },
      },
      { workers: {} },
    );
    spanish = await addResponder(amparo, 'responder-es', [{ ...emailChannel('es@example.org'), language: 'es' }]);
    arabic = await addResponder(amparo, 'responder-ar', [{ ...emailChannel('ar@example.org'), language: 'ar' }]);
    english = await addResponder(amparo, 'responder-en', [emailChannel('en@example.org')]);
    await amparo.rapid.ladders.create({
      name: 'Network',
      scope: { kind: 'network' },
      steps: [notify(spanish, arabic, english), { kind: 'wait', minutes: 60 }],
    });
  });

  after(async () => {
    await amparo?.close();
    await inbox?.close();
  });

  it('writes the alert and the notice that it was taken in each channel’s language', async () => {
    const ana = await amparo.registry.createActor({ kind: 'individual', profile: { name: 'Ana Quispe' } });
    const alert = await amparo.rapid.alerts.raise({
      actorId: ana.id,
      severity: 'critical',
      message: null,
      location: null,
    });
    await inbox.waitFor(() => inbox.messages.length >= 3, 15_000);

    const [toSpanish] = mailTo('es@example.org');
    assert.equal(toSpanish?.subject, '[Amparo CRÍTICA] alerta: Ana Quispe');
    assert.match(toSpanish?.text ?? '', /^ALERTA de Ana Quispe\. Gravedad: CRÍTICA\./);
    assert.match(toSpanish?.text ?? '', /Confirmar que la atiende: \S+\/ack\//);
    assert.match(toSpanish?.text ?? '', /O responda ACK \d+ a este mensaje\./);
    assert.match(toSpanish?.text ?? '', /Consola: \S+\/alerts\//);

    const [toArabic] = mailTo('ar@example.org');
    assert.equal(toArabic?.subject, '[Amparo حرجة] تنبيه: Ana Quispe');
    assert.match(toArabic?.text ?? '', /ACK \d+/);
    assert.match(toArabic?.text ?? '', /لوحة المتابعة:/);

    const [toEnglish] = mailTo('en@example.org');
    assert.equal(toEnglish?.subject, '[Amparo CRITICAL] alert: Ana Quispe');
    assert.match(toEnglish?.text ?? '', /Acknowledge: /);

    // The English-reading responder takes it; the others are told in their own language.
    await amparo.rapid.alerts.forContext({ principal: english.key, source: null }, EVERYTHING).acknowledge(alert.id);
    await inbox.waitFor(() => mailTo('es@example.org').length === 2 && mailTo('ar@example.org').length === 2, 15_000);
    assert.equal(mailTo('es@example.org')[1]?.subject, '[Amparo] Atendida: alerta de Ana Quispe');
    assert.match(mailTo('es@example.org')[1]?.text ?? '', /^responder-en atendió: alerta de Ana Quispe\./);
    assert.equal(mailTo('ar@example.org')[1]?.subject, '[Amparo] تمّ التكفّل: تنبيه بشأن Ana Quispe');
  });

  it('keeps the language through the API, and refuses one it does not write', async () => {
    const worker = await makeUser(amparo.accounts, 'case_worker');
    const call = (method: 'POST' | 'PUT', url: string, payload: object) =>
      amparo.app.inject({ method, url: `/api/v1${url}`, headers: worker.headers, payload });
    const bad = await call('POST', '/me/channels', {
      kind: 'email',
      address: 'worker@example.org',
      position: 0,
      enabled: true,
      language: 'de',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, 'language');

    const added = await call('POST', '/me/channels', {
      kind: 'email',
      address: 'worker@example.org',
      position: 0,
      enabled: true,
      language: 'fr',
    });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().language, 'fr');
    // An update that leaves the language out keeps it.
    const moved = await call('PUT', `/me/channels/${added.json().id}`, {
      kind: 'email',
      address: 'worker@example.org',
      position: 1,
      enabled: true,
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().language, 'fr');
  });
});
