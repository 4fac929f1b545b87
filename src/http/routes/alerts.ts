/**
 * Rapid response over the API: alerts and their live feed, escalation ladders, contact channels, the
 * duty roster, check-ins, a defender's safety credentials, and replies that come back through the
 * e-mail or SMS bridge ("ACK 12345678", "SOS 12345678").
 */
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SharingStore } from '../../core/access/ports.ts';
import { scopeFor } from '../../core/access/scope.ts';
import type { AccountService } from '../../core/accounts/service.ts';
import type { CheckInService } from '../../core/alerts/check-ins.ts';
import type { ChannelInput, LadderService } from '../../core/alerts/ladders.ts';
import type { AlertStatus, ChannelKind, Recipient } from '../../core/alerts/model.ts';
import { ALERT_STATUSES } from '../../core/alerts/model.ts';
import type { AlertRegistry, AlertStore, DutyShift, ResponderDirectory } from '../../core/alerts/ports.ts';
import { handleInboundReply } from '../../core/alerts/replies.ts';
import type { AlertService } from '../../core/alerts/service.ts';
import { DomainError, invalid } from '../../core/errors.ts';
import type { Clock } from '../../core/ports.ts';
import { AlertFeed, type FeedClient } from '../alert-feed.ts';
import {
  Alert,
  AlertDetail,
  AlertList,
  AlertListQuery,
  ChannelBody,
  ChannelList,
  ChannelOwnerQuery,
  CheckIn,
  CheckInList,
  CreateLadderBody,
  DutyShiftBody,
  DutyShiftList,
  DutyShift as DutyShiftSchema,
  InboundReplyBody,
  InboundReplyResult,
  LadderOverview,
  LadderWithWarnings,
  NotificationChannel,
  OwnedChannelBody,
  RaiseAlertBody,
  ResolveAlertBody,
  SafetyLink,
  SafetyPinsBody,
  SafetyStatus,
  ScheduleCheckInBody,
  SendableKinds,
  TakeResult,
  UpdateLadderBody,
} from '../alert-schemas.ts';
import { accessContextOf, SESSION_COOKIE, scopeOf, viewerOf } from '../auth.ts';
import { errorBody } from '../errors.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

// The defender's pages act through secrets too.

/** What the HTTP layer of rapid response needs, wired by the composition root. */
export interface RapidResponseHttp {
  service: AlertService;
  checkIns: CheckInService;
  ladders: LadderService;
  /** The live feed reads every alert's new timeline events here. */
  store: AlertStore;
  /** Which of those alerts each listener reaches. */
  sharing: SharingStore;
  /** User names for the duty roster and for "already taken by …". */
  directory: ResponderDirectory;
  /** Contacts' names, for "already taken by …". */
  registry: AlertRegistry;
  /** The channel kinds this installation can send on. */
  sendable(): ReadonlySet<ChannelKind>;
  /**
   * Whether an inbound reply carries a valid signature (headers `Amparo-Timestamp` and
   * `Amparo-Signature`, HMAC with the installation's webhook secret) over its raw body.
   */
  verifyInbound(timestamp: string | undefined, body: string, signature: string | undefined): boolean;
  /** The address people use, for the personal links handed to defenders. */
  publicUrl(): string;
  /** The time zone (IANA name) the defender's pages show times in; UTC when not set. */
  timeZone?: string;
  /** How often the live feed looks for new events (tests shorten it). */
  feedPollMs?: number;
}

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const noContent = { 204: { type: 'null' }, ...errors } as const;
const tags = ['rapid response'];
const DEFAULT_STATUSES: AlertStatus[] = ['open', 'acknowledged'];
const DEFAULT_LIMIT = 50;

/** `user:<id>` or `actor:<id>` as given in `?owner=` (the schema checked the form). */
const ownerOf = (param: string): Recipient => {
  const [kind, id] = param.split(':') as ['user' | 'actor', string];
  return { kind, id };
};

const channelInput = ({ kind, address, position, enabled, language }: ChannelInput): ChannelInput => ({
  kind,
  address,
  position,
  enabled,
  ...(language === undefined ? {} : { language }),
});

/** A user's name, or a contact's, as a responder sees who took an alert. */
export async function responderName(
  deps: Pick<RapidResponseHttp, 'directory' | 'registry'>,
  who: string | null,
): Promise<string | null> {
  if (!who) return null;
  const [kind, id] = who.split(':');
  if (!id) return null;
  if (kind === 'actor') return (await deps.registry.findActor(id))?.profile.name ?? null;
  if (kind === 'user') return deps.directory.usernameOf(id);
  return null;
}

export const alertRoutes =
  (deps: RapidResponseHttp, accounts: AccountService, clock: Clock): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Services per request: every audit entry names who asked, and only records in their scope are reached.
    const context = (request: FastifyRequest) => [accessContextOf(request), scopeOf(request, clock)] as const;
    const alerts = (request: FastifyRequest) => deps.service.forContext(...context(request));
    const ladders = (request: FastifyRequest) => deps.ladders.forContext(...context(request));
    const checkIns = (request: FastifyRequest) => deps.checkIns.forContext(...context(request));
    const me = (request: FastifyRequest): Recipient => ({ kind: 'user', id: viewerOf(request).userId });

    const feed = new AlertFeed({
      store: deps.store,
      sharing: deps.sharing,
      clock,
      onError: (kind) => app.log.error({ err: { type: kind } }, 'alert feed poll failed'),
      ...(deps.feedPollMs ? { pollMs: deps.feedPollMs } : {}),
    });
    app.addHook('preClose', async () => feed.close());

    // ——— alerts ———

    app.get(
      '/alerts',
      {
        schema: {
          tags,
          summary: 'Alerts of the people you reach, newest first',
          querystring: AlertListQuery,
          response: { 200: AlertList, ...errors },
        },
      },
      async (request) => {
        const { status, before, limit } = request.query;
        const statuses = status
          ? [...new Set(status.split(','))].filter((s): s is AlertStatus => ALERT_STATUSES.includes(s as AlertStatus))
          : DEFAULT_STATUSES;
        return { items: await alerts(request).list({ statuses, before, limit: limit ?? DEFAULT_LIMIT }) };
      },
    );

    app.post(
      '/alerts',
      {
        schema: {
          tags,
          summary: 'Raise an alert about someone you reach; their escalation ladder starts at once',
          body: RaiseAlertBody,
          response: { 201: Alert, ...errors },
        },
      },
      async (request, reply) => {
        const { actorId, severity, message, location } = request.body;
        const alert = await alerts(request).raise({
          actorId,
          severity,
          message: message ?? null,
          location: location ?? null,
        });
        return reply.status(201).send(alert);
      },
    );

    app.get(
      '/alerts/events',
      {
        schema: {
          tags,
          summary: 'Live feed (server-sent events) of what happens to the alerts you reach',
          description:
            'Each event is `event: alert` with `data: {"alertId","kind","at"}`; reload the alert through the API. ' +
            'A comment line every 15 s keeps the connection open.',
        },
      },
      async (request, reply) => openFeed(request, reply),
    );

    app.get(
      '/alerts/:id',
      {
        schema: {
          tags,
          summary: 'An alert with its timeline, deliveries and who was notified',
          params: IdParams,
          response: { 200: AlertDetail, ...errors },
        },
      },
      async (request) => alerts(request).get(request.params.id),
    );

    app.post(
      '/alerts/:id/acknowledge',
      {
        schema: {
          tags,
          summary: 'Take the alert: the escalation stops for everyone, and the others are told who took it',
          params: IdParams,
          response: { 200: TakeResult, ...errors },
        },
      },
      async (request) => alerts(request).acknowledge(request.params.id),
    );

    app.post(
      '/alerts/:id/resolve',
      {
        schema: {
          tags,
          summary: 'Resolve the alert with a note on how',
          params: IdParams,
          body: ResolveAlertBody,
          response: { 200: Alert, ...errors },
        },
      },
      async (request) => alerts(request).resolve(request.params.id, request.body.note),
    );

    /** The stream stays open; its listener is checked again at every keep-alive. */
    function openFeed(request: FastifyRequest, reply: FastifyReply): void {
      const bearer = request.headers.authorization?.startsWith('Bearer ')
        ? request.headers.authorization.slice(7).trim()
        : undefined;
      const credential = bearer !== undefined ? { bearer } : { session: request.cookies[SESSION_COOKIE] ?? '' };
      let viewer = viewerOf(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // Proxies (nginx) would otherwise hold events back in their buffers.
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 5000\n\n');
      const client: FeedClient = {
        scope: (at) => scopeFor(viewer, at),
        write: (chunk) => {
          if (!raw.writableEnded) raw.write(chunk);
        },
        async stillAllowed() {
          // Not counted as activity: an open console with nobody at it must still time out.
          const identity = await accounts.authenticate(credential, { keepAlive: false });
          if (!identity?.permissions.includes('alerts.read')) return false;
          if (identity.session && identity.session.stage !== 'complete') return false;
          // Teams and role may have changed since the stream opened: the next events follow the new ones.
          viewer = {
            userId: identity.account.id,
            role: identity.account.role,
            teamIds: identity.teamIds,
            actorId: identity.account.actorId,
          };
          return true;
        },
        end: () => {
          if (!raw.writableEnded) raw.end();
        },
      };
      // The response closes when the listener goes away (or the server ends the stream).
      raw.on('close', feed.add(client));
    }

    // ——— escalation ladders ———

    app.get(
      '/ladders',
      {
        schema: {
          tags,
          summary: 'Every ladder you reach, with who it could not reach if an alert started now',
          response: { 200: LadderOverview, ...errors },
        },
      },
      async (request) => ladders(request).list(),
    );

    app.post(
      '/ladders',
      {
        schema: {
          tags,
          summary: "Make the network's ladder or an actor's own",
          body: CreateLadderBody,
          response: { 201: LadderWithWarnings, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await ladders(request).create(request.body)),
    );

    app.get(
      '/ladders/:id',
      {
        schema: {
          tags,
          summary: 'A ladder with its reachability warnings',
          params: IdParams,
          response: { 200: LadderWithWarnings, ...errors },
        },
      },
      async (request) => ladders(request).get(request.params.id),
    );

    app.put(
      '/ladders/:id',
      {
        schema: {
          tags,
          summary: 'Change a ladder (send the version you read); running escalations keep their copy',
          params: IdParams,
          body: UpdateLadderBody,
          response: { 200: LadderWithWarnings, ...errors },
        },
      },
      async (request) => {
        const { version, ...input } = request.body;
        return ladders(request).update(request.params.id, version, input);
      },
    );

    app.delete(
      '/ladders/:id',
      { schema: { tags, summary: 'Delete a ladder', params: IdParams, response: noContent } },
      async (request, reply) => {
        await ladders(request).remove(request.params.id);
        return reply.status(204).send(null);
      },
    );

    // ——— contact channels: your own ———

    /** The channel, if it is one of the caller's own (actors' channels are managed under /channels). */
    const ownChannel = async (request: FastifyRequest, id: string) => {
      const own = await ladders(request).channelsOf(me(request), false);
      if (!own.some((c) => c.id === id)) throw new DomainError('not_found', 'You have no channel with that id.');
    };

    app.get(
      '/me/channels',
      {
        schema: { tags, summary: 'How Amparo reaches you, in your order', response: { 200: ChannelList, ...errors } },
      },
      async (request) => ({ items: await ladders(request).channelsOf(me(request), false) }),
    );

    app.post(
      '/me/channels',
      {
        schema: {
          tags,
          summary: 'Add a way to reach you',
          body: ChannelBody,
          response: { 201: NotificationChannel, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await ladders(request).addChannel(me(request), channelInput(request.body), false)),
    );

    app.put(
      '/me/channels/:id',
      {
        schema: {
          tags,
          summary: 'Change one of your channels (its kind stays)',
          params: IdParams,
          body: ChannelBody,
          response: { 200: NotificationChannel, ...errors },
        },
      },
      async (request) => {
        await ownChannel(request, request.params.id);
        return ladders(request).updateChannel(request.params.id, channelInput(request.body), false);
      },
    );

    app.delete(
      '/me/channels/:id',
      { schema: { tags, summary: 'Remove one of your channels', params: IdParams, response: noContent } },
      async (request, reply) => {
        await ownChannel(request, request.params.id);
        await ladders(request).removeChannel(request.params.id, false);
        return reply.status(204).send(null);
      },
    );

    // ——— contact channels: people's and contacts' ———

    app.get(
      '/channels',
      {
        schema: {
          tags,
          summary: "A person's or a contact's channels",
          querystring: ChannelOwnerQuery,
          response: { 200: ChannelList, ...errors },
        },
      },
      async (request) => ({ items: await ladders(request).channelsOf(ownerOf(request.query.owner), true) }),
    );

    app.get(
      '/channels/kinds',
      {
        schema: { tags, summary: 'The channel kinds this installation can send on', response: { 200: SendableKinds } },
      },
      async () => ({ sendable: [...deps.sendable()] }),
    );

    app.post(
      '/channels',
      {
        schema: {
          tags,
          summary: "Add a channel to a person or a contact (an actor's needs them in your scope)",
          body: OwnedChannelBody,
          response: { 201: NotificationChannel, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await ladders(request).addChannel(request.body.owner, channelInput(request.body), true)),
    );

    app.put(
      '/channels/:id',
      {
        schema: {
          tags,
          summary: 'Change a channel (its kind stays)',
          params: IdParams,
          body: ChannelBody,
          response: { 200: NotificationChannel, ...errors },
        },
      },
      async (request) => ladders(request).updateChannel(request.params.id, channelInput(request.body), true),
    );

    app.delete(
      '/channels/:id',
      { schema: { tags, summary: 'Remove a channel', params: IdParams, response: noContent } },
      async (request, reply) => {
        await ladders(request).removeChannel(request.params.id, true);
        return reply.status(204).send(null);
      },
    );

    // ——— duty roster ———

    const withUsernames = async (shifts: DutyShift[]) => {
      const names = await deps.directory.usernames(shifts.map((s) => s.userId));
      return shifts.map((shift) => ({ ...shift, username: names.get(shift.userId) ?? '' }));
    };

    app.get(
      '/duty-shifts',
      {
        schema: {
          tags,
          summary: 'Who is on duty now and next (shifts that have not ended), soonest first',
          response: { 200: DutyShiftList, ...errors },
        },
      },
      async (request) => ({ items: await withUsernames(await ladders(request).shifts()) }),
    );

    app.post(
      '/duty-shifts',
      {
        schema: {
          tags,
          summary: 'Put someone on duty: the ladders’ on-duty step notifies them during the shift',
          body: DutyShiftBody,
          response: { 201: DutyShiftSchema, ...errors },
        },
      },
      async (request, reply) => {
        const shift = await ladders(request).addShift(request.body);
        return reply.status(201).send({ ...shift, username: (await deps.directory.usernameOf(shift.userId)) ?? '' });
      },
    );

    app.delete(
      '/duty-shifts/:id',
      { schema: { tags, summary: 'Remove a shift', params: IdParams, response: noContent } },
      async (request, reply) => {
        await ladders(request).removeShift(request.params.id);
        return reply.status(204).send(null);
      },
    );

    // ——— check-ins and safety credentials ———

    app.get(
      '/actors/:id/check-ins',
      {
        schema: {
          tags,
          summary: "A defender's active and missed check-ins, soonest due first",
          params: IdParams,
          response: { 200: CheckInList, ...errors },
        },
      },
      async (request) => ({ items: await checkIns(request).checkInsOf(request.params.id) }),
    );

    app.post(
      '/actors/:id/check-ins',
      {
        schema: {
          tags,
          summary: 'Set up a check-in with a defender: missing it (after the grace period) raises an alert',
          params: IdParams,
          body: ScheduleCheckInBody,
          response: { 201: CheckIn, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await checkIns(request).schedule(request.params.id, request.body)),
    );

    app.post(
      '/check-ins/:id/end',
      {
        schema: { tags, summary: 'End a check-in', params: IdParams, response: { 200: CheckIn, ...errors } },
      },
      async (request) => checkIns(request).end(request.params.id),
    );

    app.get(
      '/actors/:id/safety',
      {
        schema: {
          tags,
          summary: 'Whether the defender has a personal link and PINs (never the secrets)',
          params: IdParams,
          response: { 200: SafetyStatus, ...errors },
        },
      },
      async (request) => checkIns(request).safetyStatus(request.params.id),
    );

    app.post(
      '/actors/:id/safety/link',
      {
        schema: {
          tags,
          summary: 'Issue a new personal link and short code (the old ones stop working); shown once',
          description: 'Whoever holds them can raise an alert in the defender’s name: hand them over in person.',
          params: IdParams,
          response: { 200: SafetyLink, ...errors },
        },
      },
      async (request, reply) => {
        const { link, code } = await checkIns(request).issueLink(request.params.id);
        reply.header('cache-control', 'no-store');
        return { url: `${deps.publicUrl().replace(/\/+$/, '')}/s/${link}`, code };
      },
    );

    app.put(
      '/actors/:id/safety/pins',
      {
        schema: {
          tags,
          summary: 'Set the check-in PIN and the duress PIN',
          params: IdParams,
          body: SafetyPinsBody,
          response: noContent,
        },
      },
      async (request, reply) => {
        await checkIns(request).setPins(request.params.id, request.body.pin, request.body.duressPin);
        return reply.status(204).send(null);
      },
    );

    // ——— replies through the e-mail or SMS bridge ———

    await app.register(async (plain) => {
      const inbound = plain.withTypeProvider<TypeBoxTypeProvider>();
      // The signature covers the exact bytes received: keep them beside the parsed body.
      const rawBodies = new WeakMap<FastifyRequest, string>();
      inbound.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        rawBodies.set(request, body as string);
        try {
          done(null, JSON.parse(body as string));
        } catch (error) {
          done(error as Error, undefined);
        }
      });
      // Checked before the body's shape: an unsigned request learns nothing about what would be accepted.
      inbound.addHook('preValidation', async (request, reply) => {
        const header = (name: string) => {
          const value = request.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const signed = deps.verifyInbound(
          header('amparo-timestamp'),
          rawBodies.get(request) ?? '',
          header('amparo-signature'),
        );
        if (!signed) {
          return reply.status(401).send(errorBody('bad_signature', 'The request is not signed by this installation.'));
        }
      });

      inbound.post(
        '/inbound/reply',
        {
          schema: {
            tags,
            summary:
              'A reply passed on by the e-mail or SMS bridge: "ACK <code>" takes the alert, "SOS <code>" raises one',
            description: 'Signed like outgoing webhooks: `Amparo-Timestamp` and `Amparo-Signature` over the raw body.',
            body: InboundReplyBody,
            response: { 200: InboundReplyResult, ...errors },
          },
        },
        async (request) => {
          const done = await handleInboundReply({ ...deps, clock }, request.body.text, request.ip);
          if (done === 'no_command') throw invalid('text', 'Expected "ACK <code>" or "SOS <code>".');
          return { done };
        },
      );
    });
  };
