/**
 * The rapid-response pages' shared wording: severities, sources and states, who someone is (an
 * account, a contact, a team, a defender's link), the steps of a ladder, its reachability warnings
 * and every kind of timeline event, all rendered from codes and ids in the interface language.
 */
import './alerts-i18n.ts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LadderStep, LadderTarget } from '../core/alerts/model.ts';
import {
  type AlertStatus,
  attemptOf,
  type ChannelKind,
  type Delivery,
  type FeedStatus,
  minutesOf,
  principalOf,
  type ReachabilityWarning,
  type Recipient,
  type Severity,
  type TimelineEvent,
} from './alerts-api.ts';
import type { Actor } from './api.ts';
import { authApi, type DirectoryEntry, type TeamName } from './auth-api.ts';
import { actorName, useFormat } from './format.ts';
import { useSession } from './session.tsx';

/** Keeps a name's own direction inside a sentence (Arabic names in English text, and the reverse). */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

/**
 * The accounts and teams a page may name: the directory where the role may read it, else the staff of
 * one's own teams and the partner organisations where the role works on cases, else oneself.
 */
export interface People {
  accounts: DirectoryEntry[];
  teams: TeamName[];
}

export function usePeople(): People {
  const { can, account } = useSession();
  const withAccounts = can('registry.share') || can('accounts.manage');
  const withColleagues = !withAccounts && can('cases.write');
  const withTeams = withAccounts || can('registry.write');
  const [people, setPeople] = useState<People>(() => ({
    accounts: account ? [{ id: account.id, username: account.username, role: account.role }] : [],
    teams: account?.teams ?? [],
  }));
  useEffect(() => {
    if (!account) return;
    const controller = new AbortController();
    const self: DirectoryEntry = { id: account.id, username: account.username, role: account.role };
    Promise.all([
      withAccounts
        ? authApi.directory(controller.signal).catch(() => [])
        : withColleagues
          ? Promise.all([
              authApi.colleagues(controller.signal).catch(() => []),
              authApi.partners(controller.signal).catch(() => []),
            ]).then(([colleagues, partners]) => [...colleagues, ...partners])
          : Promise.resolve([]),
      withTeams ? authApi.teamDirectory(controller.signal).catch(() => []) : Promise.resolve([]),
    ]).then(([accounts, teams]) => {
      if (controller.signal.aborted) return;
      setPeople({
        accounts: [self, ...accounts.filter((entry) => entry.id !== self.id)],
        teams: teams.length > 0 ? teams : account.teams,
      });
    });
    return () => controller.abort();
  }, [account, withAccounts, withColleagues, withTeams]);
  return people;
}

/** What names the ids on a page: actors read from the registry, accounts and teams from the directory. */
export interface Names {
  actors: ReadonlyMap<string, Pick<Actor, 'id' | 'displayName'>>;
  people: People;
  /** User names the page was given with its record (an alert names its responders), by account id. */
  usernames?: ReadonlyMap<string, string>;
}

const short = (id: string) => id.slice(0, 8);

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <span className={severity === 'medium' ? 'badge' : 'badge badge-danger'}>{t(`alerts.severity.${severity}`)}</span>
  );
}

/** Whether the page is following the live feed: a console that silently stopped updating would mislead. */
export function FeedLine({ status }: { status: FeedStatus }) {
  const { t } = useTranslation();
  return (
    <p className={status === 'reconnecting' ? 'meta field-error' : 'meta'} role="status">
      {t(`alerts.feed.${status}`)}
    </p>
  );
}

export function StatusBadge({ status }: { status: AlertStatus }) {
  const { t } = useTranslation();
  return <span className={status === 'open' ? 'badge badge-danger' : 'badge'}>{t(`alerts.status.${status}`)}</span>;
}

export function useAlertWords(names: Names) {
  const { t } = useTranslation();
  const format = useFormat();
  const n = format.number;
  const unnamed = (id: string) => t('actor.unnamed', { id });

  const actor = (id: string): string => {
    const found = names.actors.get(id);
    return isolate(found ? actorName(found, unnamed) : unnamed(short(id)));
  };
  const account = (id: string): string => {
    const found = names.people.accounts.find((entry) => entry.id === id)?.username ?? names.usernames?.get(id);
    return isolate(found ?? t('alerts.who.account', { id: short(id) }));
  };
  const team = (id: string): string => {
    const found = names.people.teams.find((entry) => entry.id === id);
    return isolate(found ? found.name : t('alerts.who.team', { id: short(id) }));
  };
  const recipient = (who: Recipient | null): string =>
    who === null ? t('alerts.who.nobody') : who.kind === 'user' ? account(who.id) : actor(who.id);

  const principal = (who: string | null): string => {
    if (!who) return t('alerts.who.nobody');
    const found = principalOf(who);
    switch (found.kind) {
      case 'user':
        return account(found.id);
      case 'actor':
        return actor(found.id);
      case 'defender-link':
        return t('alerts.who.defenderLink', { name: actor(found.id) });
      case 'system':
        return t('alerts.who.system');
      case 'other':
        return isolate(found.text);
    }
  };

  const channel = (kind: ChannelKind | null): string =>
    kind ? t(`alerts.channelKind.${kind}`) : t('alerts.channelKind.none');

  const target = (value: LadderTarget): string => {
    switch (value.kind) {
      case 'user':
        return account(value.userId);
      case 'actor':
        return actor(value.actorId);
      case 'team':
        return t('alerts.who.teamNamed', { team: team(value.teamId) });
      case 'on_duty':
        return t('alerts.who.onDuty');
    }
  };

  const step = (value: LadderStep): string => {
    switch (value.kind) {
      case 'notify':
        return t('ladders.summary.notify', { targets: value.targets.map(target).join(', ') });
      case 'wait':
        return t('ladders.summary.wait', { count: value.minutes, n: n(value.minutes) });
      case 'webhook':
        return t('ladders.summary.webhook', { url: isolate(value.url) });
      case 'repeat':
        return t('ladders.summary.repeat', { step: n(value.fromStep + 1), count: value.times, n: n(value.times) });
    }
  };

  const warning = (value: ReachabilityWarning): string =>
    t(`ladders.warning.${value.problem}`, {
      step: n(value.step + 1),
      who: recipient(value.recipient),
      team: value.teamId ? team(value.teamId) : '',
    });

  const event = (value: TimelineEvent): string => {
    const { attempt, error } = attemptOf(value.detail);
    const webhook = value.channelKind === 'webhook' && value.recipient === null;
    const minutes = minutesOf(value.detail) ?? 0;
    const params = {
      step: n((value.step ?? 0) + 1),
      who: webhook ? t('alerts.who.ladderWebhook') : recipient(value.recipient),
      channel: channel(value.channelKind),
      attempt: n(attempt ?? 1),
      error: error ? isolate(error) : t('alerts.timeline.noError'),
      by: principal(value.detail),
    };
    switch (value.kind) {
      case 'raised':
        return t(value.detail ? 'alerts.timeline.raisedNoLadder' : 'alerts.timeline.raised');
      case 'notified':
        return t(webhook ? 'alerts.timeline.notifiedWebhook' : 'alerts.timeline.notified', params);
      case 'waiting':
        return t('alerts.timeline.waiting', { ...params, count: minutes, n: n(minutes) });
      case 'step_started':
      case 'step_skipped':
      case 'unreachable':
      case 'attempt_sent':
      case 'attempt_delivered':
      case 'attempt_failed':
      case 'next_channel':
      case 'repeat':
      case 'ladder_exhausted':
      case 'acknowledged':
      case 'resolved':
      case 'cancelled':
      case 'auditor_rescheduled':
        return t(`alerts.timeline.${value.kind}`, params);
      default:
        return t('alerts.timeline.other', { kind: value.kind });
    }
  };

  const delivery = (value: Delivery): string =>
    value.recipient === null && value.channelKind === 'webhook'
      ? t('alerts.who.ladderWebhook')
      : recipient(value.recipient);

  return { actor, account, team, recipient, principal, channel, target, step, warning, event, delivery };
}
