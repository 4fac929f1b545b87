/**
 * The checks of an imported incident that need what the database knows (which actors exist, which
 * the importer reaches), stated as pure functions over what was loaded, and the actors an import
 * creates.
 */
import type { Actor } from '../../registry/model.ts';
import type { IncidentContent } from '../model.ts';
import { cleanLine, type Problem } from '../rules.ts';
import { isUuid } from './decode.ts';
import type { ExportedActor } from './model.ts';
import type { ActorStanding } from './ports.ts';

interface ActorReference {
  field: string;
  id: string;
  /** For victims: the kind the act says. */
  kind?: IncidentContent['acts'][number]['victimKind'];
}

/** Every actor an incident refers to, with the field that names it. */
export function actorReferences(content: IncidentContent): ActorReference[] {
  const refs: ActorReference[] = [];
  content.acts.forEach((act, i) => {
    refs.push({ field: `acts[${i}].victimId`, id: act.victimId, kind: act.victimKind });
  });
  content.involvements.forEach((inv, i) => {
    if (inv.perpetrator.kind === 'actor') {
      refs.push({ field: `involvements[${i}].perpetrator.actorId`, id: inv.perpetrator.actorId });
    }
  });
  content.sources.forEach((source, i) => {
    refs.push({ field: `sources[${i}].actorId`, id: source.actorId });
  });
  content.interventions.forEach((intervention, i) => {
    refs.push({ field: `interventions[${i}].byActorId`, id: intervention.byActorId });
  });
  return refs;
}

const kindName = (kind: string) => (kind === 'collective' ? 'a collective' : 'an individual');
const victimKindField = (field: string) => field.replace(/victimId$/, 'victimKind');

/**
 * Every actor referred to exists, is not erased and is within the importer's reach — or, missing,
 * is carried by the file with the incident (a `full` export carries the actors it names). A
 * victim's kind is the kind of the actor. An actor out of reach is answered like a missing one, so
 * that an import cannot probe which ids exist.
 */
export function actorProblems(
  content: IncidentContent,
  carried: readonly ExportedActor[],
  standings: ReadonlyMap<string, ActorStanding>,
  reachable: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  const carriedById = new Map(carried.map((actor) => [actor.id, actor]));
  for (const ref of actorReferences(content)) {
    const existing = isUuid(ref.id) ? standings.get(ref.id) : undefined;
    if (existing) {
      if (!reachable.has(ref.id) || existing.erased)
        problems.push({ field: ref.field, message: 'No actor you can reach has that id.' });
      else if (ref.kind !== undefined && existing.kind !== ref.kind) {
        problems.push({
          field: victimKindField(ref.field),
          message: `This victim is registered as ${kindName(existing.kind)}.`,
        });
      }
      continue;
    }
    const listed = carriedById.get(ref.id);
    if (!listed) {
      problems.push({
        field: ref.field,
        message: 'No actor you can reach has that id, and the file does not carry it.',
      });
    } else if (ref.kind !== undefined && listed.kind !== ref.kind) {
      problems.push({
        field: victimKindField(ref.field),
        message: `The file carries this victim as ${kindName(listed.kind)}.`,
      });
    }
  }
  return problems;
}

/**
 * The actors to create for a batch of valid incidents: those the file carries that do not exist
 * yet, once each, as parties with the id, kind, name and `registered` flag the file gives.
 */
export function actorsToCreate(
  incidents: readonly { content: IncidentContent; actors: readonly ExportedActor[] }[],
  standings: ReadonlyMap<string, ActorStanding>,
  now: string,
): Actor[] {
  const created = new Map<string, Actor>();
  for (const { content, actors } of incidents) {
    const referenced = new Set(actorReferences(content).map((ref) => ref.id));
    for (const actor of actors) {
      if (!referenced.has(actor.id) || standings.has(actor.id) || created.has(actor.id)) continue;
      const name = cleanLine(actor.name ?? undefined);
      created.set(actor.id, {
        id: actor.id,
        kind: actor.kind,
        collectiveForm: null,
        types: [],
        profile: name === undefined ? {} : { name },
        registered: actor.registered,
        version: 1,
        createdAt: now,
        updatedAt: now,
        archivedAt: null,
        erasedAt: null,
        erasureReason: null,
      });
    }
  }
  return [...created.values()];
}
