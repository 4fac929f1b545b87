/**
 * The words of a notification. Kept short enough for an SMS and free of what the console holds
 * behind sign-in (message, location, circle): a notification can be read over someone's shoulder or
 * on a seized phone, so it names the person and the kind of alert, and links to the rest.
 */
import type { Alert, AlertSource, Delivery, Severity } from './model.ts';

const SOURCE_WORDS: Record<AlertSource, string> = {
  sos: 'SOS',
  check_in_missed: 'missed check-in',
  duress: 'silent alarm',
  coordinator: 'alert',
  incident: 'urgent incident',
};

const SEVERITY_WORDS: Record<Severity, string> = { medium: 'medium', high: 'HIGH', critical: 'CRITICAL' };

export interface NotificationWords {
  subject: string;
  text: string;
}

export interface WordsInput {
  alert: Pick<Alert, 'source' | 'severity'>;
  purpose: Delivery['purpose'];
  /** The person or collective in danger, as the registry names them. */
  subjectName: string;
  /** For notices: who took the alert, or who resolved it. */
  by: string | null;
}

export function notificationWords(input: WordsInput): NotificationWords {
  const what = SOURCE_WORDS[input.alert.source];
  switch (input.purpose) {
    case 'alert':
      // The channel adds how to acknowledge (link, reply code) and the console link.
      return {
        subject: `[Amparo ${SEVERITY_WORDS[input.alert.severity]}] ${what}: ${input.subjectName}`,
        text: `${what.toUpperCase()} for ${input.subjectName}. Severity: ${SEVERITY_WORDS[input.alert.severity]}.`,
      };
    case 'acknowledged':
      return {
        subject: `[Amparo] Taken: ${what} for ${input.subjectName}`,
        text: `${input.by ?? 'A responder'} took the ${what} for ${input.subjectName}. No need to respond.`,
      };
    case 'resolved':
      return {
        subject: `[Amparo] Resolved: ${what} for ${input.subjectName}`,
        text: `The ${what} for ${input.subjectName} was resolved${input.by ? ` by ${input.by}` : ''}.`,
      };
  }
}
