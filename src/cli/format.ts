import type { ActorBody, CircleBody, TieListBody } from '../http/schemas.ts';

const label = (actor: Pick<ActorBody, 'displayName' | 'id'>) =>
  actor.displayName ?? `(unnamed ${actor.id.slice(0, 8)})`;

export function formatActorLine(actor: ActorBody): string {
  const flags = [actor.erasedAt ? 'erased' : actor.archivedAt ? 'archived' : null].filter(Boolean);
  return [
    actor.id,
    actor.kind === 'collective' ? `collective/${actor.collectiveForm}` : 'individual',
    label(actor),
    actor.profile.country ?? '--',
    actor.types.join(',') || '-',
    ...flags,
  ].join('  ');
}

export function formatActor(actor: ActorBody, ties: TieListBody): string {
  const lines = [formatActorLine(actor), `  version ${actor.version}, updated ${actor.updatedAt}`];
  for (const [field, value] of Object.entries(actor.profile)) {
    const shown =
      field === 'contactChannels'
        ? (value as { kind: string; value: string }[]).map((c) => `${c.kind}: ${c.value}`).join('; ')
        : Array.isArray(value)
          ? value.join(', ')
          : String(value);
    lines.push(`  ${field}: ${shown}`);
  }
  lines.push(`  ties (${ties.items.length}):`);
  for (const tie of ties.items) {
    const direction = tie.fromActorId === actor.id ? '→' : '←';
    const dates = tie.startDate || tie.endDate ? ` [${tie.startDate ?? '?'} – ${tie.endDate ?? ''}]` : '';
    lines.push(`    ${direction} ${tie.kind}${tie.role ? ` (${tie.role})` : ''}: ${label(tie.counterpart)}${dates}`);
  }
  return lines.join('\n');
}

export function formatCircle(circle: CircleBody): string {
  const names = new Map([circle.origin, ...circle.members.map((m) => m.actor)].map((a) => [a.id, label(a)]));
  const lines = [
    `  circle to depth ${circle.depth} on ${circle.asOf} (${circle.members.length}${circle.truncated ? '+' : ''}):`,
  ];
  for (const member of circle.members) {
    const path = member.path.map(
      (step) => `${step.kind}${step.role ? `/${step.role}` : ''} → ${names.get(step.toActorId)}`,
    );
    lines.push(`    ${member.depth}  ${label(member.actor)}  via ${path.join(' → ')}`);
  }
  return lines.join('\n');
}
