/**
 * Notifications: emergency access used on a record, alerts sent in-app, and what protection cases
 * ask of someone (a case or task given to them, a referral, a visit due, a defender's answer). They
 * name people and records by id, never by what a record contains.
 */
import '../account-i18n.ts';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api.ts';
import { authApi, type DirectoryEntry, type NotificationView } from '../auth-api.ts';
import { focusSoon, LoadError, usePageTitle } from '../components/ui.tsx';
import { describeError } from '../errors.ts';
import { useFormat } from '../format.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAnnounce } from '../status.tsx';
import { notificationsChanged } from '../unread.ts';

/** Where a notification leads: the record itself, or the list it belongs to. */
function notificationTarget(
  item: NotificationView,
  canRespondToReferrals: boolean,
): { href: string; label: string } | null {
  if (item.recordType === 'alert') return { href: `/alerts/${item.recordId}`, label: 'alert' };
  if (item.recordType === 'case') return { href: `/cases/${item.recordId}`, label: 'case' };
  if (item.recordType === 'measure') {
    return item.kind === 'referral_received' && canRespondToReferrals
      ? { href: '/referrals', label: 'referrals' }
      : { href: '/cases', label: 'cases' };
  }
  return null;
}

function NotificationBody({ item, who }: { item: NotificationView; who: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  if (item.kind === 'break_glass') {
    return (
      <p>
        {t('notifications.breakGlassBody', { who })}{' '}
        {item.recordType === 'actor' ? (
          <Link href={`/actors/${item.recordId}`}>
            {t('audit.actor')} <code dir="ltr">{item.recordId.slice(0, 8)}</code>
          </Link>
        ) : (
          <code dir="ltr">{item.recordId.slice(0, 8)}</code>
        )}
      </p>
    );
  }
  const target = notificationTarget(item, can('referrals.respond'));
  return (
    <p>
      {t(`notifications.bodies.${item.kind}` as 'notifications.bodies.alert', { who })}{' '}
      {target && <Link href={target.href}>{t(`notifications.open.${target.label}`)}</Link>}
    </p>
  );
}

export function NotificationsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const announce = useAnnounce();
  const { can } = useSession();
  const [items, setItems] = useState<NotificationView[] | null>(null);
  const [people, setPeople] = useState<DirectoryEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [failure, setFailure] = useState<string | null>(null);
  usePageTitle(t('notifications.title'));

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setItems(await authApi.notifications(signal));
      setError(null);
    } catch (failed) {
      if (!isAbort(failed)) setError(failed);
    }
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    authApi.directory(controller.signal).then(setPeople, () => setPeople([]));
    return () => controller.abort();
  }, [load]);

  const nameOf = (id: string) => people.find((person) => person.id === id)?.username ?? id.slice(0, 8);

  const markRead = async (item: NotificationView) => {
    setFailure(null);
    try {
      await authApi.markRead(item.id);
      notificationsChanged();
      announce(t('notifications.marked'));
      await load();
      focusSoon(`notification-${item.id}`);
    } catch (failed) {
      setFailure(describeError(failed, t));
    }
  };

  const unread = items?.filter((item) => item.readAt === null).length ?? 0;

  return (
    <>
      <h1>{t('notifications.title')}</h1>
      {error !== null && <LoadError message={describeError(error, t)} onRetry={() => void load()} />}
      {items === null && error === null && <p aria-live="polite">{t('common.loading')}</p>}
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {items !== null && (
        <>
          <p>{items.length === 0 ? t('notifications.none') : t('notifications.unread', { count: unread })}</p>
          <ul className="notification-list">
            {items.map((item) => (
              <li
                key={item.id}
                id={`notification-${item.id}`}
                tabIndex={-1}
                className={item.readAt === null ? 'card notification unread' : 'card notification'}
              >
                <p>
                  <strong>{t(`notifications.kinds.${item.kind}`)}</strong>
                  {item.readAt === null && <span className="badge">{t('notifications.new')}</span>}{' '}
                  <span className="muted small">
                    <time dateTime={item.createdAt}>{format.dateTime(item.createdAt)}</time>
                  </span>
                </p>
                <NotificationBody item={item} who={nameOf(item.actorUserId)} />
                <div className="actions">
                  {can('audit.read') && (
                    <Link className="button button-small" href={`/audit?recordId=${encodeURIComponent(item.recordId)}`}>
                      {t('actor.auditTrail')}
                    </Link>
                  )}
                  {item.readAt === null && (
                    <button type="button" className="button-small" onClick={() => void markRead(item)}>
                      {t('notifications.markRead')}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
