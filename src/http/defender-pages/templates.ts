/**
 * The defender's pages and the responders' acknowledgement page, as plain HTML strings: no
 * JavaScript, no external assets, a few lines of inline CSS, a label for every input. They must work
 * on a basic phone's browser over a poor connection, and weigh a few kilobytes.
 *
 * Every value put into a page goes through `escapeHtml`, texts from the dictionary included.
 */
import { fill, PAGE_LANGUAGES, PAGE_TEXTS, type PageLanguage, type PageTexts } from './texts.ts';

/** The one stylesheet, inline; its hash is allowed by the pages' Content-Security-Policy. */
export const PAGE_CSS =
  'body{font:1.1rem/1.5 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:34rem;color:#111;background:#fff}' +
  'h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.8rem}' +
  'label{display:block;margin:.7rem 0 .2rem;font-weight:600}' +
  'input,textarea,button{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;border:2px solid #555;border-radius:.4rem}' +
  'button{margin-top:.7rem;background:#0b4f2e;border-color:#0b4f2e;color:#fff;font-weight:700}' +
  'button.sos{background:#b00000;border-color:#b00000;font-size:1.6rem;padding:1.2rem}' +
  '.err{color:#a00000;font-weight:700}.note{color:#444}.text{white-space:pre-line}' +
  'footer{margin-top:2.5rem;font-size:.95rem}footer a{margin-inline-end:.9rem}' +
  'fieldset{border:2px solid #bbb;border-radius:.4rem;margin:.9rem 0;padding:.3rem .8rem .8rem}legend{font-weight:600}' +
  '.choice{display:flex;align-items:center;gap:.6rem}.choice input{width:auto;margin:0}.choice label{margin:.4rem 0;font-weight:400}' +
  'button.alt{background:#fff;color:#111;border-color:#555}';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/**
 * For element content only (never an attribute): quotes need no escaping there, so a text weighs at
 * most five bytes a character (`&amp;`) instead of six, which keeps a whole measure's page within 30 KB.
 */
export const escapeText = (value: string): string => value.replace(/[&<>]/g, (c) => ESCAPES[c] as string);

/** A time as the defender reads it, in the installation's time zone. */
export function formatTime(iso: string, lang: PageLanguage, timeZone: string, withDate: boolean): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    ...(withDate ? { dateStyle: 'medium' as const } : {}),
    timeStyle: 'short',
  }).format(new Date(iso));
}

export interface PageFrame {
  lang: PageLanguage;
  /** The page the language links lead to (the flow's first page, never a POST target). */
  home: string;
}

export const withLang = (path: string, lang: PageLanguage): string => `${path}?lang=${lang}`;

export function layout(frame: PageFrame, title: string, main: string): string {
  const t = PAGE_TEXTS[frame.lang];
  const languages = PAGE_LANGUAGES.filter((l) => l !== frame.lang)
    .map(
      (l) =>
        `<a href="${escapeHtml(withLang(frame.home, l))}" hreflang="${l}" lang="${l}">${escapeHtml(PAGE_TEXTS[l].languageName)}</a>`,
    )
    .join('');
  return (
    `<!doctype html><html lang="${frame.lang}" dir="${t.dir}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">' +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Amparo</title>` +
    `<style>${PAGE_CSS}</style></head><body><main>${main}</main><footer>${languages}</footer></body></html>`
  );
}

export const paragraph = (text: string, className?: string): string =>
  `<p${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</p>`;
export const error = (text: string | undefined): string => (text ? paragraph(text, 'err') : '');
export const backLink = (t: PageTexts, frame: PageFrame): string =>
  `<p><a href="${escapeHtml(withLang(frame.home, frame.lang))}">${escapeHtml(t.back)}</a></p>`;

export interface Field {
  id: string;
  label: string;
  /** Extra attributes, already safe (fixed strings). */
  attributes: string;
  value?: string;
  multiline?: boolean;
}

export const field = ({ id, label, attributes, value, multiline }: Field): string =>
  `<label for="${id}">${escapeHtml(label)}</label>` +
  (multiline
    ? `<textarea id="${id}" name="${id}" ${attributes}>${escapeHtml(value ?? '')}</textarea>`
    : `<input id="${id}" name="${id}" ${attributes}${value === undefined ? '' : ` value="${escapeHtml(value)}"`}>`);

export const form = (action: string, lang: PageLanguage, inner: string): string =>
  `<form method="post" action="${escapeHtml(withLang(action, lang))}">${inner}</form>`;

export const button = (label: string, className?: string): string =>
  `<button type="submit"${className ? ` class="${className}"` : ''}>${escapeHtml(label)}</button>`;

const messageField = (t: PageTexts, value?: string): string =>
  field({ id: 'message', label: t.messageLabel, attributes: 'rows="2" maxlength="2000"', value, multiline: true });

export interface HomeView {
  token: string;
  pinsSet: boolean;
  /** Already formatted for the reader. */
  nextDue: string | null;
  timeZone: string;
  errors?: { sos?: string; checkIn?: string; trip?: string };
  /** What the person had typed, shown again with an error (never a PIN). */
  values?: { message?: string; hours?: string; minutes?: string; grace?: string; note?: string };
  /** Further sections, rendered (and escaped) by their own templates: the protection cases' (case-templates.ts). */
  sections?: string;
}

/** The personal page: one big SOS button, the check-in with the PIN, "going somewhere", then any further sections. */
export function homePage(frame: PageFrame, view: HomeView): string {
  const t = PAGE_TEXTS[frame.lang];
  const base = `/s/${encodeURIComponent(view.token)}`;
  const values = view.values ?? {};
  const sos =
    `<h1>${escapeHtml(t.sosHeading)}</h1>${error(view.errors?.sos)}` +
    form(`${base}/sos`, frame.lang, button(t.sosButton, 'sos') + messageField(t, values.message)) +
    paragraph(t.sosHint, 'note');
  const checkIn =
    `<h2>${escapeHtml(t.checkInHeading)}</h2>` +
    (view.nextDue ? paragraph(fill(t.nextDue, { time: view.nextDue })) : '') +
    (view.pinsSet ? '' : paragraph(t.noPins, 'note')) +
    error(view.errors?.checkIn) +
    form(
      `${base}/check-in`,
      frame.lang,
      field({
        id: 'pin',
        label: t.pinLabel,
        attributes: 'type="password" inputmode="numeric" autocomplete="off" pattern="[0-9]{4,8}" required',
      }) + button(t.checkInButton),
    );
  const number = (id: string, label: string, range: string, value?: string) =>
    field({ id, label, attributes: `type="number" inputmode="numeric" ${range}`, value });
  const trip =
    `<h2>${escapeHtml(t.tripHeading)}</h2>${error(view.errors?.trip)}` +
    form(
      `${base}/trip`,
      frame.lang,
      number('hours', t.hoursLabel, 'min="0" max="168"', values.hours ?? '0') +
        number('minutes', t.minutesLabel, 'min="0" max="59"', values.minutes ?? '0') +
        number('grace', t.graceLabel, 'min="0" max="1440"', values.grace ?? '30') +
        field({ id: 'note', label: t.tripNoteLabel, attributes: 'maxlength="500"', value: values.note ?? '' }) +
        button(t.tripButton),
    ) +
    paragraph(fill(t.timesIn, { zone: view.timeZone }), 'note');
  return layout(frame, t.sosHeading, sos + checkIn + trip + (view.sections ?? ''));
}

export function sosSentPage(frame: PageFrame): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout(
    frame,
    t.sosSentTitle,
    `<h1>${escapeHtml(t.sosSentTitle)}</h1>${paragraph(t.sosSentBody)}${backLink(t, frame)}`,
  );
}

/** The same page for the check-in PIN and the duress PIN: only the times differ from one check-in to the next. */
export function checkedInPage(frame: PageFrame, view: { at: string; nextDue: string | null }): string {
  const t = PAGE_TEXTS[frame.lang];
  const title = fill(t.checkedIn, { time: view.at });
  return layout(
    frame,
    t.checkInHeading,
    `<h1>${escapeHtml(title)}</h1>` +
      paragraph(view.nextDue ? fill(t.nextDue, { time: view.nextDue }) : t.noNextDue) +
      backLink(t, frame),
  );
}

export function tripStartedPage(frame: PageFrame, view: { backBy: string; graceMinutes: number }): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout(
    frame,
    t.tripHeading,
    `<h1>${escapeHtml(fill(t.tripStarted, { time: view.backBy }))}</h1>` +
      paragraph(fill(t.tripAlarm, { grace: view.graceMinutes })) +
      backLink(t, frame),
  );
}

/** For someone without their link: the short code, and an optional message. */
export function codePage(frame: PageFrame, view: { error?: string; message?: string } = {}): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout(
    frame,
    t.codeHeading,
    `<h1>${escapeHtml(t.codeHeading)}</h1>${error(view.error)}` +
      form(
        '/sos',
        frame.lang,
        field({
          id: 'code',
          label: t.codeLabel,
          attributes: 'inputmode="numeric" autocomplete="off" pattern="[0-9 ]{6,15}" required',
        }) +
          messageField(t, view.message) +
          button(t.sosButton, 'sos'),
      ),
  );
}

/** The confirmation an acknowledgement link opens: GET only asks (mail scanners fetch links). */
export function ackQuestionPage(frame: PageFrame, view: { token: string; what: string; name: string }): string {
  const t = PAGE_TEXTS[frame.lang];
  const question = fill(t.ackQuestion, { what: view.what, name: view.name });
  return layout(
    frame,
    question,
    `<h1>${escapeHtml(question)}</h1>${paragraph(t.ackHint)}` +
      form(`/ack/${encodeURIComponent(view.token)}`, frame.lang, button(t.ackButton)),
  );
}

export function ackOutcomePage(frame: PageFrame, view: { already: boolean; takenBy: string }): string {
  const t = PAGE_TEXTS[frame.lang];
  const title = view.already ? fill(t.ackAlready, { name: view.takenBy }) : t.ackDone;
  return layout(frame, title, `<h1>${escapeHtml(title)}</h1>`);
}

/** Unknown links get one generic page: it never repeats what was in the address. */
export function notFoundPage(frame: PageFrame): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout(frame, t.notFoundTitle, `<h1>${escapeHtml(t.notFoundTitle)}</h1>${paragraph(t.notFoundBody)}`);
}

export function errorPage(frame: PageFrame): string {
  const t = PAGE_TEXTS[frame.lang];
  return layout(frame, t.errorTitle, `<h1>${escapeHtml(t.errorTitle)}</h1>${paragraph(t.errorBody)}`);
}
