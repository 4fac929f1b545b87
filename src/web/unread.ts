/**
 * How many notifications are unread, for the count next to "Notifications" in the navigation. It is
 * asked for again whenever the page changes, and when a page says that notifications changed (one
 * was marked as read there).
 */
import { useEffect, useState } from 'react';
import { authApi } from './auth-api.ts';

const listeners = new Set<() => void>();

/** Notifications changed (one was marked as read): the count is asked for again. */
export function notificationsChanged(): void {
  for (const listener of listeners) listener();
}

/** The unread count, or null while unknown (not allowed, not yet loaded, or the server could not say). */
export function useUnreadCount(allowed: boolean, page: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const [changes, setChanges] = useState(0);

  useEffect(() => {
    const listener = () => setChanges((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page and a reported change are deliberate re-run triggers.
  useEffect(() => {
    if (!allowed) {
      setCount(null);
      return;
    }
    const controller = new AbortController();
    authApi.notifications(controller.signal).then(
      (items) => setCount(items.filter((item) => item.readAt === null).length),
      () => {
        // Keeps the last count known: the notifications page itself says what went wrong.
      },
    );
    return () => controller.abort();
  }, [allowed, page, changes]);

  return count;
}
