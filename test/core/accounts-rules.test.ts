/** Property tests of the sign-in rules: slowing down, locking, session lifetimes, passwords. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROLE_PERMISSIONS, ROLES } from '../../src/core/access/roles.ts';
import {
  afterFailure,
  checkPassword,
  nextAttemptAt,
  SESSION,
  sessionAlive,
  sessionExpiry,
  THROTTLE,
} from '../../src/core/accounts/rules.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

describe('sign-in rules', () => {
  it('lets the first failures through, then makes each attempt wait longer, never beyond the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (failures) => {
        const wait = nextAttemptAt(failures, iso(0));
        if (failures < THROTTLE.freeFailures) return wait === null;
        const seconds = (Date.parse(wait as string) - T0) / 1000;
        const next = nextAttemptAt(failures + 1, iso(0));
        const nextSeconds = (Date.parse(next as string) - T0) / 1000;
        return seconds >= 1 && seconds <= THROTTLE.maxDelaySeconds && nextSeconds >= seconds;
      }),
    );
  });

  it('locks exactly from the tenth failure on, for a limited time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 1e9 }), (failures, at) => {
        const outcome = afterFailure(failures, iso(at));
        assert.equal(outcome.failedLogins, failures + 1);
        if (failures + 1 < THROTTLE.lockAfter) return outcome.lockedUntil === null;
        return Date.parse(outcome.lockedUntil as string) - (T0 + at) === THROTTLE.lockMinutes * 60_000;
      }),
    );
  });

  it('ends a complete session after the idle time, and any session at its absolute expiry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SESSION.absoluteHours * 3600 * 1000 }),
        fc.integer({ min: 0, max: 2 * SESSION.idleMinutes * 60_000 }),
        (lastSeenOffset, idle) => {
          const created = iso(0);
          const session = {
            stage: 'complete',
            lastSeenAt: iso(lastSeenOffset),
            expiresAt: sessionExpiry('complete', created),
          };
          const now = iso(lastSeenOffset + idle);
          const alive = sessionAlive(session, now);
          const withinIdle = idle < SESSION.idleMinutes * 60_000;
          const beforeAbsolute = lastSeenOffset + idle < SESSION.absoluteHours * 3600_000;
          return alive === (withinIdle && beforeAbsolute);
        },
      ),
    );
  });

  it('gives a pending sign-in only minutes', () => {
    const expires = sessionExpiry('second_factor', iso(0));
    assert.equal(Date.parse(expires) - T0, SESSION.pendingMinutes * 60_000);
  });

  it('accepts any long passphrase without the username, and refuses short ones', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12, maxLength: 60 }), (password) => {
        fc.pre(new Set(password).size >= 4 && !password.toLowerCase().includes('maria'));
        checkPassword(password, 'maria');
        return true;
      }),
    );
    assert.throws(() => checkPassword('short', 'maria'), /at least 12/);
    assert.throws(() => checkPassword('aaaaaaaaaaaaaaa', 'maria'), /repeats/);
    assert.throws(() => checkPassword('my name is Maria ok', 'maria'), /username/);
  });

  it('gives no role a permission to read records of every team: reach comes only from scope', () => {
    for (const role of ROLES) {
      assert.ok(!ROLE_PERMISSIONS[role].some((p) => p.includes('all')), role);
    }
    assert.ok(!ROLE_PERMISSIONS.analyst.includes('registry.read'), 'analysts see de-identified data only');
  });
});
