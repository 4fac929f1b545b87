/**
 * The words of a notification, in the language of the channel it goes to. Kept short enough for an
 * SMS and free of what the console holds behind sign-in (message, location, circle): a notification
 * can be read over someone's shoulder or on a seized phone, so it names the person and the kind of
 * alert, and links to the rest.
 */
import type { Locale } from '../registry/model.ts';
import type { Alert, AlertSource, Delivery, Severity } from './model.ts';

export interface NotificationWords {
  subject: string;
  text: string;
}

export interface WordsInput {
  alert: Pick<Alert, 'source' | 'severity'>;
  purpose: Delivery['purpose'];
  /** The person or collective in danger, as the registry names them. */
  subjectName: string;
  /** For notices: who took the alert, or who resolved it; null when unknown. */
  by: string | null;
  language: Locale;
}

/** What a channel adds around the text: how to acknowledge, and where the console is. */
export interface ChannelWords {
  /** Before the acknowledgement link. */
  acknowledge: string;
  /** How to acknowledge by replying; the code itself (`ACK 123456`) is the same in every language. */
  reply(code: string): string;
  /** The same, after the link ("Or …"). */
  orReply(code: string): string;
  /** The same in as few characters as possible, for a text message. */
  shortReply(code: string): string;
  /** Before the console link. */
  console: string;
}

interface Texts {
  source: Record<AlertSource, string>;
  severity: Record<Severity, string>;
  alert(what: string, name: string, severity: string): NotificationWords;
  taken(what: string, name: string, by: string | null): NotificationWords;
  resolved(what: string, name: string, by: string | null): NotificationWords;
  channel: ChannelWords;
}

const ack = (code: string) => `ACK ${code}`;

const TEXTS: Record<Locale, Texts> = {
  en: {
    source: {
      sos: 'SOS',
      check_in_missed: 'missed check-in',
      duress: 'silent alarm',
      coordinator: 'alert',
      incident: 'urgent incident',
    },
    severity: { medium: 'medium', high: 'HIGH', critical: 'CRITICAL' },
    alert: (what, name, severity) => ({
      subject: `[Amparo ${severity}] ${what}: ${name}`,
      text: `${what.toUpperCase()} for ${name}. Severity: ${severity}.`,
    }),
    taken: (what, name, by) => ({
      subject: `[Amparo] Taken: ${what} for ${name}`,
      text: `${by ?? 'A responder'} took the ${what} for ${name}. No need to respond.`,
    }),
    resolved: (what, name, by) => ({
      subject: `[Amparo] Resolved: ${what} for ${name}`,
      text: `The ${what} for ${name} was resolved${by ? ` by ${by}` : ''}.`,
    }),
    channel: {
      acknowledge: 'Acknowledge:',
      reply: (code) => `Reply ${ack(code)} to this message.`,
      orReply: (code) => `Or reply ${ack(code)} to this message.`,
      shortReply: (code) => `Reply ${ack(code)}`,
      console: 'Console:',
    },
  },
  es: {
    source: {
      sos: 'SOS',
      check_in_missed: 'reporte no recibido',
      duress: 'alarma silenciosa',
      coordinator: 'alerta',
      incident: 'incidente urgente',
    },
    severity: { medium: 'media', high: 'ALTA', critical: 'CRÍTICA' },
    alert: (what, name, severity) => ({
      subject: `[Amparo ${severity}] ${what}: ${name}`,
      text: `${what.toUpperCase()} de ${name}. Gravedad: ${severity}.`,
    }),
    taken: (what, name, by) => ({
      subject: `[Amparo] Atendida: ${what} de ${name}`,
      text: `${by ?? 'Alguien del equipo'} atendió: ${what} de ${name}. No hace falta responder.`,
    }),
    resolved: (what, name, by) => ({
      subject: `[Amparo] Resuelta: ${what} de ${name}`,
      text: `Resuelta${by ? ` por ${by}` : ''}: ${what} de ${name}.`,
    }),
    channel: {
      acknowledge: 'Confirmar que la atiende:',
      reply: (code) => `Responda ${ack(code)} a este mensaje.`,
      orReply: (code) => `O responda ${ack(code)} a este mensaje.`,
      shortReply: (code) => `Responda ${ack(code)}`,
      console: 'Consola:',
    },
  },
  fr: {
    source: {
      sos: 'SOS',
      check_in_missed: 'pointage manqué',
      duress: 'alarme silencieuse',
      coordinator: 'alerte',
      incident: 'incident urgent',
    },
    severity: { medium: 'moyenne', high: 'ÉLEVÉE', critical: 'CRITIQUE' },
    alert: (what, name, severity) => ({
      subject: `[Amparo ${severity}] ${what} : ${name}`,
      text: `${what.toUpperCase()} pour ${name}. Gravité : ${severity}.`,
    }),
    taken: (what, name, by) => ({
      subject: `[Amparo] Prise en charge : ${what} pour ${name}`,
      text: `${by ?? 'Un membre de l’équipe'} a pris en charge : ${what} pour ${name}. Inutile de répondre.`,
    }),
    resolved: (what, name, by) => ({
      subject: `[Amparo] Résolue : ${what} pour ${name}`,
      text: `Résolue${by ? ` par ${by}` : ''} : ${what} pour ${name}.`,
    }),
    channel: {
      acknowledge: 'Prendre en charge :',
      reply: (code) => `Répondez ${ack(code)} à ce message.`,
      orReply: (code) => `Ou répondez ${ack(code)} à ce message.`,
      shortReply: (code) => `Répondez ${ack(code)}`,
      console: 'Console :',
    },
  },
  ar: {
    source: {
      sos: 'نداء استغاثة',
      check_in_missed: 'تسجيل حضور فائت',
      duress: 'إنذار صامت',
      coordinator: 'تنبيه',
      incident: 'حادث عاجل',
    },
    severity: { medium: 'متوسطة', high: 'عالية', critical: 'حرجة' },
    alert: (what, name, severity) => ({
      subject: `[Amparo ${severity}] ${what}: ${name}`,
      text: `${what} بشأن ${name}. الخطورة: ${severity}.`,
    }),
    taken: (what, name, by) => ({
      subject: `[Amparo] تمّ التكفّل: ${what} بشأن ${name}`,
      text: `تكفّل ${by ?? 'أحد المستجيبين'} بـ${what} بشأن ${name}. لا حاجة للرد.`,
    }),
    resolved: (what, name, by) => ({
      subject: `[Amparo] تمّت المعالجة: ${what} بشأن ${name}`,
      text: `تمّت معالجة ${what} بشأن ${name}${by ? ` على يد ${by}` : ''}.`,
    }),
    channel: {
      acknowledge: 'للتكفّل بالتنبيه:',
      reply: (code) => `ردّ على هذه الرسالة بـ ${ack(code)}`,
      orReply: (code) => `أو ردّ على هذه الرسالة بـ ${ack(code)}`,
      shortReply: (code) => `ردّ بـ ${ack(code)}`,
      console: 'لوحة المتابعة:',
    },
  },
};

export function notificationWords(input: WordsInput): NotificationWords {
  const texts = TEXTS[input.language];
  const what = texts.source[input.alert.source];
  switch (input.purpose) {
    case 'alert':
      // The channel adds how to acknowledge (link, reply code) and the console link.
      return texts.alert(what, input.subjectName, texts.severity[input.alert.severity]);
    case 'acknowledged':
      return texts.taken(what, input.subjectName, input.by);
    case 'resolved':
      return texts.resolved(what, input.subjectName, input.by);
  }
}

/** The words a channel puts around a notification, in its language. */
export const channelWords = (language: Locale): ChannelWords => TEXTS[language].channel;
