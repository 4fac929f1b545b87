import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SqlConsentStore } from '../../src/adapters/storage/consent-store.ts';
import type { Database } from '../../src/adapters/storage/database.ts';
import { SqlRegistryStore } from '../../src/adapters/storage/registry-store.ts';
import type { ConsentStatement } from '../../src/core/consent/model.ts';
import { consentAllows } from '../../src/core/consent/rules.ts';
import { storageEngines } from '../support/components.ts';
import { storedActor } from './tools.ts';

const box = { seal: async (p: Uint8Array) => p, open: async (s: Uint8Array) => s };

for (const { engine, name, skip } of storageEngines()) {
  describe(`consent statements [engine: ${name}]`, { skip }, () => {
    let database: Database;
    let store: SqlConsentStore;
    const person = randomUUID();
    const other = randomUUID();
    before(async () => {
      database = await (engine as NonNullable<typeof engine>).open();
      store = new SqlConsentStore(database.db, box);
      const registry = new SqlRegistryStore(database.db, database.vault);
      for (const id of [person, other]) {
        await registry.insertActor(storedActor('2026-01-01T00:00:00.000Z', { id }));
      }
    });
    after(async () => database?.close());

    const statement = (over: Partial<ConsentStatement>): ConsentStatement => ({
      id: randomUUID(),
      actorId: person,
      use: 'publication',
      partnerId: null,
      decision: 'given',
      statedAt: '2026-01-02T00:00:00.000Z',
      recordedAt: '2026-01-02T00:00:00.000Z',
      recordedBy: randomUUID(),
      method: 'written',
      ...over,
    });

    it('keeps every statement, in recording order, and reads them back exactly', async () => {
      const given = statement({});
      const withdrawn = statement({ decision: 'withdrawn', recordedAt: '2026-01-03T00:00:00.000Z' });
      const partner = statement({ use: 'partner_sharing', partnerId: randomUUID(), actorId: other });
      await store.insert(withdrawn);
      await store.insert(given);
      await store.insert(partner);
      assert.deepEqual(await store.historyOf([person]), [given, withdrawn]);
      // Same recording time: the id breaks the tie, as the core's rule does.
      const sameMoment = [given, partner].sort((x, y) => (x.id < y.id ? -1 : 1));
      assert.deepEqual(await store.historyOf([person, other]), [...sameMoment, withdrawn]);
      assert.deepEqual(await store.historyOf([]), []);
      const history = await store.historyOf([person]);
      assert.equal(consentAllows(history, person, { use: 'publication', at: '2026-01-02T12:00:00.000Z' }), true);
      assert.equal(consentAllows(history, person, { use: 'publication', at: '2026-01-04T00:00:00.000Z' }), false);
    });

    it('refuses a partner on uses other than sharing, and sharing without a partner', async () => {
      await assert.rejects(store.insert(statement({ partnerId: randomUUID() })));
      await assert.rejects(store.insert(statement({ use: 'partner_sharing', partnerId: null })));
    });
  });
}
