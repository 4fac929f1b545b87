/**
 * The rules of signing in: passwords, slowing down and locking after failures, session lifetimes,
 * token lifetimes. Pure functions of their inputs so that they can be property-tested.
 */
import { invalid } from '../errors.ts';
import { addSeconds } from '../time.ts';

export const PASSWORD = { minLength: 12, maxLength: 256 } as const;
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export const THROTTLE = {
  /** Failures allowed before each further attempt must wait. */
  freeFailures: 4,
  /** The wait doubles from one second with every failure beyond the free ones, up to this. */
  maxDelaySeconds: 60,
  /** Failures after which the account locks. */
  lockAfter: 10,
  /** A lock lifts by itself after this long (an administrator can lift it sooner). */
  lockMinutes: 15,
  /** Per source address: failures within the window after which the address is refused. */
  sourceLimit: 30,
  sourceWindowMinutes: 15,
} as const;

export const SESSION = {
  /** A complete session ends after this long without a request. */
  idleMinutes: 30,
  /** …and after this long in any case. */
  absoluteHours: 12,
  /** A session waiting for its second factor lasts only this long. */
  pendingMinutes: 10,
} as const;

export const API_TOKEN = { defaultDays: 90, maxDays: 366 } as const;

export const RECOVERY_CODES = 10;

export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

export function checkUsername(username: string): string {
  const normalized = normalizeUsername(username);
  if (!USERNAME_PATTERN.test(normalized)) {
    throw invalid(
      'username',
      'A username has 2 to 63 characters: letters a–z, digits, dots, hyphens and underscores, starting with a letter or digit.',
    );
  }
  return normalized;
}

/** Long passphrases beat complexity rules; the message never repeats the password. */
export function checkPassword(password: string, username: string): void {
  const length = [...password].length;
  if (length < PASSWORD.minLength) {
    throw invalid(
      'password',
      `A password needs at least ${PASSWORD.minLength} characters; a few words make a good one.`,
    );
  }
  if (length > PASSWORD.maxLength)
    throw invalid('password', `A password has at most ${PASSWORD.maxLength} characters.`);
  if (new Set(password).size < 4) throw invalid('password', 'This password repeats too few characters to be safe.');
  if (username.length >= 3 && password.toLowerCase().includes(normalizeUsername(username))) {
    throw invalid('password', 'A password must not contain the username.');
  }
}

/** When the next attempt on an account may be checked, given its failures so far. */
export function nextAttemptAt(failedLogins: number, lastFailedAt: string | null): string | null {
  if (lastFailedAt === null || failedLogins < THROTTLE.freeFailures) return null;
  const delay = Math.min(THROTTLE.maxDelaySeconds, 2 ** (failedLogins - THROTTLE.freeFailures));
  return addSeconds(lastFailedAt, delay);
}

export type FailureOutcome = { failedLogins: number; lockedUntil: string | null };

/** The account's state after one more failure at `now`. */
export function afterFailure(failedLogins: number, now: string): FailureOutcome {
  const failures = failedLogins + 1;
  return {
    failedLogins: failures,
    lockedUntil: failures >= THROTTLE.lockAfter ? addSeconds(now, THROTTLE.lockMinutes * 60) : null,
  };
}

export const isAfter = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

/** A source's failure count, forgetting failures older than the window. */
export function sourceFailures(failures: number, lastFailedAt: string | null, now: string): number {
  if (lastFailedAt === null) return 0;
  return isAfter(addSeconds(lastFailedAt, THROTTLE.sourceWindowMinutes * 60), now) ? failures : 0;
}

export function sessionExpiry(stage: 'second_factor' | 'enrol' | 'complete', createdAt: string): string {
  return stage === 'complete'
    ? addSeconds(createdAt, SESSION.absoluteHours * 3600)
    : addSeconds(createdAt, SESSION.pendingMinutes * 60);
}

/** Whether a session is still alive at `now`. */
export function sessionAlive(session: { lastSeenAt: string; expiresAt: string; stage: string }, now: string): boolean {
  if (!isAfter(session.expiresAt, now)) return false;
  if (session.stage !== 'complete') return true;
  return isAfter(addSeconds(session.lastSeenAt, SESSION.idleMinutes * 60), now);
}

export function tokenExpiry(now: string, days: number | undefined): string {
  const chosen = days ?? API_TOKEN.defaultDays;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > API_TOKEN.maxDays) {
    throw invalid('expiresInDays', `A token lasts between 1 and ${API_TOKEN.maxDays} days.`);
  }
  return addSeconds(now, chosen * 86400);
}
