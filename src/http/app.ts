import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AccessService } from '../core/access/service.ts';
import type { AccountService } from '../core/accounts/service.ts';
import type { AuditTrail } from '../core/audit/model.ts';
import type { CaseService } from '../core/cases/service.ts';
import type { ConsentService } from '../core/consent/service.ts';
import type { ChainService } from '../core/incidents/chains.ts';
import type { IncidentService } from '../core/incidents/service.ts';
import type { IncidentTransferService } from '../core/incidents/transfer/service.ts';
import type { KeyService } from '../core/keys/service.ts';
import type { PlanService } from '../core/plans/service.ts';
import type { Clock } from '../core/ports.ts';
import type { FacetStore } from '../core/registry/analysis.ts';
import type { RegistryService } from '../core/registry/service.ts';
import type { RiskService } from '../core/risk/service.ts';
import type { ThesaurusService } from '../core/thesauri/service.ts';
import { installAuth } from './auth.ts';
import { errorBody, handleError } from './errors.ts';
import { accountRoutes } from './routes/accounts.ts';
import { alertRoutes, type RapidResponseHttp } from './routes/alerts.ts';
import { analysisRoutes } from './routes/analysis.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { caseRoutes } from './routes/cases.ts';
import { chainRoutes } from './routes/chains.ts';
import { consentRoutes } from './routes/consent.ts';
import { defenderPageRoutes, redactSecretPaths } from './routes/defender-pages.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { keyRoutes } from './routes/keys.ts';
import { planRoutes } from './routes/plans.ts';
import { registryRoutes } from './routes/registry.ts';
import { riskRoutes } from './routes/risk.ts';
import { sharingRoutes } from './routes/sharing.ts';
import { thesaurusRoutes } from './routes/thesauri.ts';
import { type TransferFiles, transferRoutes } from './routes/transfer.ts';
import { vocabularyRoutes } from './routes/vocabularies.ts';
import { Health } from './schemas.ts';
import { validatorCompiler } from './validation.ts';

export interface HttpDeps {
  registry: RegistryService;
  /** The HURIDOCS micro-thesauri (/api/v1/thesauri). */
  thesauri: ThesaurusService;
  accounts: AccountService;
  access: AccessService;
  consent: ConsentService;
  /** Incidents (/api/v1/incidents). */
  incidents: IncidentService;
  /** Risk assessments and review flags (/api/v1/risk-assessments, /api/v1/review-flags). */
  risks: RiskService;
  /** Security plans (/api/v1/security-plans). */
  plans: PlanService;
  /**
   * Protection cases: requests for help, cases, measures, referrals and reports (/api/v1/requests,
   * /cases, /measures, /referrals, /case-reports…), and the defender's own on their pages.
   */
  cases: CaseService;
  /** Chains of events between incidents (/api/v1/incidents/:id/chain). */
  chains: ChainService;
  /** Import and export of incidents (/api/v1/incidents/import, /export) and where uploads are spooled. */
  transfer: { service: IncidentTransferService; files: TransferFiles };
  /**
   * Rapid response: alerts and their live feed, ladders, channels, the duty roster, check-ins and
   * inbound replies (/api/v1/…), and the defender's pages without JavaScript (/s/…, /sos, /ack/…).
   */
  alerts: RapidResponseHttp;
  facets: FacetStore;
  audit: AuditTrail;
  clock: Clock;
  /** Renders an otpauth URI as an SVG QR code (a library, chosen by the composition root). */
  qrSvg(text: string): Promise<string>;
  /**
   * Whether session cookies carry `Secure`. Always true in service; browsers accept Secure cookies
   * from http://localhost and 127.0.0.1, so local use still works.
   */
  secureCookies?: boolean;
  /** Behind a TLS-terminating proxy at these addresses, trust its X-Forwarded-* headers. */
  trustProxy?: string[] | false;
  /** TLS certificate and key (PEM) to serve HTTPS directly. */
  https?: { cert: Buffer; key: Buffer } | null;
  /** Key management (POST /api/v1/keys/rotate); the route is absent without it. */
  keys?: KeyService;
  engine: 'pglite' | 'postgres';
  version: string;
  logLevel: string;
  /** Where log lines go; standard output when left out (tests read them from here). */
  logStream?: { write(line: string): void };
  /** Directory of the built web UI; the API still works when it is missing. */
  webRoot: string;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // No camera, microphone or location for any page, and no sharing of this window or its files with other sites.
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.https ? { https: deps.https } : {}),
    trustProxy: deps.trustProxy && deps.trustProxy.length > 0 ? deps.trustProxy : false,
    logger: {
      level: deps.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      serializers: {
        // Paths carry only ids; query strings are dropped from logs in case one ever holds personal data,
        // and the secrets of personal and acknowledgement links (/s/…, /ack/…) are blanked out.
        req: (req: { method: string; url: string }) => ({
          method: req.method,
          path: redactSecretPaths(req.url.split('?')[0] ?? ''),
        }),
      },
    },
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    // Only a response that arrived over TLS may pin TLS; over plain HTTP the header is meaningless.
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Personal data must not linger in shared or browser caches.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  await installAuth(app, deps.accounts);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Amparo API',
        version: deps.version,
        description: 'Registry of human rights defenders, the collectives they belong to and the ties between them.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
    },
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      api.get(
        '/health',
        { schema: { tags: ['system'], summary: 'Liveness and the database engine in use', response: { 200: Health } } },
        async () => ({ status: 'ok' as const, engine: deps.engine, version: deps.version }),
      );
      await api.register(
        authRoutes({ accounts: deps.accounts, qrSvg: deps.qrSvg, secureCookies: deps.secureCookies ?? true }),
      );
      await api.register(accountRoutes(deps.accounts));
      await api.register(sharingRoutes(deps.access, deps.accounts, deps.clock));
      await api.register(consentRoutes(deps.consent, deps.clock));
      await api.register(analysisRoutes(deps.facets));
      await api.register(registryRoutes(deps.registry, deps.clock));
      await api.register(incidentRoutes(deps.incidents, deps.clock));
      await api.register(riskRoutes(deps.risks, deps.clock));
      await api.register(planRoutes(deps.plans, deps.clock));
      await api.register(caseRoutes(deps.cases, deps.clock));
      await api.register(chainRoutes(deps.chains, deps.clock));
      await api.register(transferRoutes(deps.transfer.service, deps.transfer.files, deps.clock));
      await api.register(vocabularyRoutes(deps.registry));
      await api.register(thesaurusRoutes(deps.thesauri));
      await api.register(auditRoutes(deps.audit));
      await api.register(alertRoutes(deps.alerts, deps.accounts, deps.clock));
      if (deps.keys) await api.register(keyRoutes(deps.keys));
    },
    { prefix: '/api/v1' },
  );

  await app.register(defenderPageRoutes({ ...deps.alerts, cases: deps.cases }, deps.clock));

  const webRoot = resolve(deps.webRoot);
  const hasWeb = existsSync(resolve(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (request.method === 'GET' && !path.startsWith('/api/')) {
      // The web UI routes on the client: any page URL gets the app shell.
      if (hasWeb) return reply.type('text/html').sendFile('index.html');
      return reply
        .type('text/plain; charset=utf-8')
        .send('The web UI has not been built. Run `npm run build`, or use the API under /api/v1.');
    }
    return reply.status(404).send(errorBody('not_found', 'There is no such endpoint.'));
  });

  return app;
}
