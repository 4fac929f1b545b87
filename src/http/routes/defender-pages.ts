/**
 * The pages a defender uses without an account, from any browser, JavaScript or not: the personal
 * page behind their secret link (SOS, check-in with the PIN, "going somewhere", asking for help,
 * following their requests and measures, reading a measure whole and agreeing or not to it, saying
 * whether it helped),
 * the short-code SOS form, the public request form (/help), and the page a responder's
 * acknowledgement link opens.
 *
 * Cross-site forgery: these forms carry no cookie-based authority. What they can do comes from the
 * secret in the path (or the code typed in), so a forged request can do nothing beyond what the
 * holder of that secret could do anyway.
 *
 * The secrets in these paths never reach the logs (see `redactSecretPaths`, used by the app's logger).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { reachesNothing } from '../../core/access/scope.ts';
import type { AlertSource } from '../../core/alerts/model.ts';
import { RISK_EFFECTS, type RiskEffect, USEFULNESS, type Usefulness } from '../../core/cases/model.ts';
import type { CaseService } from '../../core/cases/service.ts';
import { DomainError } from '../../core/errors.ts';
import type { Clock } from '../../core/ports.ts';
import {
  agreementRecordedPage,
  caseSections,
  type FeedbackValues,
  feedbackRecordedPage,
  type HelpFormValues,
  helpPage,
  measureNotFoundPage,
  measurePage,
  type OwnCasesView,
  requestReceivedPage,
} from '../defender-pages/case-templates.ts';
import { CASE_TEXTS, type CaseTexts } from '../defender-pages/case-texts.ts';
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
import { type RapidResponseHttp, responderName } from './alerts.ts';

export type DefenderPagesDeps = Pick<
  RapidResponseHttp,
  'service' | 'checkIns' | 'directory' | 'registry' | 'timeZone'
> & {
  /** Protection cases: requests for help, the defender's own measures and their feedback. */
  cases: CaseService;
};

const SECRET_PATH = /^\/(s|ack)\/[^/?]+/;

/** A request path as it may be logged: the secret of a personal or acknowledgement link replaced. */
export const redactSecretPaths = (path: string): string => path.replace(SECRET_PATH, '/$1/[secret]');

const PIN_FAILURES = 5;
const CODE_FAILURES = 10;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_TRIP_MINUTES = 7 * 24 * 60;
const DEFAULT_GRACE = 30;
/** Requests for help accepted from one address (/help) or one personal link, per hour. */
const REQUESTS_PER_HOUR = 10;
const HOUR_MS = 60 * 60_000;

type Body = Record<string, unknown> | undefined;
type TokenRequest = FastifyRequest<{ Params: { token: string }; Querystring: { lang?: string }; Body: Body }>;
type PageRequest = FastifyRequest<{ Querystring: { lang?: string }; Body: Body }>;
type ItemRequest = FastifyRequest<{
  Params: { token: string; id: string };
  Querystring: { lang?: string };
  Body: Body;
}>;

/** What went wrong in a form of the personal page, shown with the page again. */
type PersonalProblem = Pick<HomeView, 'errors' | 'values'> & {
  cases?: Pick<OwnCasesView, 'errors' | 'requestValues' | 'feedbackValues'>;
};

const formValue = (request: FastifyRequest, name: string): string => {
  const value = (request.body as Body)?.[name];
  return typeof value === 'string' ? value : '';
};

const send = (reply: FastifyReply, status: number, html: string) =>
  reply.status(status).type('text/html; charset=utf-8').send(html);

const invalidField = (error: unknown): string | null =>
  error instanceof DomainError && error.code === 'validation_failed' ? (error.field ?? '') : null;

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T =>
  (values as readonly string[]).includes(value);

/**
 * How the personal page words what an answer about one of the defender's measures or questions ran
 * into: someone else's (or unknown) is one and the same answer, so nothing tells them apart.
 */
function itemProblem(error: unknown, t: CaseTexts, conflict: string): { status: number; message: string } | null {
  if (!(error instanceof DomainError)) return null;
  if (error.code === 'not_found' || error.code === 'forbidden') return { status: 404, message: t.notYours };
  if (error.code === 'conflict' || error.code === 'version_conflict') return { status: 409, message: conflict };
  if (error.code === 'validation_failed') return { status: 400, message: t.textTooLong };
  return null;
}

const base64 = (bytes: ArrayBuffer): string => Buffer.from(bytes).toString('base64');

export const defenderPageRoutes =
  (deps: DefenderPagesDeps, clock: Clock): FastifyPluginAsync =>
  async (app) => {
    const timeZone = deps.timeZone ?? 'UTC';
    const pinFailures = new AttemptLimiter(PIN_FAILURES, FAILURE_WINDOW_MS);
    const codeFailures = new AttemptLimiter(CODE_FAILURES, FAILURE_WINDOW_MS);
    // Each accepted request for help counts: a flood from one address or one link stops at the hour's allowance.
    const requestsMade = new AttemptLimiter(REQUESTS_PER_HOUR, HOUR_MS);
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
    const caseTextsOf = (frame: PageFrame): CaseTexts => CASE_TEXTS[frame.lang];
    const time = (frame: PageFrame, iso: string, withDate = true) => formatTime(iso, frame.lang, timeZone, withDate);
    const nowMs = () => clock.now().getTime();
    // The link or code is the authority; the trail names the link's holder (the core sets it).
    const asLinkHolder = (request: FastifyRequest) =>
      [{ principal: 'anonymous', source: request.ip }, reachesNothing(clock.now().toISOString())] as const;
    const checkIns = (request: FastifyRequest) => deps.checkIns.forContext(...asLinkHolder(request));
    const alerts = (request: FastifyRequest) => deps.service.forContext(...asLinkHolder(request));

    app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      // The language links lead back to a form the person can use: the request form, or the SOS one.
      const frame = frameOf(request, request.url.startsWith('/help') ? '/help' : '/sos');
      if (error instanceof DomainError && error.code === 'not_found') return send(reply, 404, notFoundPage(frame));
      const status = error instanceof DomainError ? 400 : (error.statusCode ?? 500);
      if (status >= 500) request.log.error({ err: { type: error.name, code: error.code } }, 'page failed');
      return send(reply, status >= 400 && status < 600 ? status : 500, errorPage(frame));
    });

    // ——— the personal page ———

    const home = (token: string) => `/s/${encodeURIComponent(token)}`;

    // The link holder acts on their own requests, measures and feedback only: the core checks each
    // against the actor the link belongs to, and the trail names the link.
    const ownCases = (request: FastifyRequest, actorId: string) =>
      deps.cases.forContext(
        { principal: `defender-link:${actorId}`, source: request.ip },
        reachesNothing(clock.now().toISOString()),
      );
    /** The actor the personal link belongs to; an unknown link ends in the generic 404 page. */
    const holderOf = async (request: FastifyRequest, token: string) =>
      (await checkIns(request).linkHolder(token)).actorId;

    /** The personal page, again, with what went wrong in the form that was sent. */
    const personalPage = async (
      request: FastifyRequest,
      token: string,
      reply: FastifyReply,
      status: number,
      problem: PersonalProblem = {},
    ) => {
      const frame = frameOf(request, home(token));
      const holder = await checkIns(request).linkHolder(token);
      const own = await ownCases(request, holder.actorId).ownOverview(holder.actorId);
      const { cases: casesProblem, ...homeProblem } = problem;
      const sections = caseSections(frame, {
        token,
        requests: [...own.requests]
          .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
          .map((r) => ({ receivedAt: time(frame, r.receivedAt), status: r.status })),
        measures: own.measures,
        feedback: own.feedback.map((f) => ({ id: f.id, measureKind: f.measureKind })),
        ...casesProblem,
      });
      return send(
        reply,
        status,
        homePage(frame, {
          token,
          pinsSet: holder.pinsSet,
          nextDue: holder.nextDueAt ? time(frame, holder.nextDueAt) : null,
          timeZone,
          ...homeProblem,
          sections,
        }),
      );
    };

    app.get('/s/:token', { schema: { hide: true } }, async (request: TokenRequest, reply) =>
      personalPage(request, request.params.token, reply, 200),
    );

    app.post('/s/:token/sos', { schema: { hide: true } }, async (request: TokenRequest, reply) => {
      const frame = frameOf(request, home(request.params.token));
      const message = formValue(request, 'message');
      try {
        await checkIns(request).sosByLink(request.params.token, { message: message || null, location: null });
      } catch (error) {
        if (invalidField(error) === null) throw error;
        return personalPage(request, request.params.token, reply, 400, {
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
        return personalPage(request, token, reply, 429, { errors: { checkIn: t.tooMany } });
      let receipt: { at: string; nextDueAt: string | null };
      try {
        receipt = await checkIns(request).checkIn(token, formValue(request, 'pin'));
      } catch (error) {
        if (invalidField(error) !== null) {
          pinFailures.fail(key, nowMs());
          return personalPage(request, token, reply, 400, { errors: { checkIn: t.wrongPin } });
        }
        if (error instanceof DomainError && error.code === 'conflict') {
          return personalPage(request, token, reply, 409, { errors: { checkIn: t.noPins } });
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
      const problem = (trip: string) =>
        personalPage(request, request.params.token, reply, 400, { errors: { trip }, values });
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

    // ——— protection cases on the personal page ———

    app.post('/s/:token/request', { schema: { hide: true } }, async (request: TokenRequest, reply) => {
      const { token } = request.params;
      const frame = frameOf(request, home(token));
      const t = caseTextsOf(frame);
      const actorId = await holderOf(request, token);
      const values = {
        description: formValue(request, 'request-description'),
        contact: formValue(request, 'request-contact'),
        urgent: formValue(request, 'urgent'),
      };
      const problem = (status: number, message: string) =>
        personalPage(request, token, reply, status, { cases: { errors: { request: message }, requestValues: values } });
      if (!values.description.trim()) return problem(400, t.descriptionMissing);
      const key = `own:${actorId}`;
      if (requestsMade.blocked(key, nowMs())) return problem(429, textsOf(frame).tooMany);
      try {
        await ownCases(request, actorId).submitOwnRequest(actorId, {
          description: values.description,
          safeContact: values.contact.trim() || null,
          statedUrgent: values.urgent === 'yes',
        });
      } catch (error) {
        if (invalidField(error) === null) throw error;
        return problem(400, t.textTooLong);
      }
      requestsMade.fail(key, nowMs());
      return send(reply, 200, requestReceivedPage(frame, true));
    });

    app.get('/s/:token/measures/:id', { schema: { hide: true } }, async (request: ItemRequest, reply) => {
      const { token, id } = request.params;
      const actorId = await holderOf(request, token);
      try {
        const measure = await ownCases(request, actorId).ownMeasure(actorId, id);
        // A change of language stays on the measure's page.
        const frame = frameOf(request, `${home(token)}/measures/${encodeURIComponent(measure.id)}`);
        return send(reply, 200, measurePage(frame, { token, measure }));
      } catch (error) {
        if (error instanceof DomainError && error.code === 'not_found') {
          return send(reply, 404, measureNotFoundPage(frameOf(request, home(token))));
        }
        throw error;
      }
    });

    app.post('/s/:token/measures/:id/agreement', { schema: { hide: true } }, async (request: ItemRequest, reply) => {
      const { token, id } = request.params;
      const frame = frameOf(request, home(token));
      const t = caseTextsOf(frame);
      const actorId = await holderOf(request, token);
      const answer = formValue(request, 'answer');
      if (answer !== 'agreed' && answer !== 'declined') return send(reply, 400, errorPage(frame));
      const problem = ({ status, message }: { status: number; message: string }) =>
        personalPage(request, token, reply, status, { cases: { errors: { measures: message } } });
      try {
        await ownCases(request, actorId).agreeOwn(actorId, id, answer);
      } catch (error) {
        const found = itemProblem(error, t, t.measureNotWaiting);
        if (found === null) throw error;
        return problem(found);
      }
      return send(reply, 200, agreementRecordedPage(frame, answer === 'agreed'));
    });

    app.post('/s/:token/feedback/:id', { schema: { hide: true } }, async (request: ItemRequest, reply) => {
      const { token, id } = request.params;
      const frame = frameOf(request, home(token));
      const t = caseTextsOf(frame);
      const actorId = await holderOf(request, token);
      const useful = formValue(request, 'useful');
      const increasedRisk = formValue(request, 'increasedRisk');
      const comment = formValue(request, 'comment');
      const sent: FeedbackValues & { id: string } = { id, useful, increasedRisk, comment };
      const problem = ({ status, message }: { status: number; message: string }) =>
        personalPage(request, token, reply, status, { cases: { errors: { feedback: message }, feedbackValues: sent } });
      if (!isOneOf<Usefulness>(USEFULNESS, useful) || !isOneOf<RiskEffect>(RISK_EFFECTS, increasedRisk)) {
        return problem({ status: 400, message: t.answersMissing });
      }
      try {
        await ownCases(request, actorId).recordFeedback(
          id,
          { useful, increasedRisk, comment: comment.trim() || null },
          'self_service',
        );
      } catch (error) {
        const found = itemProblem(error, t, t.alreadyAnswered);
        if (found === null) throw error;
        return problem(found);
      }
      return send(reply, 200, feedbackRecordedPage(frame));
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

    // ——— the public request form ———

    app.get('/help', { schema: { hide: true } }, async (request: PageRequest, reply) =>
      send(reply, 200, helpPage(frameOf(request, '/help'))),
    );

    app.post('/help', { schema: { hide: true } }, async (request: PageRequest, reply) => {
      const frame = frameOf(request, '/help');
      const t = caseTextsOf(frame);
      const values: Required<HelpFormValues> = {
        name: formValue(request, 'name'),
        contact: formValue(request, 'contact'),
        description: formValue(request, 'description'),
        urgent: formValue(request, 'urgent'),
        'by-name': formValue(request, 'by-name'),
        'by-relationship': formValue(request, 'by-relationship'),
        'by-contact': formValue(request, 'by-contact'),
      };
      const problem = (status: number, message: string) =>
        send(reply, status, helpPage(frame, { error: message, values }));
      const key = `help:${request.ip}`;
      if (requestsMade.blocked(key, nowMs())) return problem(429, textsOf(frame).tooMany);
      // Without a name and a safe way to reach them, nobody could answer a request made here.
      if (!values.name.trim()) return problem(400, t.defenderNameMissing);
      if (!values.contact.trim()) return problem(400, t.safeContactMissing);
      if (!values.description.trim()) return problem(400, t.descriptionMissing);
      const intermediary = {
        name: values['by-name'].trim(),
        relationship: values['by-relationship'].trim(),
        contact: values['by-contact'].trim(),
      };
      const given = Object.values(intermediary).filter(Boolean).length;
      if (given > 0 && given < 3) return problem(400, t.intermediaryIncomplete);
      try {
        await deps.cases
          .forContext({ principal: 'public', source: request.ip }, reachesNothing(clock.now().toISOString()))
          .submitPublicRequest({
            defenderName: values.name.trim(),
            description: values.description,
            safeContact: values.contact.trim(),
            statedUrgent: values.urgent === 'yes',
            intermediary: given === 3 ? intermediary : null,
          });
      } catch (error) {
        if (invalidField(error) === null) throw error;
        return problem(400, t.textTooLong);
      }
      requestsMade.fail(key, nowMs());
      return send(reply, 200, requestReceivedPage(frame, false));
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
