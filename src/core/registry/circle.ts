import type { Tie, TieKind } from './model.ts';

/** One hop of the path that links the origin to a member of its circle. */
export interface CircleStep {
  tieId: string;
  kind: TieKind;
  role: string | null;
  /** The actor this hop leaves from and the one it reaches. */
  fromActorId: string;
  toActorId: string;
  /** True when the hop runs the tie's own way (from its member, or its "from" relative). */
  forward: boolean;
}

export interface CircleEntry {
  actorId: string;
  depth: number;
  /** Hops from the origin to this actor, in order; its length is the depth. */
  path: CircleStep[];
}

export interface CircleWalk {
  entries: CircleEntry[];
  /** True when the walk stopped at `maxMembers` before reaching every actor within `depth`. */
  truncated: boolean;
}

/** Loads the ties (of the kinds the walk follows) that touch any of the given actors. */
export type TieLoader = (actorIds: string[]) => Promise<Tie[]>;

/**
 * Breadth-first walk from `originId` over the ties `loadTies` returns, one load per level. Every
 * actor appears once, at its shortest distance, with one shortest path (the first found, in tie id
 * order, so results are deterministic).
 */
export async function walkCircle(
  originId: string,
  depth: number,
  maxMembers: number,
  loadTies: TieLoader,
): Promise<CircleWalk> {
  const pathTo = new Map<string, CircleStep[]>([[originId, []]]);
  const entries: CircleEntry[] = [];
  let frontier = [originId];
  for (let level = 1; level <= depth && frontier.length > 0; level++) {
    const byEndpoint = new Map<string, Tie[]>();
    for (const tie of await loadTies(frontier)) {
      for (const end of [tie.fromActorId, tie.toActorId]) {
        const list = byEndpoint.get(end);
        if (list) list.push(tie);
        else byEndpoint.set(end, [tie]);
      }
    }
    const next: string[] = [];
    for (const from of frontier) {
      const ties = (byEndpoint.get(from) ?? []).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const tie of ties) {
        const to = tie.fromActorId === from ? tie.toActorId : tie.fromActorId;
        if (pathTo.has(to)) continue;
        if (entries.length >= maxMembers) return { entries, truncated: true };
        const path = [
          ...(pathTo.get(from) ?? []),
          {
            tieId: tie.id,
            kind: tie.kind,
            role: tie.role,
            fromActorId: from,
            toActorId: to,
            forward: tie.fromActorId === from,
          },
        ];
        pathTo.set(to, path);
        entries.push({ actorId: to, depth: level, path });
        next.push(to);
      }
    }
    frontier = next;
  }
  return { entries, truncated: false };
}
