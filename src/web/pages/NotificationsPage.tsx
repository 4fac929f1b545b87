/**
 * Notifications: for now, that an administrator used emergency access ("break-glass") to open a
 * record. They name people and records by id, never by what a record contains.
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
                <p>
                  {t('notifications.breakGlassBody', { who: nameOf(item.actorUserId) })}{' '}
                  {item.recordType === 'actor' ? (
                    <Link href={`/actors/${item.recordId}`}>
                      {t('audit.actor')} <code dir="ltr">{item.recordId.slice(0, 8)}</code>
                    </Link>
                  ) : (
                    <code dir="ltr">{item.recordId.slice(0, 8)}</code>
                  )}
                </p>
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
