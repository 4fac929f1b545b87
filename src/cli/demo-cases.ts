/**
 * Protection cases on the demo, so that the triage board, the case page and the partner's page have
 * something to show: the demo defender's own request for help, sent from their page a day and a half
 * ago and still waiting (overdue); an open case of the demo collective with a relocation proposed
 * for its leader, which warns about the members left at the same risk; and a referral sent to the
 * partner account with the person's consent. Made through the service, audited as `system:demo`.
 */
import type { Database } from '../adapters/storage/database.ts';
import { casesFor } from '../app.ts';

const system = { principal: 'system:demo', source: null };
const HOUR_MS = 3_600_000;

export interface DemoCaseParties {
  teamId: string;
  /** The case worker who leads the demo cases. */
  leadId: string | null;
  partnerId: string | null;
  /** The demo defender account's actor: their request appears on their personal page. */
  defenderActorId: string | null;
  /** Someone who consented to sharing with the partner. */
  referredActorId: string | null;
  collective: { id: string; leaderId: string } | null;
}

const addDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function createDemoCases(
  database: Database,
  parties: DemoCaseParties,
): Promise<{ requests: number; cases: number; measures: number }> {
  const made = { requests: 0, cases: 0, measures: 0 };
  if (parties.defenderActorId !== null) {
    // Received 30 hours ago and not yet answered: past the 24-hour target of an untriaged request.
    const defenderPage = casesFor(
      database,
      { principal: `defender-link:${parties.defenderActorId}`, source: null },
      {
        now: () => new Date(Date.now() - 30 * HOUR_MS),
      },
    );
    await defenderPage.submitOwnRequest(parties.defenderActorId, {
      description: 'Two men on a motorbike waited outside my house again last night. I need advice on what to do.',
      safeContact: 'Call my sister after 6 pm; do not leave messages.',
      statedUrgent: true,
    });
    made.requests += 1;
  }

  const cases = casesFor(database, system);
  const opening = { priority: 'high' as const, teamIds: [parties.teamId], leadId: parties.leadId };
  if (parties.collective !== null) {
    const { id: collectiveId, leaderId } = parties.collective;
    const council = await cases.openCase(null, {
      ...opening,
      beneficiaryId: collectiveId,
      title: 'Threats against the community council over the land claim',
    });
    await cases.updateCase(council.id, { status: 'active', version: council.version });
    await cases.proposeMeasure(council.id, {
      kind: 'relocation',
      beneficiaryIds: [leaderId],
      description: 'Temporary relocation of the council’s leader until the hearing is over.',
      details: {
        kind: 'relocation',
        scope: 'shelter_city',
        destination: 'Shelter city programme',
        from: addDays(7),
        until: addDays(97),
      },
      ownerId: parties.leadId,
    });
    made.cases += 1;
    made.measures += 1;
  }

  if (parties.referredActorId !== null && parties.partnerId !== null) {
    const legal = await cases.openCase(null, {
      ...opening,
      beneficiaryId: parties.referredActorId,
      title: 'Criminal complaint against a defender of the river',
    });
    const referral = await cases.proposeMeasure(legal.id, {
      kind: 'referral',
      beneficiaryIds: [parties.referredActorId],
      description: 'Ask the partner’s lawyers to take on the defence.',
      details: {
        kind: 'referral',
        partnerId: parties.partnerId,
        service: 'Legal defence',
        summary:
          'A defender of the river faces a criminal complaint for a peaceful protest; the hearing is next month.',
      },
      ownerId: parties.leadId,
    });
    const agreed = await cases.recordAgreement(referral.id, {
      kind: 'agreed',
      by: 'defender',
      method: 'in_person',
      version: referral.version,
    });
    // The person consented to sharing with this partner (recorded with the demo accounts): the referral is sent.
    await cases.startMeasure(agreed.id, agreed.version);
    made.cases += 1;
    made.measures += 1;
  }
  return made;
}
