/**
 * Configuration from the environment, validated once at start with errors that say what to fix.
 * Documented in the README's configuration table.
 */
import { isIP } from 'node:net';
import { parseMasterKeyList } from './adapters/crypto/master-keys.ts';
import { PRIVATE_NETWORK_POLICIES, type PrivateNetworkPolicy } from './adapters/delivery/address-guard.ts';
import type { InboundMailSettings } from './adapters/delivery/inbound-smtp.ts';
import { MIN_WEBHOOK_SECRET_LENGTH } from './adapters/delivery/secret.ts';
import { isTwilioAccountSid, isTwilioSender, TWILIO_BASE_URL, type TwilioSettings } from './adapters/delivery/sms.ts';
import type { SmtpSettings } from './adapters/delivery/smtp.ts';

export interface Config {
  /** postgres:// URL of a PostgreSQL 15+ server; when unset, the embedded engine is used. */
  databaseUrl: string | undefined;
  /** Data directory of the embedded engine, or 'memory://'. */
  dataDir: string;
  host: string;
  port: number;
  /** Directory holding the built web UI. */
  webRoot: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** AMPARO_MASTER_KEY: base64 master key(s), current first; when set, no key file is used. */
  masterKey: string | undefined;
  /** AMPARO_MASTER_KEY_FILE; unset = amparo-master.key next to the data directory. */
  masterKeyFile: string | undefined;
  /** AMPARO_TLS_CERT_FILE and AMPARO_TLS_KEY_FILE (PEM): serve HTTPS directly. */
  tls: { certFile: string; keyFile: string } | null;
  /** AMPARO_TRUSTED_PROXY: addresses or CIDR ranges of a TLS-terminating reverse proxy. */
  trustedProxies: string[];
  /** AMPARO_PUBLIC_URL: the address people use (passkeys are bound to its host name). */
  publicUrl: string;
  /** AMPARO_ALERT_AUDIT_SECONDS: how often each worker's auditor re-checks deliveries, escalations and check-ins. */
  alertAuditSeconds: number;
  /** AMPARO_ALERT_LEASE_SECONDS: how long a worker holds a delivery it is sending before another may take it over. */
  alertLeaseSeconds: number;
  /** AMPARO_TIME_ZONE (IANA name, default UTC): the times shown on the defenders' pages. */
  timeZone: string;
  /** AMPARO_SMTP_URL and AMPARO_SMTP_FROM: e-mail notifications; null when no SMTP server is set. */
  smtp: SmtpSettings | null;
  /** AMPARO_WEBHOOK_SECRET; unset = amparo-webhook.secret next to the data directory. */
  webhookSecret: string | undefined;
  /** AMPARO_WEBHOOK_PRIVATE_NETWORKS: `refuse` (default) or `allow` webhooks to loopback and private addresses. */
  webhookPrivateNetworks: PrivateNetworkPolicy;
  /** AMPARO_SMS_PROVIDER and its AMPARO_TWILIO_* settings; null when no SMS provider is set. */
  sms: ({ provider: 'twilio' } & TwilioSettings) | null;
  /** AMPARO_REPLY_ADDRESS and AMPARO_INBOUND_SMTP_*: e-mail replies straight to Amparo; null when no reply address is set. */
  inboundMail: InboundMailSettings | null;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (or be unset to use the embedded database).');
  }
  const port = Number(env.AMPARO_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('AMPARO_PORT must be a port number between 0 and 65535.');
  }
  const logLevel = (env.AMPARO_LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`AMPARO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);
  }
  const masterKey = env.AMPARO_MASTER_KEY?.trim() || undefined;
  if (masterKey !== undefined) {
    try {
      parseMasterKeyList(masterKey);
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
  }
  const tls = certificatePair(env, 'AMPARO_TLS_CERT_FILE', 'AMPARO_TLS_KEY_FILE');
  const trustedProxies = commaSeparated(env.AMPARO_TRUSTED_PROXY);
  for (const proxy of trustedProxies) {
    const [address, bits, extra] = proxy.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 4 ? 32 : 128;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== undefined && !(Number(bits) >= 0 && Number(bits) <= maxBits))
    ) {
      throw new ConfigError('AMPARO_TRUSTED_PROXY is a comma-separated list of IP addresses or CIDR ranges.');
    }
  }
  const publicUrl = env.AMPARO_PUBLIC_URL?.trim() || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+\/?$/.test(publicUrl)) {
    throw new ConfigError('AMPARO_PUBLIC_URL is the scheme and host people use, e.g. https://amparo.example.org');
  }
  const alertAuditSeconds = Number(env.AMPARO_ALERT_AUDIT_SECONDS?.trim() || 15);
  if (!(alertAuditSeconds >= 0.1 && alertAuditSeconds <= 3600)) {
    throw new ConfigError('AMPARO_ALERT_AUDIT_SECONDS must be a number of seconds between 0.1 and 3600.');
  }
  const alertLeaseSeconds = Number(env.AMPARO_ALERT_LEASE_SECONDS?.trim() || 60);
  if (!(Number.isInteger(alertLeaseSeconds) && alertLeaseSeconds >= 5 && alertLeaseSeconds <= 3600)) {
    throw new ConfigError('AMPARO_ALERT_LEASE_SECONDS must be a whole number of seconds between 5 and 3600.');
  }
  const timeZone = env.AMPARO_TIME_ZONE?.trim() || 'UTC';
  if (!isTimeZone(timeZone)) {
    throw new ConfigError('AMPARO_TIME_ZONE must be an IANA time zone name, e.g. America/Bogota or Africa/Nairobi.');
  }
  const config: Config = {
    databaseUrl,
    dataDir: env.AMPARO_DATA_DIR?.trim() || './amparo-data',
    host: env.AMPARO_HOST?.trim() || '127.0.0.1',
    port,
    webRoot: env.AMPARO_WEB_ROOT?.trim() || 'dist/web',
    logLevel,
    masterKey,
    masterKeyFile: env.AMPARO_MASTER_KEY_FILE?.trim() || undefined,
    tls,
    trustedProxies,
    publicUrl: '',
    alertAuditSeconds,
    alertLeaseSeconds,
    timeZone,
    ...deliveryConfig(env),
    inboundMail: inboundMailConfig(env),
    ...overrides,
  };
  config.publicUrl ||=
    publicUrl?.replace(/\/$/, '') ??
    `${config.tls ? 'https' : 'http'}://localhost${config.port === 80 ? '' : `:${config.port}`}`;
  assertSafeListening(config);
  return config;
}

const isTimeZone = (name: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

export const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/**
 * Passwords and session cookies must never cross a network in the clear: Amparo listens beyond
 * loopback only when it serves TLS itself or sits behind an explicitly trusted TLS-terminating proxy.
 */
export function assertSafeListening(config: Pick<Config, 'host' | 'tls' | 'trustedProxies'>): void {
  if (isLoopback(config.host) || config.tls !== null || config.trustedProxies.length > 0) return;
  throw new ConfigError(
    `Refusing to listen on ${config.host} without TLS: set AMPARO_TLS_CERT_FILE and AMPARO_TLS_KEY_FILE, or run behind a TLS-terminating reverse proxy named in AMPARO_TRUSTED_PROXY. Plain HTTP is served on loopback (127.0.0.1, ::1, localhost) only.`,
  );
}

/** The delivery channels' settings. Messages name the variable, never its value (they hold secrets). */
function deliveryConfig(
  env: NodeJS.ProcessEnv,
): Pick<Config, 'smtp' | 'webhookSecret' | 'webhookPrivateNetworks' | 'sms'> {
  const smtpUrl = env.AMPARO_SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined && !isSmtpUrl(smtpUrl)) {
    throw new ConfigError(
      'AMPARO_SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465.',
    );
  }
  const from = env.AMPARO_SMTP_FROM?.trim() || 'Amparo <amparo@localhost>';
  if (!/^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(from)) {
    throw new ConfigError('AMPARO_SMTP_FROM must be an e-mail address, e.g. Amparo <alerts@example.org>.');
  }
  const webhookSecret = env.AMPARO_WEBHOOK_SECRET?.trim() || undefined;
  if (webhookSecret !== undefined && webhookSecret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new ConfigError(
      `AMPARO_WEBHOOK_SECRET must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (e.g. openssl rand -hex 32), or unset to have one made.`,
    );
  }
  const webhookPrivateNetworks = (env.AMPARO_WEBHOOK_PRIVATE_NETWORKS?.trim() || 'refuse') as PrivateNetworkPolicy;
  if (!PRIVATE_NETWORK_POLICIES.includes(webhookPrivateNetworks)) {
    throw new ConfigError(
      'AMPARO_WEBHOOK_PRIVATE_NETWORKS must be refuse (the default: webhooks never reach loopback or private addresses) or allow (a bridge on this machine or the LAN).',
    );
  }
  return {
    smtp: smtpUrl ? { url: smtpUrl, from } : null,
    webhookSecret,
    webhookPrivateNetworks,
    sms: smsConfig(env),
  };
}

const INBOUND_VARIABLES = [
  'AMPARO_INBOUND_SMTP_PORT',
  'AMPARO_INBOUND_SMTP_HOST',
  'AMPARO_INBOUND_SMTP_TLS_CERT',
  'AMPARO_INBOUND_SMTP_TLS_KEY',
  'AMPARO_INBOUND_SMTP_TRUSTED_RELAYS',
] as const;

/** The inbound SMTP listener's settings: on only with a reply address. */
function inboundMailConfig(env: NodeJS.ProcessEnv): Config['inboundMail'] {
  const address = env.AMPARO_REPLY_ADDRESS?.trim() || undefined;
  if (address === undefined) {
    const stray = INBOUND_VARIABLES.filter((name) => env[name]?.trim());
    if (stray.length > 0) {
      throw new ConfigError(
        `${stray.join(', ')} is set but AMPARO_REPLY_ADDRESS is not: set AMPARO_REPLY_ADDRESS (e.g. replies@alerts.example.org) to receive e-mail replies.`,
      );
    }
    return null;
  }
  if (!/^[^<>@\s",;:()[\]\\]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(address)) {
    throw new ConfigError('AMPARO_REPLY_ADDRESS must be a bare e-mail address, e.g. replies@alerts.example.org.');
  }
  const port = Number(env.AMPARO_INBOUND_SMTP_PORT?.trim() || 2525);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('AMPARO_INBOUND_SMTP_PORT must be a port number between 0 and 65535 (0: any free port).');
  }
  const host = env.AMPARO_INBOUND_SMTP_HOST?.trim() || '0.0.0.0';
  if (isIP(host) === 0 && host !== 'localhost') {
    throw new ConfigError(
      'AMPARO_INBOUND_SMTP_HOST must be an IP address to listen on, e.g. 0.0.0.0, :: or 127.0.0.1.',
    );
  }
  const tls = certificatePair(env, 'AMPARO_INBOUND_SMTP_TLS_CERT', 'AMPARO_INBOUND_SMTP_TLS_KEY');
  const trustedRelays = commaSeparated(env.AMPARO_INBOUND_SMTP_TRUSTED_RELAYS);
  if (trustedRelays.some((entry) => isIP(entry) === 0)) {
    throw new ConfigError(
      'AMPARO_INBOUND_SMTP_TRUSTED_RELAYS must list IP addresses, separated by commas, e.g. 127.0.0.1,::1.',
    );
  }
  return { address, host, port, tls, trustedRelays };
}

/** A certificate and key file named by two variables: both or neither. */
function certificatePair(
  env: NodeJS.ProcessEnv,
  certVariable: string,
  keyVariable: string,
): { certFile: string; keyFile: string } | null {
  const certFile = env[certVariable]?.trim() || undefined;
  const keyFile = env[keyVariable]?.trim() || undefined;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError(`Set both ${certVariable} and ${keyVariable}, or neither.`);
  }
  return certFile && keyFile ? { certFile, keyFile } : null;
}

/** The entries of a comma-separated list, trimmed, empty ones left out. */
const commaSeparated = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

const TWILIO_VARIABLES = ['AMPARO_TWILIO_ACCOUNT_SID', 'AMPARO_TWILIO_AUTH_TOKEN', 'AMPARO_TWILIO_FROM'] as const;

function smsConfig(env: NodeJS.ProcessEnv): Config['sms'] {
  const provider = env.AMPARO_SMS_PROVIDER?.trim() || undefined;
  if (provider === undefined) {
    if (TWILIO_VARIABLES.some((name) => env[name]?.trim())) {
      throw new ConfigError('AMPARO_TWILIO_* is set but AMPARO_SMS_PROVIDER is not: set AMPARO_SMS_PROVIDER=twilio.');
    }
    return null;
  }
  if (provider !== 'twilio') throw new ConfigError('AMPARO_SMS_PROVIDER must be twilio (or unset for no SMS).');
  const missing = TWILIO_VARIABLES.filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw new ConfigError(`AMPARO_SMS_PROVIDER=twilio needs ${missing.join(', ')}.`);
  const accountSid = env.AMPARO_TWILIO_ACCOUNT_SID?.trim() ?? '';
  const authToken = env.AMPARO_TWILIO_AUTH_TOKEN?.trim() ?? '';
  const from = env.AMPARO_TWILIO_FROM?.trim() ?? '';
  if (!isTwilioAccountSid(accountSid)) {
    throw new ConfigError('AMPARO_TWILIO_ACCOUNT_SID must be the account SID: AC followed by 32 hexadecimal digits.');
  }
  if (!isTwilioSender(from)) {
    throw new ConfigError(
      'AMPARO_TWILIO_FROM must be a phone number in E.164 (+14155550100), a Messaging Service SID (MG…) or an alphanumeric sender id of up to 11 characters.',
    );
  }
  const baseUrl = env.AMPARO_TWILIO_BASE_URL?.trim().replace(/\/+$/, '') || TWILIO_BASE_URL;
  if (!isCredentialSafeUrl(baseUrl)) {
    throw new ConfigError(
      'AMPARO_TWILIO_BASE_URL must be an https:// URL (plain http:// only on loopback), as the auth token travels with every request.',
    );
  }
  return { provider, accountSid, authToken, from, baseUrl };
}

function isCredentialSafeUrl(value: string): boolean {
  try {
    const url = new URL(value);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(host));
  } catch {
    return false;
  }
}
