import type { Tie } from '../../src/core/registry/model.ts';

/** Reference for property tests: plain multi-source BFS distances over ties as an undirected graph. */
export function bfsDistances(ties: readonly Tie[], sources: readonly string[]): Map<string, number> {
  const dist = new Map(sources.map((s) => [s, 0]));
  let frontier = [...new Set(sources)];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const t of ties) {
        const other = t.fromActorId === node ? t.toActorId : t.toActorId === node ? t.fromActorId : null;
        if (other !== null && !dist.has(other)) {
          dist.set(other, (dist.get(node) ?? 0) + 1);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return dist;
}
