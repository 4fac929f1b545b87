/** Property tests of the record-scope rule and its use for each role. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ROLES } from '../../src/core/access/roles.ts';
import { type RecordSharing, scopeFor, scopeReaches } from '../../src/core/access/scope.ts';

const id = fc.constantFrom('a', 'b', 'c', 'd');
const sharingArb = fc.record({
  recordType: fc.constant('actor' as const),
  recordId: id,
  teamIds: fc.subarray(['t1', 't2', 't3']),
  restricted: fc.boolean(),
  grantedUserIds: fc.subarray(['u1', 'u2']),
});
const viewerArb = fc.record({
  userId: fc.constantFrom('u1', 'u2', 'u3'),
  role: fc.constantFrom(...ROLES),
  teamIds: fc.subarray(['t1', 't2', 't3']),
  actorId: fc.option(id, { nil: null }),
});

describe('record scope', () => {
  it('reaches a record only through a team (unless restricted), a grant, or one’s own record', () => {
    fc.assert(
      fc.property(viewerArb, sharingArb, (viewer, sharing: RecordSharing) => {
        const scope = scopeFor(viewer, '2026-01-01T00:00:00Z');
        const reached = scopeReaches(scope, sharing);
        const granted = sharing.grantedUserIds.includes(viewer.userId);
        const own = viewer.role === 'defender' && viewer.actorId === sharing.recordId;
        const viaTeam =
          (viewer.role === 'coordinator' || viewer.role === 'case_worker') &&
          !sharing.restricted &&
          sharing.teamIds.some((t) => viewer.teamIds.includes(t));
        return reached === (granted || own || viaTeam);
      }),
    );
  });

  it('gives administrators, analysts and partners no record without a grant, whatever their teams', () => {
    fc.assert(
      fc.property(viewerArb, sharingArb, (viewer, sharing) => {
        fc.pre(['administrator', 'analyst', 'partner'].includes(viewer.role));
        const reached = scopeReaches(scopeFor(viewer, '2026-01-01T00:00:00Z'), { ...sharing, grantedUserIds: [] });
        assert.equal(reached, false);
      }),
    );
  });
});
