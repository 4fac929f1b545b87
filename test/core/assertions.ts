import assert from 'node:assert/strict';
import { DomainError } from '../../src/core/errors.ts';

/** Asserts `fn` throws a validation error on `field`, whose message does not contain `secret`. */
export function refuses(fn: () => void, field: string, secret = 'SECRET'): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DomainError, 'a DomainError');
    assert.equal(e.code, 'validation_failed');
    assert.equal(e.field, field);
    assert.ok(!e.message.includes(secret), 'the message never echoes the value');
    return true;
  });
}
