/**
 * The words of the defender's pages (SOS, check-in, "going somewhere", the short-code form and the
 * responders' acknowledgement page) in the four languages of Amparo. These pages carry no JavaScript,
 * so their texts live here rather than in the web UI's locale files.
 */
import type { AlertSource } from '../../core/alerts/model.ts';

export const PAGE_LANGUAGES = ['en', 'es', 'fr', 'ar'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

export interface PageTexts {
  languageName: string;
  dir: 'ltr' | 'rtl';
  sosHeading: string;
  sosButton: string;
  messageLabel: string;
  sosHint: string;
  checkInHeading: string;
  pinLabel: string;
  checkInButton: string;
  nextDue: string;
  noPins: string;
  tripHeading: string;
  hoursLabel: string;
  minutesLabel: string;
  graceLabel: string;
  tripNoteLabel: string;
  tripButton: string;
  sosSentTitle: string;
  sosSentBody: string;
  back: string;
  checkedIn: string;
  noNextDue: string;
  tripStarted: string;
  tripAlarm: string;
  wrongPin: string;
  tooMany: string;
  messageTooLong: string;
  tripInvalid: string;
  graceInvalid: string;
  noteTooLong: string;
  codeHeading: string;
  codeLabel: string;
  codeUnknown: string;
  notFoundTitle: string;
  notFoundBody: string;
  errorTitle: string;
  errorBody: string;
  ackQuestion: string;
  ackHint: string;
  ackButton: string;
  ackDone: string;
  ackAlready: string;
  someone: string;
  timesIn: string;
  /** "Take the {what} for …": each kind of alert with its article. */
  what: Record<AlertSource, string>;
}

const en: PageTexts = {
  languageName: 'English',
  dir: 'ltr',
  sosHeading: 'Emergency',
  sosButton: 'SOS — alert my network',
  messageLabel: 'Message (optional)',
  sosHint: 'Your network is alerted at once.',
  checkInHeading: 'Check in',
  pinLabel: 'PIN',
  checkInButton: 'Check in',
  nextDue: 'Next check-in due: {time}',
  noPins: 'No PIN is set for this link yet: ask your coordinator.',
  tripHeading: 'Going somewhere',
  hoursLabel: 'Back within: hours',
  minutesLabel: 'and minutes',
  graceLabel: 'Extra minutes before the alarm',
  tripNoteLabel: 'Where are you going? (optional)',
  tripButton: 'Start',
  sosSentTitle: 'Help is being alerted.',
  sosSentBody: 'Your network has been told. Stay as safe as you can.',
  back: 'Back',
  checkedIn: 'Checked in at {time}.',
  noNextDue: 'No further check-in is scheduled.',
  tripStarted: 'We expect you back by {time}.',
  tripAlarm: 'If you have not checked in {grace} minutes after that, your network is alerted.',
  wrongPin: 'That PIN is not right.',
  tooMany: 'Too many attempts. Wait a while and try again.',
  messageTooLong: 'The message is too long.',
  tripInvalid: 'Say how long you will be away: up to 7 days.',
  graceInvalid: 'The extra minutes are 0 to 1440.',
  noteTooLong: 'The note is too long.',
  codeHeading: 'Raise an SOS with your code',
  codeLabel: 'Your code',
  codeUnknown: 'That code is not recognised.',
  notFoundTitle: 'This link is not valid.',
  notFoundBody: 'Ask your coordinator for a new one.',
  errorTitle: 'Something went wrong.',
  errorBody: 'Go back and try again.',
  ackQuestion: 'Take the {what} for {name}?',
  ackHint: 'Taking it stops the escalation and tells the other responders that you are on it.',
  ackButton: 'Yes, I take it',
  ackDone: 'You took it. Others were told.',
  ackAlready: 'Already taken by {name}.',
  someone: 'someone else',
  timesIn: 'Times are in {zone}.',
  what: {
    sos: 'SOS',
    check_in_missed: 'missed check-in',
    duress: 'silent alarm',
    coordinator: 'alert',
    incident: 'urgent incident',
  },
};

const es: PageTexts = {
  languageName: 'Español',
  dir: 'ltr',
  sosHeading: 'Emergencia',
  sosButton: 'SOS — alertar a mi red',
  messageLabel: 'Mensaje (opcional)',
  sosHint: 'Tu red recibe la alerta de inmediato.',
  checkInHeading: 'Reportarme',
  pinLabel: 'PIN',
  checkInButton: 'Reportarme',
  nextDue: 'Próximo reporte: {time}',
  noPins: 'Este enlace aún no tiene PIN: pídelo a tu coordinación.',
  tripHeading: 'Voy a salir',
  hoursLabel: 'Vuelvo en: horas',
  minutesLabel: 'y minutos',
  graceLabel: 'Minutos de margen antes de la alerta',
  tripNoteLabel: '¿Adónde vas? (opcional)',
  tripButton: 'Iniciar',
  sosSentTitle: 'Se está alertando a quienes pueden ayudarte.',
  sosSentBody: 'Tu red ya fue avisada. Cuídate todo lo que puedas.',
  back: 'Volver',
  checkedIn: 'Reporte registrado a las {time}.',
  noNextDue: 'No hay más reportes programados.',
  tripStarted: 'Te esperamos de vuelta antes de: {time}.',
  tripAlarm: 'Si no te reportas {grace} minutos después, se alerta a tu red.',
  wrongPin: 'Ese PIN no es correcto.',
  tooMany: 'Demasiados intentos. Espera un rato y vuelve a intentarlo.',
  messageTooLong: 'El mensaje es demasiado largo.',
  tripInvalid: 'Indica cuánto tiempo estarás fuera: hasta 7 días.',
  graceInvalid: 'Los minutos de margen van de 0 a 1440.',
  noteTooLong: 'La nota es demasiado larga.',
  codeHeading: 'Enviar un SOS con tu código',
  codeLabel: 'Tu código',
  codeUnknown: 'Ese código no se reconoce.',
  notFoundTitle: 'Este enlace no es válido.',
  notFoundBody: 'Pide uno nuevo a tu coordinación.',
  errorTitle: 'Algo salió mal.',
  errorBody: 'Vuelve atrás e inténtalo de nuevo.',
  ackQuestion: '¿Te encargas de {what} de {name}?',
  ackHint: 'Al encargarte, se detiene la escalada y se avisa al resto de responsables de que tú te ocupas.',
  ackButton: 'Sí, me encargo',
  ackDone: 'Te encargaste. Se avisó a los demás.',
  ackAlready: 'Ya se encargó: {name}.',
  someone: 'otra persona',
  timesIn: 'Horas en {zone}.',
  what: {
    sos: 'el SOS',
    check_in_missed: 'el reporte no recibido',
    duress: 'la alarma silenciosa',
    coordinator: 'la alerta',
    incident: 'el incidente urgente',
  },
};

const fr: PageTexts = {
  languageName: 'Français',
  dir: 'ltr',
  sosHeading: 'Urgence',
  sosButton: 'SOS — alerter mon réseau',
  messageLabel: 'Message (facultatif)',
  sosHint: 'Votre réseau est alerté immédiatement.',
  checkInHeading: 'Signaler que je vais bien',
  pinLabel: 'Code PIN',
  checkInButton: 'Je vais bien',
  nextDue: 'Prochain signalement attendu : {time}',
  noPins: 'Aucun code PIN n’est encore défini pour ce lien : demandez-le à votre coordination.',
  tripHeading: 'Je pars',
  hoursLabel: 'De retour dans : heures',
  minutesLabel: 'et minutes',
  graceLabel: 'Minutes de marge avant l’alerte',
  tripNoteLabel: 'Où allez-vous ? (facultatif)',
  tripButton: 'Commencer',
  sosSentTitle: 'Les secours sont alertés.',
  sosSentBody: 'Votre réseau est prévenu. Restez autant que possible en sécurité.',
  back: 'Retour',
  checkedIn: 'Signalement enregistré à {time}.',
  noNextDue: 'Aucun autre signalement n’est prévu.',
  tripStarted: 'Nous vous attendons de retour avant : {time}.',
  tripAlarm: 'Sans signalement {grace} minutes après, votre réseau est alerté.',
  wrongPin: 'Ce code PIN n’est pas correct.',
  tooMany: 'Trop de tentatives. Attendez un moment puis réessayez.',
  messageTooLong: 'Le message est trop long.',
  tripInvalid: 'Indiquez combien de temps vous serez absent·e : 7 jours au plus.',
  graceInvalid: 'Les minutes de marge vont de 0 à 1440.',
  noteTooLong: 'La note est trop longue.',
  codeHeading: 'Lancer un SOS avec votre code',
  codeLabel: 'Votre code',
  codeUnknown: 'Ce code n’est pas reconnu.',
  notFoundTitle: 'Ce lien n’est pas valide.',
  notFoundBody: 'Demandez-en un nouveau à votre coordination.',
  errorTitle: 'Un problème est survenu.',
  errorBody: 'Revenez en arrière et réessayez.',
  ackQuestion: 'Prendre en charge {what} de {name} ?',
  ackHint: 'La prise en charge arrête l’escalade et prévient les autres intervenants que vous vous en occupez.',
  ackButton: 'Oui, je prends en charge',
  ackDone: 'Vous l’avez prise en charge. Les autres ont été prévenus.',
  ackAlready: 'Déjà prise en charge par {name}.',
  someone: 'quelqu’un d’autre',
  timesIn: 'Heures en {zone}.',
  what: {
    sos: 'le SOS',
    check_in_missed: 'le signalement manqué',
    duress: 'l’alarme silencieuse',
    coordinator: 'l’alerte',
    incident: 'l’incident urgent',
  },
};

const ar: PageTexts = {
  languageName: 'العربية',
  dir: 'rtl',
  sosHeading: 'طوارئ',
  sosButton: 'استغاثة — نبّه شبكتي',
  messageLabel: 'رسالة (اختيارية)',
  sosHint: 'تُنبَّه شبكتك فورًا.',
  checkInHeading: 'تأكيد السلامة',
  pinLabel: 'الرقم السري',
  checkInButton: 'أنا بخير',
  nextDue: 'موعد تأكيد السلامة التالي: {time}',
  noPins: 'لم يُحدَّد رقم سري لهذا الرابط بعد: اطلبه من منسّقك.',
  tripHeading: 'ذاهب إلى مكان ما',
  hoursLabel: 'سأعود خلال: ساعات',
  minutesLabel: 'ودقائق',
  graceLabel: 'دقائق إضافية قبل التنبيه',
  tripNoteLabel: 'إلى أين تذهب؟ (اختياري)',
  tripButton: 'ابدأ',
  sosSentTitle: 'يجري تنبيه من يمكنهم مساعدتك.',
  sosSentBody: 'أُبلغت شبكتك. ابقَ آمنًا قدر استطاعتك.',
  back: 'رجوع',
  checkedIn: 'تم تأكيد السلامة في {time}.',
  noNextDue: 'لا يوجد تأكيد آخر مجدول.',
  tripStarted: 'نتوقع عودتك قبل: {time}.',
  tripAlarm: 'إذا لم تؤكد سلامتك بعد {grace} دقيقة من ذلك، تُنبَّه شبكتك.',
  wrongPin: 'الرقم السري غير صحيح.',
  tooMany: 'محاولات كثيرة جدًا. انتظر قليلًا ثم حاول مجددًا.',
  messageTooLong: 'الرسالة طويلة جدًا.',
  tripInvalid: 'حدّد مدة غيابك: سبعة أيام على الأكثر.',
  graceInvalid: 'الدقائق الإضافية من 0 إلى 1440.',
  noteTooLong: 'الملاحظة طويلة جدًا.',
  codeHeading: 'أطلق استغاثة برمزك',
  codeLabel: 'رمزك',
  codeUnknown: 'هذا الرمز غير معروف.',
  notFoundTitle: 'هذا الرابط غير صالح.',
  notFoundBody: 'اطلب رابطًا جديدًا من منسّقك.',
  errorTitle: 'حدث خطأ ما.',
  errorBody: 'ارجع وحاول مرة أخرى.',
  ackQuestion: 'هل تتولى {what} الخاص بـ {name}؟',
  ackHint: 'توليك له يوقف التصعيد ويُعلم المستجيبين الآخرين بأنك تتابع الأمر.',
  ackButton: 'نعم، أتولاه',
  ackDone: 'لقد توليته. أُبلغ الآخرون.',
  ackAlready: 'تولاه بالفعل: {name}.',
  someone: 'شخص آخر',
  timesIn: 'الأوقات بتوقيت {zone}.',
  what: {
    sos: 'نداء الاستغاثة',
    check_in_missed: 'تأكيد السلامة الفائت',
    duress: 'الإنذار الصامت',
    coordinator: 'التنبيه',
    incident: 'الحادث العاجل',
  },
};

export const PAGE_TEXTS: Readonly<Record<PageLanguage, PageTexts>> = { en, es, fr, ar };

const isPageLanguage = (value: string): value is PageLanguage => (PAGE_LANGUAGES as readonly string[]).includes(value);

/** `?lang=` when it names one of the four, else the first of `Accept-Language` (by weight) that does, else English. */
export function chooseLanguage(asked: string | undefined, acceptLanguage: string | undefined): PageLanguage {
  if (asked && isPageLanguage(asked)) return asked;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { primary: tag.split('-')[0]?.toLowerCase() ?? '', weight: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((entry) => entry.primary).find(isPageLanguage) ?? 'en';
}

/** Puts values into a text's `{placeholders}` (the caller escapes the result for HTML). */
export const fill = (text: string, values: Record<string, string | number>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
