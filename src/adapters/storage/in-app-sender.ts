/**
 * The in-app channel: a notification in the account's list (`GET /api/v1/notifications`), written in
 * the same database. The row names the alert by id only — the list never carries the message — and
 * its id is the delivery's idempotency key, so a retried attempt finds its row already there.
 */
import type { Notification } from '../../core/accounts/model.ts';
import type { ChannelKind } from '../../core/alerts/model.ts';
import {
  DeliveryFailure,
  type NotificationSender,
  type OutgoingNotification,
  type SendOutcome,
} from '../../core/alerts/ports.ts';
import type { Clock } from '../../core/ports.ts';
import type { AppDb } from './database.ts';
import { FOREIGN_KEY_VIOLATION, sqlState } from './response-support.ts';
import { notifications } from './schema.ts';

const KIND_OF_PURPOSE: Record<OutgoingNotification['purpose'], Notification['kind']> = {
  alert: 'alert',
  acknowledged: 'alert_acknowledged',
  resolved: 'alert_resolved',
};

const IN_APP: ReadonlySet<ChannelKind> = new Set(['in_app']);

export class InAppSender implements NotificationSender {
  constructor(
    private readonly db: AppDb,
    private readonly clock: Clock,
  ) {}

  sendable(): ReadonlySet<ChannelKind> {
    return IN_APP;
  }

  async send(notification: OutgoingNotification): Promise<SendOutcome> {
    if (notification.userId === null) throw new DeliveryFailure('in-app notification without an account');
    try {
      await this.insert(notification, notification.userId);
    } catch (error) {
      if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw new DeliveryFailure('the account no longer exists');
      throw error;
    }
    return { status: 'delivered' };
  }

  private async insert(notification: OutgoingNotification, userId: string): Promise<void> {
    await this.db
      .insert(notifications)
      .values({
        id: notification.idempotencyKey,
        userId,
        kind: KIND_OF_PURPOSE[notification.purpose],
        recordType: 'alert',
        recordId: notification.alertId,
        // The column names who caused a notification; an alert's is raised by the system for them.
        actorUserId: userId,
        grantId: null,
        createdAt: this.clock.now(),
        readAt: null,
      })
      .onConflictDoNothing({ target: notifications.id });
  }
}
