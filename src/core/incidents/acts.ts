/**
 * From the HURIDOCS types of acts (MT04, 532 terms) to the coarse act categories of the risk rules
 * (`ActType` in `src/core/risk/model.ts`), and from an incident to the acts the risk suggestion and
 * propagation read.
 *
 * MT04 codes are hierarchical, two digits a level: `02 01 03 02 00 00` is "Death threats", under
 * "Psychological assault, harassment" (020103), under "Direct violations against personal integrity"
 * (0201), under "Violations against personal integrity" (02). The mapping names prefixes; the longest
 * prefix of a code wins, so a whole branch takes its category from its nearest mapped ancestor:
 *
 * - Second-level branches about law and policy (`xx21…` legislation or policy-making, `xx31…`
 *   non-implementation, `xx41…` non-fulfilment) are not attacks on someone: `other`.
 * - 01 right to life: `killing`; 010109 attempted killings: `attempted_killing`.
 * - 02 personal integrity: `physical_assault`; sexual violations, rape, attempted rape and sexual
 *   assault: `sexual_violence`; torture and acts with physical, sexual and psychological dimensions:
 *   `torture_or_ill_treatment`; psychological assault, stalking and sexual harassment: `harassment`;
 *   threats: `threat`; death threats: `death_threat`; surveillance: `surveillance`.
 * - 03 liberty: `arbitrary_detention`; disappearance: `enforced_disappearance`; abduction and
 *   kidnapping: `abduction`; curfew: `other`.
 * - 04 privacy: illegal search or raid: `raid_or_search`. 12 association and assembly: raid:
 *   `raid_or_search`; surveillance: `surveillance`; banning of a group: `judicial_harassment`.
 * - 13 property: `attack_on_property` (refusal of building permits: `other`).
 * - 14 reputation (defamation, slander, libel): `stigmatisation`.
 * - 17 political participation: intimidation in elections: `threat`; harassment of campaigners:
 *   `harassment`. 30 labour: physical attacks at union meetings: `physical_assault`; surveillance:
 *   `surveillance`.
 * - 35 rights of accused persons (fair trial, presumption of innocence…): `judicial_harassment`.
 * - 36 rights of detained persons: `arbitrary_detention`; denial of treatment with dignity and
 *   humanity: `torture_or_ill_treatment`.
 * - Everything else (movement, expression, belief, economic and social rights…): `other`.
 *
 * A local term (`local-4-n`) takes the category of the nearest standard term above it, which the
 * caller resolves (an `ExportedTerm`'s `parentHuridocsCode`); without it, `other`.
 */
import type { ActorKind } from '../registry/model.ts';
import type { ActType, IncidentAct } from '../risk/model.ts';
import { AFTER_ALL_DAYS, daySpan, incidentSpan } from './dates.ts';
import type { DatePrecision, Incident } from './model.ts';

/** Prefixes of 12-digit HURIDOCS codes (trailing `00` pairs left out) and their category. */
export const ACT_TYPE_PREFIXES: Readonly<Record<string, ActType>> = {
  '01': 'killing',
  '010109': 'attempted_killing',
  '02': 'physical_assault',
  '020101': 'physical_assault',
  '020102': 'sexual_violence',
  '020103': 'harassment',
  '02010301': 'threat',
  '02010302': 'death_threat',
  '02010303': 'surveillance',
  '02010304': 'harassment',
  '02010305': 'harassment',
  '020111': 'torture_or_ill_treatment',
  '02011101': 'sexual_violence',
  '02011102': 'sexual_violence',
  '02011103': 'sexual_violence',
  '02011111': 'torture_or_ill_treatment',
  '03': 'arbitrary_detention',
  '030103': 'enforced_disappearance',
  '030104': 'abduction',
  '030108': 'other',
  '040101': 'raid_or_search',
  '120102': 'raid_or_search',
  '120103': 'judicial_harassment',
  '120104': 'surveillance',
  '13': 'attack_on_property',
  '130105': 'other',
  '14': 'stigmatisation',
  '170105': 'threat',
  '17010501': 'harassment',
  '30010404': 'physical_assault',
  '3001040307': 'surveillance',
  '35': 'judicial_harassment',
  '36': 'arbitrary_detention',
  '36010201': 'torture_or_ill_treatment',
};

/** Second-level pairs of law-and-policy branches. */
const POLICY_BRANCHES = new Set(['21', '31', '41']);

/**
 * The 12-digit HURIDOCS code of a standard MT04 code: Amparo's codes are the HURIDOCS code followed
 * by the list number (`02010302000004`); a bare 12-digit code is accepted too. Null otherwise.
 */
export function huridocsActCode(code: string): string | null {
  if (/^\d{12}04$/.test(code)) return code.slice(0, 12);
  if (/^\d{12}$/.test(code)) return code;
  return null;
}

/**
 * The risk category of an MT04 code. `nearestStandard` resolves a local code to the HURIDOCS code of
 * the nearest standard term above it (null when there is none).
 */
export function riskActTypeOf(code: string, nearestStandard?: (code: string) => string | null): ActType {
  const standard = huridocsActCode(code) ?? huridocsActCode(nearestStandard?.(code) ?? '');
  if (standard === null) return 'other';
  if (POLICY_BRANCHES.has(standard.slice(2, 4))) return 'other';
  const significant = standard.replace(/(00)+$/, '');
  for (let length = significant.length; length >= 2; length -= 2) {
    const category = ACT_TYPE_PREFIXES[significant.slice(0, length)];
    if (category !== undefined) return category;
  }
  return 'other';
}

/**
 * An act as the risk rules read it, with what they cannot infer on their own: which act it was,
 * whether the victim is a collective, and how precisely its date is known.
 */
export interface RiskAct extends IncidentAct {
  actId: string;
  victimKind: ActorKind;
  /** The precision of the date the act's day was taken from. */
  datePrecision: DatePrecision;
}

/**
 * The acts of an incident for the risk suggestion and propagation: one per act, against that act's
 * victim, with the category of its type.
 *
 * The risk rules need one day. It is the latest day the act may have happened — its own date when
 * it has one, else the incident's span — and never later than the day the incident was recorded
 * (nothing recorded can have happened after). So a partial date errs towards counting an act as
 * recent, which is the protective reading, and an unknown date becomes the day it was recorded.
 */
export function toRiskActs(
  incident: Pick<Incident, 'id' | 'createdAt' | 'initialDate' | 'finalDate' | 'acts'>,
  options: { nearestStandard?: (code: string) => string | null } = {},
): RiskAct[] {
  const recorded = incident.createdAt.slice(0, 10);
  const eventSpan = incidentSpan(incident.initialDate, incident.finalDate);
  return incident.acts.map((act) => {
    const ownDate = act.date !== undefined && act.date.precision !== 'unknown' ? act.date : null;
    const latest = ownDate ? daySpan(ownDate).last : eventSpan.last;
    const day = latest === AFTER_ALL_DAYS || latest > recorded ? recorded : latest;
    return {
      incidentId: incident.id,
      actId: act.id,
      date: day,
      actType: riskActTypeOf(act.actType, options.nearestStandard),
      victimId: act.victimId,
      victimKind: act.victimKind,
      datePrecision: ownDate ? ownDate.precision : eventPrecision(incident),
    };
  });
}

/** The precision the incident's span has at its end. */
function eventPrecision(incident: Pick<Incident, 'initialDate' | 'finalDate'>): DatePrecision {
  return (incident.finalDate ?? incident.initialDate).precision;
}
