/**
 * The pages a defender uses without an account, from any browser, JavaScript or not: the personal
 * page behind their secret link (SOS, check-in with the PIN, "going somewhere"), the short-code SOS
 * form, and the page a responder's acknowledgement link opens.
 *
 * Cross-site forgery: these forms carry no cookie-based authority. What they can do comes from the
 * secret in the path (or the code typed in), so a forged request can do nothing beyond what the
 * holder of that secret could do anyway.
 *
 * The secrets in these paths never reach the logs (see `redactSecretPaths`, used by the app's logger).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AlertSource } from '../../core/alerts/model.ts';
import { DomainError } from '../../core/errors.ts';
import type { Clock } from '../../core/ports.ts';
import { AttemptLimiter } from '../defender-pages/limiter.ts';
import {
  ackOutcomePage,
  ackQuestionPage,
  checkedInPage,
  codePage,
  errorPage,
  formatTime,
  type HomeView,
  homePage,
  notFoundPage,
  PAGE_CSS,
  type PageFrame,
  sosSentPage,
  tripStartedPage,
} from '../defender-pages/templates.ts';
import { chooseLanguage, PAGE_TEXTS, type PageTexts } from '../defender-pages/texts.ts';
import { type RapidResponseHttp, reachesNothing, responderName } from './alerts.ts';

export type DefenderPagesDeps = Pick<RapidResponseHttp, 'service' | 'checkIns' | 'directory' | 'registry' | 'timeZone'>;

const SECRET_PATH = /^\/(s|ack)\/[^/?]+/;

/** A request path as it may be logged: the secret of a personal or acknowledgement link replaced. */
export const redactSecretPaths = (path: string): string => path.replace(SECRET_PATH, '/$1/[secret]');

const PIN_FAILURES = 5;
const CODE_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_TRIP_MINUTES = 7 * 24 * 60;
const DEFAULT_GRACE = 30;

type Body = Record<string, unknown> | undefined;
type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string }; Body: Body }>;
type PageRequest = FastifyRequest<{ Querystring: { lang?: string }; Body: Body }>;

const formValue = (request: FastifyRequest, name: string): string => {
  const value = (request.body as Body)?.[name];
  return typeof value === 'string' ? value : '';
};

const send = (reply: FastifyReply, status: number, html: string) =>
  reply.status(status).type('text/html; charset=utf-8').send(html);

const invalidField = (error: unknown): string | null =>
  error instanceof DomainError && error.code === 'validation_failed' ? (error.field ?? '') : null;

const base64 = (bytes: ArrayBuffer): string => Buffer.from(bytes).toString('base64');

export const defenderPageRoutes =
  (deps: DefenderPagesDeps, clock: Clock): FastifyPluginAsync =>
  async (app) => {
    const timeZone = deps.timeZone ?? 'UTC';
    const pinFailures = new AttemptLimiter(PIN_FAILURES, FAILURE_WINDOW_MS);
    const codeFailures = new AttemptLimiter(CODE_FAILURES, FAILURE_WINDOW_MS);
    const styleHash = base64(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(PAGE_CSS)));
    const policy = `default-src 'none'; style-src 'sha256-${styleHash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    // Runs after the app's own onSend hook: these pages allow their inline style and nothing else.
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', policy);
      reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      return payload;
    });

    const frameOf = (request: FastifyRequest, home: string): PageFrame => ({
      lang: chooseLanguage((request.query as { lang?: string }).lang, request.headers['accept-language']),
      home,
    });
    const textsOf = (frame: PageFrame): PageTexts => PAGE_TEXTS[frame.lang];
    const time = (frame: PageFrame, iso: string, withDate = true) => formatTime(iso, frame.lang, timeZone, withDate);
    const nowMs = () => clock.now().getTime();
    // The link or code is the authority; the trail names the link's holder (the core sets it).
    const asLinkHolder = (request: FastifyRequest) =>
      [{ principal: 'anonymous', source: request.ip }, reachesNothing(clock.now().toISOString())] as const;
    const checkIns = (request: FastifyRequest) => deps.checkIns.forContext(...asLinkHolder(request));
    const alerts = (request: FastifyRequest) => deps.service.forContext(...asLinkHolder(request));

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      const frame = frameOf(request, '/sos');
      if (error instanceof DomainError && error.code === 'not_found') return send(reply, 404, notFoundPage(frame));
      const status = error instanceof DomainError ? 400 : (error.statusCode ?? 500);
      if (status >= 500) request.log.error({ err: { type: error.name, code: error.code } }, 'page failed');
      return send(reply, status >= 400 && status < 600 ? status : 500, errorPage(frame));
    });

    // ——— the personal page ———

    const home = (token: string) => `/s/${encodeURIComponent(token)}`;

    /** The personal page, again, with what went wrong in the form that was sent. */
    const personalPage = async (
      request: TokenRequest,
      reply: FastifyReply,
      status: number,
      problem?: Pick<HomeView, 'errors' | 'values'>,
    ) => {
      const { token } = request.params;
      const frame = frameOf(request, home(token));
      const holder = await checkIns(request).linkHolder(token);
      return send(
        reply,
        status,
        homePage(frame, {
          token,
          pinsSet: holder.pinsSet,
          nextDue: holder.nextDueAt ? time(frame, holder.nextDueAt) : null,
          timeZone,
          ...problem,
        }),
      );
    };

    app.get('/s/:token', { schema: { hide: true } }, async (request: TokenRequest, reply) =>
      personalPage(request, reply, 200),
    );

    app.post('/s/:token/sos', { schema: { hide: true } }, async (request: TokenRequest, reply) => {
      const frame = frameOf(request, home(request.params.token));
      const message = formValue(request, 'message');
      try {
        await checkIns(request).sosByLink(request.params.token, { message: message || null, location: null });
      } catch (error) {
        if (invalidField(error) === null) throw error;
        return personalPage(request, reply, 400, {
          errors: { sos: textsOf(frame).messageTooLong },
          values: { message },
        });
      }
      return send(reply, 200, sosSentPage(frame));
    });

    app.post('/s/:token/check-in', { schema: { hide: true } }, async (request: TokenRequest, reply) => {
      const { token } = request.params;
      const frame = frameOf(request, home(token));
      const t = textsOf(frame);
      const key = `pin:${token}`;
      if (pinFailures.blocked(key, nowMs()))
        return personalPage(request, reply, 429, { errors: { checkIn: t.tooMany } });
      let receipt: { at: string; nextDueAt: string | null };
      try {
        receipt = await checkIns(request).checkIn(token, formValue(request, 'pin'));
      } catch (error) {
        if (invalidField(error) !== null) {
          pinFailures.fail(key, nowMs());
          return personalPage(request, reply, 400, { errors: { checkIn: t.wrongPin } });
        }
        if (error instanceof DomainError && error.code === 'conflict') {
          return personalPage(request, reply, 409, { errors: { checkIn: t.noPins } });
        }
        throw error;
      }
      return send(
        reply,
        200,
        checkedInPage(frame, {
          at: time(frame, receipt.at, false),
          nextDue: receipt.nextDueAt ? time(frame, receipt.nextDueAt) : null,
        }),
      );
    });

    app.post('/s/:token/trip', { schema: { hide: true } }, async (request: TokenRequest, reply) => {
      const frame = frameOf(request, home(request.params.token));
      const t = textsOf(frame);
      const values = {
        hours: formValue(request, 'hours').trim() || '0',
        minutes: formValue(request, 'minutes').trim() || '0',
        grace: formValue(request, 'grace').trim() || String(DEFAULT_GRACE),
        note: formValue(request, 'note'),
      };
      const problem = (trip: string) => personalPage(request, reply, 400, { errors: { trip }, values });
      const whole = (value: string) => (/^\d{1,4}$/.test(value) ? Number(value) : Number.NaN);
      const away = whole(values.hours) * 60 + whole(values.minutes);
      if (!(away >= 1 && away <= MAX_TRIP_MINUTES) || whole(values.minutes) > 59) return problem(t.tripInvalid);
      const graceMinutes = whole(values.grace);
      if (!(graceMinutes <= 24 * 60)) return problem(t.graceInvalid);
      let dueAt: string;
      try {
        dueAt = (
          await checkIns(request).startTrip(request.params.token, {
            backBy: new Date(nowMs() + away * 60_000).toISOString(),
            graceMinutes,
            note: values.note || null,
          })
        ).dueAt;
      } catch (error) {
        const field = invalidField(error);
        if (field === null) throw error;
        return problem(field === 'note' ? t.noteTooLong : field === 'graceMinutes' ? t.graceInvalid : t.tripInvalid);
      }
      return send(reply, 200, tripStartedPage(frame, { backBy: time(frame, dueAt), graceMinutes }));
    });

    // ——— the short-code form ———

    app.get('/sos', { schema: { hide: true } }, async (request: PageRequest, reply) =>
      send(reply, 200, codePage(frameOf(request, '/sos'))),
    );

    app.post('/sos', { schema: { hide: true } }, async (request: PageRequest, reply) => {
      const frame = frameOf(request, '/sos');
      const t = textsOf(frame);
      const message = formValue(request, 'message');
      const key = `code:${request.ip}`;
      if (codeFailures.blocked(key, nowMs())) return send(reply, 429, codePage(frame, { error: t.tooMany, message }));
      try {
        await checkIns(request).sosByCode(formValue(request, 'code').replace(/\s+/g, ''), {
          message: message || null,
          location: null,
        });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'not_found') {
          codeFailures.fail(key, nowMs());
          return send(reply, 404, codePage(frame, { error: t.codeUnknown, message }));
        }
        if (invalidField(error) === null) throw error;
        return send(reply, 400, codePage(frame, { error: t.messageTooLong, message }));
      }
      return send(reply, 200, sosSentPage(frame));
    });

    // ——— a responder's acknowledgement link ———

    const ackHome = (token: string) => `/ack/${encodeURIComponent(token)}`;
    const takenBy = async (t: PageTexts, who: string | null) => (await responderName(deps, who)) ?? t.someone;

    // GET never changes anything: mail scanners open links before people do.
    app.get('/ack/:token', { schema: { hide: true } }, async (request: TokenRequest, reply) => {
      const { token } = request.params;
      const frame = frameOf(request, ackHome(token));
      const t = textsOf(frame);
      const { alert, subjectName } = await alerts(request).describeAckLink(token);
      if (alert.status !== 'open') {
        return send(
          reply,
          200,
          ackOutcomePage(frame, { already: true, takenBy: await takenBy(t, alert.acknowledgedBy) }),
        );
      }
      const what = t.what[alert.source as AlertSource];
      return send(reply, 200, ackQuestionPage(frame, { token, what, name: subjectName }));
    });

    app.post('/ack/:token', { schema: { hide: true } }, async (request: TokenRequest, reply) => {
      const { token } = request.params;
      const frame = frameOf(request, ackHome(token));
      const result = await alerts(request).acknowledgeByLink(token);
      const name = await takenBy(textsOf(frame), result.alert.acknowledgedBy);
      return send(reply, 200, ackOutcomePage(frame, { already: result.already, takenBy: name }));
    });
  };
