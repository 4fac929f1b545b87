/**
 * Rapid response on the demo: in-app channels for the demo coordinator and case worker, the
 * coordinator on duty, a network ladder, and the demo defender's personal link, PINs and a daily
 * check-in — so that the alert console, the ladder page and the defender's page work at once.
 * Made through the services, audited as `system:demo`.
 */
import { SqlAccountStore } from '../adapters/storage/account-store.ts';
import type { Amparo } from '../app.ts';
import { EVERYTHING } from '../core/access/scope.ts';

const system = { principal: 'system:demo', source: null };

/** Fictional PINs of the demo defender, printed with the passwords. */
export const DEMO_PINS = { pin: '2468', duressPin: '1357' } as const;

export async function createDemoRapidResponse(amparo: Amparo, publicUrl: string): Promise<string[]> {
  const store = new SqlAccountStore(amparo.database.db);
  const coordinator = await store.findAccountByUsername('coordinator');
  const caseWorker = await store.findAccountByUsername('caseworker');
  const defender = await store.findAccountByUsername('defender');
  if (!coordinator) return [];
  const ladders = amparo.rapid.ladders.forContext(system, EVERYTHING);
  for (const account of [coordinator, caseWorker]) {
    if (!account) continue;
    await ladders.addChannel(
      { kind: 'user', id: account.id },
      { kind: 'in_app', address: '', position: 0, enabled: true },
      true,
    );
  }
  const now = Date.now();
  await ladders.addShift({
    userId: coordinator.id,
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 30 * 86_400_000).toISOString(),
  });
  await ladders.create({
    name: 'Network: on duty, then the whole coordination',
    scope: { kind: 'network' },
    steps: [
      { kind: 'notify', targets: [{ kind: 'on_duty' }] },
      { kind: 'wait', minutes: 5 },
      {
        kind: 'notify',
        targets: [
          { kind: 'user', userId: coordinator.id },
          ...(caseWorker ? [{ kind: 'user' as const, userId: caseWorker.id }] : []),
        ],
      },
      { kind: 'wait', minutes: 10 },
      { kind: 'repeat', fromStep: 0, times: 2 },
    ],
  });
  if (!defender?.actorId) return [];
  const checkIns = amparo.rapid.checkIns.forContext(system, EVERYTHING);
  const { link, code } = await checkIns.issueLink(defender.actorId);
  await checkIns.setPins(defender.actorId, DEMO_PINS.pin, DEMO_PINS.duressPin);
  await checkIns.schedule(defender.actorId, {
    kind: 'recurring',
    everyHours: 24,
    dueAt: null,
    graceMinutes: 60,
    note: 'Daily check-in agreed at the last visit.',
  });
  return [
    `Demo defender's page (SOS and check-in, works without JavaScript): ${publicUrl.replace(/\/+$/, '')}/s/${link}`,
    `  short code ${code} (at /sos), check-in PIN ${DEMO_PINS.pin}, duress PIN ${DEMO_PINS.duressPin}`,
  ];
}
