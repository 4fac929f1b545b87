/**
 * Incident import and export through the API: codes and labels in both formats, consent applied
 * for a purpose, bad files refused line by line with nothing written, and the round trip into an
 * empty database.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { type Amparo, thesauriFor } from '../../src/app.ts';
import { runCli } from '../../src/cli/main.ts';
import { CSV_COLUMNS } from '../../src/core/incidents/transfer/model.ts';
import { makeUser, type TestUser } from '../support/accounts.ts';
import { inMemoryAmparo } from '../support/components.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON
type Json = Record<string, any>;

const system = { principal: 'system:test', source: null };

interface Site {
  amparo: Amparo;
  coordinator: TestUser;
  teamId: string;
  /** The code of the network's local term (a method of violence). */
  localMethod: string;
}

/**
 * A fresh Amparo with a team, its coordinator, and the network's local HURIDOCS term (vocabularies
 * travel apart from incidents: a receiving network adds its local terms first).
 */
async function site(): Promise<Site> {
  const amparo = await inMemoryAmparo();
  const team = await amparo.accounts.createTeam('Transfer team', system);
  const coordinator = await makeUser(amparo.accounts, 'coordinator', { teamIds: [team.id] });
  const local = await thesauriFor(amparo.database).addLocalTerm(5, {
    labels: { en: 'Threats sent by drone' },
    parent: '03000000000005',
  });
  return { amparo, coordinator, teamId: team.id, localMethod: local.code };
}

const exportFile = async ({ amparo, coordinator }: Site, format: 'json' | 'csv', purpose: string) => {
  const response = await amparo.app.inject({
    method: 'GET',
    url: `/api/v1/incidents/export?format=${format}&purpose=${purpose}`,
    headers: coordinator.headers,
  });
  assert.equal(response.statusCode, 200, response.body);
  return { body: response.body, headers: response.headers };
};

const importFile = async ({ amparo, coordinator }: Site, format: 'json' | 'csv', file: string, skipInvalid = false) => {
  const response = await amparo.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/import?format=${format}&skipInvalid=${skipInvalid}`,
    headers: { ...coordinator.headers, 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
    payload: file,
  });
  return { status: response.statusCode, body: response.json() as Json };
};

const lines = (file: string): Json[] =>
  file
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Json);
const csvRecords = (file: string): Json[] => parse(file, { columns: true }) as Json[];

const incidentCount = async (amparo: Amparo) =>
  Number(
    ((await amparo.database.db.execute(sql`select count(*)::int as n from incidents`)) as unknown as { rows: Json[] })
      .rows[0]?.n,
  );

let origin: Site;
const ids = {} as Record<'ana' | 'consejo' | 'aggressor' | 'source' | 'network' | 'incident', string>;
let localMethod: string;

const recordConsent = async (actorId: string, decision: 'given' | 'withdrawn') => {
  // Statements recorded in the same millisecond would be ordered by id: keep them apart.
  await sleep(5);
  const response = await origin.amparo.app.inject({
    method: 'POST',
    url: `/api/v1/actors/${actorId}/consent`,
    headers: origin.coordinator.headers,
    payload: { use: 'publication', decision, statedAt: new Date().toISOString(), method: 'in_person' },
  });
  assert.equal(response.statusCode, 201, response.body);
  await sleep(5);
};

before(async () => {
  origin = await site();
  const { amparo, teamId } = origin;
  localMethod = origin.localMethod;
  const inTeam = { teamIds: [teamId] };
  const create = async (kind: 'individual' | 'collective', name: string) =>
    (
      await amparo.registry.createActor({
        kind,
        ...(kind === 'collective' ? { collectiveForm: 'community' as const } : {}),
        profile: { name },
        ...inTeam,
      })
    ).id;
  ids.ana = await create('individual', 'Ana Pérez');
  ids.consejo = await create('collective', 'Consejo Comunitario del Río');
  ids.aggressor = await create('individual', 'Alias El Patrón');
  ids.source = await create('individual', 'Fuente Reservada');
  ids.network = await create('collective', 'Red de Protección');
  const incident = await amparo.incidents.createIncident({
    title: 'Amenazas al Consejo Comunitario',
    initialDate: { precision: 'exact', value: '2026-01-03' },
    finalDate: { precision: 'month', value: '2026-01' },
    place: { country: 'CO', region: 'Cauca', locality: 'Suárez', coordinates: { latitude: 2.95, longitude: -76.7 } },
    geographicalTerms: ['02000000000015'],
    description: 'Panfletos en la casa comunal,\n"firmados" por el grupo.',
    monitoringStatus: '01000000000043',
    acts: [
      {
        id: 'threat',
        actType: '02010302000004',
        victimId: ids.ana,
        victimKind: 'individual',
        methods: [localMethod],
        consequences: 'Desplazada',
      },
      { id: 'stigma', actType: '14000000000004', victimId: ids.consejo, victimKind: 'collective', methods: [] },
    ],
    involvements: [
      {
        actId: 'threat',
        perpetrator: { kind: 'actor', actorId: ids.aggressor },
        perpetratorType: '02000000000024',
        degreeOfInvolvement: '01000000000018',
      },
      {
        actId: 'stigma',
        perpetrator: { kind: 'unknown', description: 'Dos hombres en moto' },
        perpetratorType: '01000000000024',
        degreeOfInvolvement: '01000000000018',
      },
    ],
    sources: [
      {
        actorId: ids.source,
        connection: '01000000000019',
        reliability: '01000000000042',
        dateReceived: '2026-01-04',
        details: 'Llamó a la línea.',
      },
    ],
    interventions: [
      {
        interventionType: '01000000000020',
        byActorId: ids.network,
        onBehalfOfVictimId: ids.ana,
        date: '2026-01-05',
        response: '01000000000027',
      },
    ],
    ...inTeam,
  });
  ids.incident = incident.id;
});
after(async () => origin?.amparo.close());

describe('incident export', () => {
  it('exports the incident as JSON Lines with HURIDOCS codes, labels and the actors it names', async () => {
    const { body, headers } = await exportFile(origin, 'json', 'full');
    assert.match(String(headers['content-type']), /^application\/x-ndjson/);
    assert.match(String(headers['content-disposition']), /^attachment; filename="amparo-incidents-full-.*\.jsonl"$/);
    const [record, ...rest] = lines(body);
    assert.equal(rest.length, 0);
    assert.ok(record);
    assert.equal(record.id, ids.incident);
    assert.deepEqual(record.acts[0].actType, {
      code: '02010302000004',
      huridocsCode: '020103020000',
      label: 'Death threats',
      local: false,
    });
    // The local term keeps its own code and label, and the HURIDOCS code of the term above it.
    assert.deepEqual(record.acts[0].methods, [
      { code: localMethod, huridocsCode: '030000000000', label: 'Threats sent by drone', local: true },
    ]);
    assert.equal(record.acts[1].victimKind, 'collective');
    assert.deepEqual(record.involvements[0].perpetrator, { kind: 'actor', actorId: ids.aggressor });
    assert.equal(record.involvements[0].perpetratorType.huridocsCode, '020000000000');
    assert.deepEqual(record.involvements[1].perpetrator, { kind: 'unknown', description: 'Dos hombres en moto' });
    assert.equal(record.sources[0].actorId, ids.source);
    assert.equal(record.sources[0].reliability.code, '01000000000042');
    const names = Object.fromEntries(record.actors.map((a: Json) => [a.id, [a.kind, a.name]]));
    assert.deepEqual(names, {
      [ids.ana]: ['individual', 'Ana Pérez'],
      [ids.consejo]: ['collective', 'Consejo Comunitario del Río'],
      [ids.aggressor]: ['individual', 'Alias El Patrón'],
      [ids.source]: ['individual', 'Fuente Reservada'],
      [ids.network]: ['collective', 'Red de Protección'],
    });
  });

  it('exports the same incident as CSV, one row per act, codes and labels in their own columns', async () => {
    const { body, headers } = await exportFile(origin, 'csv', 'full');
    assert.match(String(headers['content-type']), /^text\/csv/);
    const header = body.slice(0, body.indexOf('\n')).split(',');
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const rows = csvRecords(body);
    assert.equal(rows.length, 2);
    const [threat, stigma] = rows as [Json, Json];
    assert.equal(threat.incident_id, ids.incident);
    assert.equal(stigma.incident_id, ids.incident);
    assert.equal(threat.description, 'Panfletos en la casa comunal,\n"firmados" por el grupo.');
    assert.deepEqual(
      [threat.act_type, threat.act_type_huridocs, threat.act_type_label],
      ['02010302000004', '020103020000', 'Death threats'],
    );
    assert.deepEqual(
      [stigma.victim_id, stigma.victim_kind, stigma.victim_name],
      [ids.consejo, 'collective', 'Consejo Comunitario del Río'],
    );
    assert.deepEqual(
      [threat.methods, threat.methods_huridocs, threat.methods_labels],
      [localMethod, '030000000000', 'Threats sent by drone'],
    );
    assert.deepEqual([threat.monitoring_status, threat.monitoring_status_huridocs], ['01000000000043', '010000000000']);
    assert.equal(JSON.parse(threat.involvements)[0].perpetrator.actorId, ids.aggressor);
    assert.equal(JSON.parse(stigma.involvements)[0].perpetrator.kind, 'unknown');
    assert.equal(JSON.parse(threat.sources)[0].actorId, ids.source);
    assert.equal(threat.latitude, '2.95');
  });

  it('leaves out, for publication, everyone without publication consent, and every source', async () => {
    const empty = await exportFile(origin, 'json', 'publication');
    assert.equal(empty.body, '', 'nobody has consented yet: nothing to publish');

    await recordConsent(ids.ana, 'given');
    await recordConsent(ids.consejo, 'given');
    const both = lines((await exportFile(origin, 'json', 'publication')).body);
    assert.equal(both.length, 1);
    assert.deepEqual(
      both[0]?.acts.map((act: Json) => act.victimId),
      [ids.ana, ids.consejo],
    );
    assert.deepEqual(both[0]?.sources, []);
    assert.ok(!JSON.stringify(both).includes(ids.source), 'no trace of the source');
    assert.ok(!JSON.stringify(both).includes('Alias El Patrón'), 'no name without consent');
    assert.equal(both[0]?.version, undefined);

    await recordConsent(ids.ana, 'withdrawn');
    const { body } = await exportFile(origin, 'json', 'publication');
    const [record] = lines(body);
    assert.deepEqual(
      record?.acts.map((act: Json) => act.victimId),
      [ids.consejo],
    );
    assert.ok(!body.includes(ids.ana), 'the person who withdrew appears nowhere');
    assert.ok(!body.includes('Ana Pérez'));
    assert.deepEqual(record?.interventions, [], 'the intervention made for her goes too');
    const csv = (await exportFile(origin, 'csv', 'publication')).body;
    assert.ok(!csv.includes(ids.ana));
    assert.equal(csvRecords(csv).length, 1);

    await recordConsent(ids.ana, 'given');
    const again = lines((await exportFile(origin, 'json', 'publication')).body);
    assert.deepEqual(
      again[0]?.acts.map((act: Json) => act.victimId),
      [ids.ana, ids.consejo],
    );
    // Other purposes need their own consent.
    assert.equal((await exportFile(origin, 'json', 'state')).body, '');
  });

  it('records every export on the audit trail by ids only', async () => {
    const trail = await origin.amparo.database.db.execute(
      sql`select record_ids from audit_log where action = 'incident.export'`,
    );
    const rows = (trail as unknown as { rows: { record_ids: string[] }[] }).rows;
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => row.record_ids.includes(ids.incident)));
  });
});

describe('incident import', () => {
  let fullJson: string;
  let fullCsv: string;

  before(async () => {
    fullJson = (await exportFile(origin, 'json', 'full')).body;
    fullCsv = (await exportFile(origin, 'csv', 'full')).body;
  });

  it('round-trips: export, import into an empty database, export again gives the same file', async () => {
    for (const format of ['json', 'csv'] as const) {
      const file = format === 'json' ? fullJson : fullCsv;
      const empty = await site();
      try {
        const imported = await importFile(empty, format, file);
        assert.equal(imported.status, 200, JSON.stringify(imported.body));
        assert.deepEqual(imported.body, { refused: false, imported: 1, rejected: 0, problems: [], problemsOmitted: 0 });
        assert.equal((await exportFile(empty, format, 'full')).body, file, `${format} round trip`);
        // The actors the file carried now exist, with their kinds and names, within the importer's reach.
        const victim = await empty.amparo.app.inject({
          method: 'GET',
          url: `/api/v1/actors/${ids.consejo}`,
          headers: empty.coordinator.headers,
        });
        assert.equal(victim.statusCode, 200);
        assert.equal(victim.json().profile.name, 'Consejo Comunitario del Río');
        // A second import of the same file is refused whole: the incident exists already.
        const twice = await importFile(empty, format, file);
        assert.equal(twice.status, 400);
        assert.equal(twice.body.problems[0].reason, 'An incident with this id exists already.');
      } finally {
        await empty.amparo.close();
      }
    }
  });

  it('refuses a CSV with bad rows, naming each line and why, and writes nothing', async () => {
    const target = await site();
    try {
      const rows = parse(fullCsv) as string[][];
      const header = rows[0] as string[];
      const at = (column: string) => header.indexOf(column);
      const good = rows[1] as string[];
      const withCell = (row: string[], column: string, value: string) =>
        row.map((cell, i) => (i === at(column) ? value : cell));
      const stringifyRow = (row: string[]) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
      const fresh = (id: string) => (row: string[]) => withCell(row, 'incident_id', id);
      const second = fresh('6f1c4f7e-3c1d-4b8a-9a57-0f3b2a1d9e01');
      const third = fresh('6f1c4f7e-3c1d-4b8a-9a57-0f3b2a1d9e02');
      const fourth = fresh('6f1c4f7e-3c1d-4b8a-9a57-0f3b2a1d9e03');
      const lines = [
        header.join(','),
        stringifyRow(good),
        stringifyRow(withCell(second(good), 'act_type', '01000000000024')),
        stringifyRow(withCell(third(good), 'initial_date', '2026-02-30')),
        stringifyRow(withCell(fourth(good), 'victim_kind', 'collective')),
      ];
      const file = `${lines.join('\n')}\n`;
      const before = await incidentCount(target.amparo);
      const refused = await importFile(target, 'csv', file);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'validation_failed');
      assert.equal(refused.body.refused, true);
      assert.equal(refused.body.imported, 0);
      assert.equal(refused.body.rejected, 3);
      // Each row spans two lines (the description holds a line break): a problem names the line its row starts on.
      assert.deepEqual(
        refused.body.problems.map((p: Json) => [p.line, p.field]),
        [
          [4, 'act_type'],
          [6, 'initial_date'],
          [8, 'victim_kind'],
        ],
      );
      assert.match(refused.body.problems[0].reason, /HURIDOCS list 4/);
      assert.ok(!JSON.stringify(refused.body).includes('2026-02-30'), 'problems never repeat values');
      assert.equal(await incidentCount(target.amparo), before, 'nothing written');

      const skipped = await importFile(target, 'csv', file, true);
      assert.equal(skipped.status, 200);
      assert.equal(skipped.body.imported, 1);
      assert.equal(skipped.body.rejected, 3);
      assert.equal(skipped.body.problems.length, 3);
      assert.equal(await incidentCount(target.amparo), before + 1, 'the good incident only');
    } finally {
      await target.amparo.close();
    }
  });

  it('refuses a file that cannot be read, and lines that are not incidents', async () => {
    const target = await site();
    try {
      const broken = await importFile(target, 'csv', `${CSV_COLUMNS.join(',')}\n"unclosed,quote\n`, true);
      assert.equal(broken.status, 400);
      assert.equal(broken.body.problems.length, 1);
      const header = await importFile(target, 'csv', 'incident_id,title\n');
      assert.equal(header.status, 400);
      assert.ok(header.body.problems.every((p: Json) => p.line === 1));
      const json = await importFile(target, 'json', `${fullJson}not json\n{"id": 3}\n`);
      assert.equal(json.status, 400);
      assert.deepEqual(json.body.problems.map((p: Json) => [p.line, p.field]).slice(0, 2), [
        [2, ''],
        [3, 'id'],
      ]);
      assert.equal(await incidentCount(target.amparo), 0);
      const wrongType = await target.amparo.app.inject({
        method: 'POST',
        url: '/api/v1/incidents/import',
        headers: target.coordinator.headers,
        payload: { not: 'a file' },
      });
      assert.equal(wrongType.statusCode, 415);
    } finally {
      await target.amparo.close();
    }
  });
});

describe('amparo incidents export / import (CLI, over HTTP)', () => {
  it('exports to standard output and imports the file, reporting bad lines', async () => {
    const server = await origin.amparo.app.listen({ host: '127.0.0.1', port: 0 });
    const target = await site();
    const dir = mkdtempSync(join(tmpdir(), 'amparo-transfer-'));
    try {
      const chunks: string[] = [];
      const exported = await runCli(
        ['incidents', 'export', '--format', 'csv', '--purpose', 'full', '--server', server],
        {
          out: () => {},
          err: () => {},
          write: (chunk) => chunks.push(chunk),
          env: { AMPARO_TOKEN: origin.coordinator.apiToken },
        },
      );
      assert.equal(exported, 0);
      const file = join(dir, 'incidents.csv');
      writeFileSync(file, chunks.join(''));
      assert.equal(csvRecords(chunks.join('')).length, 2);

      const targetServer = await target.amparo.app.listen({ host: '127.0.0.1', port: 0 });
      const out: string[] = [];
      const err: string[] = [];
      const io = {
        out: (l: string) => out.push(l),
        err: (l: string) => err.push(l),
        env: { AMPARO_TOKEN: target.coordinator.apiToken },
      };
      writeFileSync(join(dir, 'bad.csv'), `${chunks.join('')}"unclosed\n`);
      assert.equal(await runCli(['incidents', 'import', join(dir, 'bad.csv'), '--server', targetServer], io), 1);
      assert.match(err.join('\n'), /^line \d+: The file cannot be read from here/m);
      assert.equal(await incidentCount(target.amparo), 0);
      assert.equal(await runCli(['incidents', 'import', file, '--server', targetServer], io), 0);
      assert.deepEqual(out, ['Imported 1 incidents.']);
      assert.equal(await incidentCount(target.amparo), 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await target.amparo.close();
    }
  });
});
