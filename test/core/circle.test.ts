import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { walkCircle } from '../../src/core/registry/circle.ts';
import type { Tie, TieKind } from '../../src/core/registry/model.ts';
import { bfsDistances } from './reference-bfs.ts';

const KINDS: TieKind[] = ['membership', 'family', 'colleague', 'member_organisation'];

const tie = (id: number, from: number, to: number, kind: TieKind = 'colleague'): Tie => ({
  id: `t${String(id).padStart(4, '0')}`,
  kind,
  fromActorId: `a${from}`,
  toActorId: `a${to}`,
  role: null,
  startDate: null,
  endDate: null,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const loaderFor = (ties: Tie[]) => {
  const calls: string[][] = [];
  const load = async (ids: string[]) => {
    calls.push(ids);
    const wanted = new Set(ids);
    return ties.filter((t) => wanted.has(t.fromActorId) || wanted.has(t.toActorId));
  };
  return { load, calls };
};

const graphs = fc
  .record({ actors: fc.integer({ min: 2, max: 30 }), depth: fc.integer({ min: 1, max: 5 }) })
  .chain(({ actors, depth }) =>
    fc.record({
      actors: fc.constant(actors),
      depth: fc.constant(depth),
      edges: fc.array(
        fc.tuple(fc.nat(actors - 1), fc.nat(actors - 1), fc.constantFrom(...KINDS)).filter(([a, b]) => a !== b),
        { maxLength: 80 },
      ),
    }),
  );

describe('walkCircle (the circle of an actor)', () => {
  it('finds a fellow member of a collective at depth 2, with the path through the collective', async () => {
    const ties = [tie(1, 1, 10, 'membership'), tie(2, 2, 10, 'membership'), tie(3, 1, 3, 'family')];
    const walk = await walkCircle('a1', 2, 100, loaderFor(ties).load);
    const fellow = walk.entries.find((e) => e.actorId === 'a2');
    assert.equal(fellow?.depth, 2);
    assert.deepEqual(
      fellow?.path.map((s) => [s.fromActorId, s.kind, s.toActorId]),
      [
        ['a1', 'membership', 'a10'],
        ['a10', 'membership', 'a2'],
      ],
    );
    assert.deepEqual(walk.entries.map((e) => e.actorId).sort(), ['a10', 'a2', 'a3']);
  });

  it('loads ties once per level, never more', async () => {
    const ties = [tie(1, 1, 2), tie(2, 2, 3), tie(3, 3, 4), tie(4, 4, 5)];
    const { load, calls } = loaderFor(ties);
    await walkCircle('a1', 3, 100, load);
    assert.equal(calls.length, 3);
  });

  it('stops at maxMembers and says it was truncated', async () => {
    const ties = Array.from({ length: 20 }, (_, i) => tie(i, 0, i + 1));
    const walk = await walkCircle('a0', 1, 5, loaderFor(ties).load);
    assert.equal(walk.entries.length, 5);
    assert.equal(walk.truncated, true);
  });

  it('matches breadth-first distances, with valid shortest paths, on random graphs', async () => {
    await fc.assert(
      fc.asyncProperty(graphs, async ({ depth, edges }) => {
        const ties = edges.map(([a, b, kind], i) => tie(i, a, b, kind));
        const walk = await walkCircle('a0', depth, 10_000, loaderFor(ties).load);
        const expected = bfsDistances(ties, ['a0']);
        const within = [...expected].filter(([id, d]) => id !== 'a0' && d <= depth);
        assert.equal(walk.truncated, false);
        assert.equal(walk.entries.length, within.length, 'everyone within depth, exactly once');
        const byId = new Map(ties.map((t) => [t.id, t]));
        for (const entry of walk.entries) {
          assert.equal(entry.depth, expected.get(entry.actorId), 'shortest distance');
          assert.equal(entry.path.length, entry.depth);
          let at = 'a0';
          for (const step of entry.path) {
            const used = byId.get(step.tieId);
            assert.ok(used, 'path uses a real tie');
            assert.equal(step.fromActorId, at);
            assert.ok(
              (used.fromActorId === at && used.toActorId === step.toActorId) ||
                (used.toActorId === at && used.fromActorId === step.toActorId),
              'each step follows its tie',
            );
            assert.equal(step.forward, used.fromActorId === at, 'forward says which way the tie runs');
            at = step.toActorId;
          }
          assert.equal(at, entry.actorId);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic whatever order the ties arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(graphs, fc.integer(), async ({ edges }, seed) => {
        const ties = edges.map(([a, b, kind], i) => tie(i, a, b, kind));
        const shuffled = [...ties].sort(
          (x, y) => ((x.id.charCodeAt(3) * seed) % 7) - ((y.id.charCodeAt(3) * seed) % 7),
        );
        const one = await walkCircle('a0', 3, 10_000, loaderFor(ties).load);
        const two = await walkCircle('a0', 3, 10_000, loaderFor(shuffled).load);
        assert.deepEqual(one, two);
      }),
      { numRuns: 100 },
    );
  });
});
