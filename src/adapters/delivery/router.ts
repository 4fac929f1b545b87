/**
 * The installation's channels behind the core's one `NotificationSender`: e-mail when an SMTP server
 * is configured, signed webhooks always, SMS when a provider is configured, in-app from storage.
 */
import type { Config } from '../../config.ts';
import type { ChannelKind } from '../../core/alerts/model.ts';
import type { NotificationSender, OutgoingNotification, SendOutcome } from '../../core/alerts/ports.ts';
import { DeliveryFailure } from '../../core/alerts/ports.ts';
import { SmsSender, TwilioSmsGateway } from './sms.ts';
import { SmtpSender } from './smtp.ts';
import { WebhookSender } from './webhook.ts';

/** One channel's sender; `close` releases what it keeps open (the SMTP pool). */
export interface ChannelSender {
  send(notification: OutgoingNotification): Promise<SendOutcome>;
  close?(): void | Promise<void>;
}

export interface ChannelSenders {
  email?: ChannelSender | null;
  webhook: ChannelSender;
  sms?: ChannelSender | null;
  inApp?: ChannelSender | null;
}

export class ChannelRouter implements NotificationSender {
  private readonly senders = new Map<ChannelKind, ChannelSender>();
  private readonly kinds: ReadonlySet<ChannelKind>;

  constructor(senders: ChannelSenders) {
    const byKind: [ChannelKind, ChannelSender | null | undefined][] = [
      ['email', senders.email],
      ['webhook', senders.webhook],
      ['sms', senders.sms],
      ['in_app', senders.inApp],
    ];
    for (const [kind, sender] of byKind) if (sender) this.senders.set(kind, sender);
    this.kinds = new Set(this.senders.keys());
  }

  sendable(): ReadonlySet<ChannelKind> {
    return this.kinds;
  }

  send(notification: OutgoingNotification): Promise<SendOutcome> {
    const sender = this.senders.get(notification.kind);
    if (!sender) return Promise.reject(new DeliveryFailure('channel not configured'));
    return sender.send(notification);
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((sender) => sender.close?.()));
  }
}

/**
 * The router for this configuration; `inApp` comes from storage (the accounts' inboxes). Webhooks
 * refuse private addresses unless `webhookPrivateNetworks` is `allow`. E-mails ask for replies at the
 * inbound listener's address when one is configured.
 */
export function channelRouterFor(
  config: Pick<Config, 'smtp' | 'sms'> & Partial<Pick<Config, 'webhookPrivateNetworks' | 'inboundMail'>>,
  webhookSecret: string,
  inApp: ChannelSender | null,
): ChannelRouter {
  const replyTo = config.inboundMail?.address;
  return new ChannelRouter({
    email: config.smtp ? new SmtpSender({ ...config.smtp, ...(replyTo ? { replyTo } : {}) }) : null,
    webhook: new WebhookSender({
      secret: webhookSecret,
      privateNetworks: config.webhookPrivateNetworks ?? 'refuse',
    }),
    sms: config.sms ? new SmsSender(new TwilioSmsGateway(config.sms)) : null,
    inApp,
  });
}
