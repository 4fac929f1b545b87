import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  EVENT_FIELDS,
  publicFieldsOf,
  SENSITIVE_INCIDENT_PATHS,
  sensitiveFieldsOf,
} from '../../src/core/incidents/fields.ts';
import { INCIDENT_ROLES } from '../../src/core/incidents/model.ts';
import {
  defenderListable,
  defenderListStanding,
  roleProfiles,
  rolesInIncident,
} from '../../src/core/incidents/roles.ts';
import { example, validContent } from './incident-fixtures.ts';

describe('roles of actors in incidents', () => {
  it('come from the acts, involvements, sources and interventions; unknown perpetrators are nobody', () => {
    const roles = rolesInIncident(example());
    assert.deepEqual(
      [...roles].map(([id, set]) => [id, [...set]]),
      [
        ['v1', ['victim']],
        ['radio', ['victim']],
        ['p1', ['perpetrator']],
        ['src', ['source']],
        ['network', ['intervening_party']],
      ],
    );
  });

  it('count incidents, not mentions', () => {
    fc.assert(
      fc.property(fc.array(validContent, { maxLength: 5 }), (incidents) => {
        const profiles = roleProfiles(incidents);
        const ids = profiles.map((p) => p.actorId);
        assert.deepEqual(ids, [...ids].sort());
        for (const profile of profiles) {
          for (const role of INCIDENT_ROLES) {
            const expected = incidents.filter((i) => rolesInIncident(i).get(profile.actorId)?.has(role)).length;
            assert.equal(profile.incidents[role], expected);
          }
        }
      }),
    );
  });

  it('keep perpetrators and incident-only sources out of the defenders lists', () => {
    const profiles = roleProfiles([example()]);
    const actors = [
      { id: 'v1', registered: true },
      { id: 'radio', registered: false },
      { id: 'p1', registered: false },
      { id: 'src', registered: false },
      { id: 'network', registered: true },
      { id: 'someone', registered: true },
    ];
    assert.deepEqual(defenderListable(actors, profiles), ['v1', 'radio', 'network', 'someone']);
    const both = { actorId: 'x', incidents: { victim: 1, perpetrator: 1, source: 0, intervening_party: 0 } };
    assert.equal(defenderListStanding(both, { registered: true }), 'review');
    // A registered defender who reported an attack stays listed.
    const reporter = { actorId: 'y', incidents: { victim: 0, perpetrator: 0, source: 3, intervening_party: 0 } };
    assert.equal(defenderListStanding(reporter, { registered: true }), 'listed');
    assert.equal(defenderListStanding(reporter, { registered: false }), 'excluded');
  });

  it('never list a perpetrator who was never a victim, whatever else they did', () => {
    const count = fc.nat({ max: 3 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        count,
        count,
        fc.boolean(),
        (perpetrator, source, intervening, registered) => {
          const profile = {
            actorId: 'a',
            incidents: { victim: 0, perpetrator, source, intervening_party: intervening },
          };
          assert.equal(defenderListStanding(profile, { registered }), 'excluded');
        },
      ),
    );
  });
});

describe('sensitivity of incident fields', () => {
  it('seals the words people wrote, places finer than the country, and sources', () => {
    assert.deepEqual([...SENSITIVE_INCIDENT_PATHS].sort(), [
      'acts.consequences',
      'description',
      'interventions.outcome',
      'involvements.perpetrator.description',
      'place.coordinates',
      'place.locality',
      'place.region',
      'sources.actorId',
      'sources.details',
      'title',
    ]);
    assert.ok(publicFieldsOf('place').includes('country'));
    assert.deepEqual(sensitiveFieldsOf('chainLinks'), []);
    assert.equal(EVENT_FIELDS.title.sensitive, undefined);
  });
});
