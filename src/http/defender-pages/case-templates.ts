/**
 * The protection-case pages without JavaScript, as plain HTML strings in the style of `templates.ts`:
 * the public request form (/help) and its receipt, and the sections of the defender's personal page
 * (ask for help; their requests and measures, with "I agree" / "I do not agree" on each proposed
 * measure; the open feedback questions) with their receipts.
 *
 * Every value goes through `escapeHtml`. Lists are cut to a few items so that the personal page stays
 * within its weight on a poor connection, however long the defender's history.
 */
import {
  CASE_LIMITS,
  type MeasureKind,
  type MeasureStatus,
  type RequestStatus,
  RISK_EFFECTS,
  USEFULNESS,
} from '../../core/cases/model.ts';
import { CASE_TEXTS, type CaseTexts } from './case-texts.ts';
import { backLink, button, error, escapeHtml, field, form, layout, type PageFrame, paragraph } from './templates.ts';
import { fill, PAGE_TEXTS } from './texts.ts';

/** Items of each list shown on the personal page; the rest are counted. */
export const SHOWN_REQUESTS = 10;
export const SHOWN_MEASURES = 15;
export const SHOWN_FEEDBACK = 5;
/** A measure that waits for no answer shows the start of its description only. */
const DESCRIPTION_PREVIEW = 160;

const textLimit = `maxlength="${CASE_LIMITS.description}"`;
const shortLimit = `maxlength="${CASE_LIMITS.short}"`;

const heading = (level: 1 | 2 | 3, text: string): string => `<h${level}>${escapeHtml(text)}</h${level}>`;

/** A group of radio buttons, each with its own label; `idPrefix` keeps ids unique on the page. */
function choices(
  legend: string,
  name: string,
  idPrefix: string,
  options: readonly (readonly [value: string, label: string])[],
  checked: string | undefined,
  required: boolean,
): string {
  const radios = options
    .map(([value, label]) => {
      const id = `${idPrefix}-${value}`;
      const attributes = `${value === checked ? ' checked' : ''}${required ? ' required' : ''}`;
      return (
        `<div class="choice"><input type="radio" id="${id}" name="${name}" value="${value}"${attributes}>` +
        `<label for="${id}">${escapeHtml(label)}</label></div>`
      );
    })
    .join('');
  return `<fieldset><legend>${escapeHtml(legend)}</legend>${radios}</fieldset>`;
}

const urgency = (t: CaseTexts, idPrefix: string, value: string | undefined): string =>
  choices(
    t.urgentLegend,
    'urgent',
    idPrefix,
    [
      ['no', t.urgentNo],
      ['yes', t.urgentYes],
    ],
    value === 'yes' ? 'yes' : 'no',
    false,
  );

const moreNote = (t: CaseTexts, hidden: number): string =>
  hidden > 0 ? paragraph(fill(t.more, { count: hidden }), 'note') : '';

const clip = (text: string, length: number): string =>
  text.length > length ? `${text.slice(0, length).trimEnd()}…` : text;

// ——— the public request form ———

/** What the /help form sends; each name is also the input's id. */
export interface HelpFormValues {
  name?: string;
  contact?: string;
  description?: string;
  urgent?: string;
  'by-name'?: string;
  'by-relationship'?: string;
  'by-contact'?: string;
}

/** The public request form, for the defender or someone writing on their behalf. */
export function helpPage(frame: PageFrame, view: { error?: string; values?: HelpFormValues } = {}): string {
  const t = CASE_TEXTS[frame.lang];
  const values = view.values ?? {};
  const text = (id: keyof HelpFormValues, label: string, attributes = shortLimit) =>
    field({ id, label, attributes, value: values[id] ?? '' });
  return layout(
    frame,
    t.helpTitle,
    heading(1, t.helpTitle) +
      paragraph(t.helpIntro) +
      error(view.error) +
      form(
        '/help',
        frame.lang,
        text('name', t.defenderNameLabel, `${shortLimit} required`) +
          text('contact', t.safeContactLabel, `${shortLimit} required`) +
          field({
            id: 'description',
            label: t.descriptionLabel,
            attributes: `rows="6" ${textLimit} required`,
            value: values.description ?? '',
            multiline: true,
          }) +
          urgency(t, 'urgent', values.urgent) +
          `<fieldset><legend>${escapeHtml(t.onBehalfLegend)}</legend>` +
          text('by-name', t.intermediaryNameLabel) +
          text('by-relationship', t.relationshipLabel) +
          text('by-contact', t.intermediaryContactLabel) +
          '</fieldset>' +
          button(t.sendRequest),
      ),
  );
}

/** A receipt: what happened, and the way back to the personal page (not to the public form: nothing to go back to). */
const receiptPage = (frame: PageFrame, title: string, body: string, withBack: boolean): string =>
  layout(frame, title, heading(1, title) + paragraph(body) + (withBack ? backLink(PAGE_TEXTS[frame.lang], frame) : ''));

/** The receipt of a request: it says it arrived, and gives no id to keep or to be found with. */
export function requestReceivedPage(frame: PageFrame, own: boolean): string {
  const t = CASE_TEXTS[frame.lang];
  return receiptPage(frame, t.receivedTitle, own ? t.ownReceivedBody : t.receivedBody, own);
}

// ——— the personal page's sections ———

export interface OwnRequestLine {
  /** Already formatted for the reader. */
  receivedAt: string;
  status: RequestStatus;
}

export interface OwnMeasureLine {
  id: string;
  kind: MeasureKind;
  status: MeasureStatus;
  description: string;
  needsAgreement: boolean;
}

export interface OwnFeedbackQuestion {
  id: string;
  /** The measure asked about; null when the question is about the closing of the case. */
  measureKind: MeasureKind | null;
}

/** What the sent feedback form held, shown again with its error. */
export interface FeedbackValues {
  useful?: string;
  increasedRisk?: string;
  comment?: string;
}

export interface OwnCasesView {
  token: string;
  requests: OwnRequestLine[];
  measures: OwnMeasureLine[];
  feedback: OwnFeedbackQuestion[];
  errors?: { request?: string; measures?: string; feedback?: string };
  /** The "ask for help" form as sent, shown again with its error. */
  requestValues?: { description?: string; contact?: string; urgent?: string };
  /** The feedback form as sent (which question, and the answers), shown again with its error. */
  feedbackValues?: FeedbackValues & { id: string };
}

const askSection = (frame: PageFrame, t: CaseTexts, base: string, view: OwnCasesView): string => {
  const values = view.requestValues ?? {};
  return (
    heading(2, t.askHeading) +
    error(view.errors?.request) +
    form(
      `${base}/request`,
      frame.lang,
      field({
        id: 'request-description',
        label: t.ownDescriptionLabel,
        attributes: `rows="4" ${textLimit} required`,
        value: values.description ?? '',
        multiline: true,
      }) +
        field({
          id: 'request-contact',
          label: t.ownSafeContactLabel,
          attributes: shortLimit,
          value: values.contact ?? '',
        }) +
        urgency(t, 'request-urgent', values.urgent) +
        button(t.sendRequest),
    )
  );
};

const answerButton = (value: 'agreed' | 'declined', label: string, className?: string): string =>
  `<button type="submit" name="answer" value="${value}"${className ? ` class="${className}"` : ''}>${escapeHtml(label)}</button>`;

const followSection = (frame: PageFrame, t: CaseTexts, base: string, view: OwnCasesView): string => {
  const requests = view.requests.slice(0, SHOWN_REQUESTS);
  const waiting = view.measures.filter((m) => m.needsAgreement);
  const others = view.measures.filter((m) => !m.needsAgreement);
  const shownWaiting = waiting.slice(0, SHOWN_MEASURES);
  const shownOthers = others.slice(0, Math.max(0, SHOWN_MEASURES - shownWaiting.length));
  const hiddenMeasures = view.measures.length - shownWaiting.length - shownOthers.length;
  const requestList = requests.length
    ? `<ul>${requests
        .map(
          (r) =>
            `<li>${escapeHtml(fill(t.requestLine, { date: r.receivedAt, status: t.requestStatus[r.status] }))}</li>`,
        )
        .join('')}</ul>${moreNote(t, view.requests.length - requests.length)}`
    : '';
  const proposals = shownWaiting
    .map(
      (m) =>
        heading(3, `${t.measureKind[m.kind]}: ${t.awaitingYou}`) +
        paragraph(m.description) +
        form(
          `${base}/measures/${encodeURIComponent(m.id)}/agreement`,
          frame.lang,
          answerButton('agreed', t.agree) + answerButton('declined', t.disagree, 'alt'),
        ),
    )
    .join('');
  const measureList = shownOthers.length
    ? `<ul>${shownOthers
        .map(
          (m) =>
            `<li><strong>${escapeHtml(t.measureKind[m.kind])}</strong>: ${escapeHtml(t.measureStatus[m.status])}` +
            `<br>${escapeHtml(clip(m.description, DESCRIPTION_PREVIEW))}</li>`,
        )
        .join('')}</ul>`
    : '';
  const empty = view.requests.length === 0 && view.measures.length === 0;
  return (
    heading(2, t.followHeading) +
    error(view.errors?.measures) +
    (empty ? paragraph(t.nothingYet, 'note') : '') +
    requestList +
    (shownWaiting.length ? paragraph(t.agreementHint, 'note') : '') +
    proposals +
    measureList +
    moreNote(t, hiddenMeasures)
  );
};

const feedbackForm = (
  frame: PageFrame,
  t: CaseTexts,
  base: string,
  question: OwnFeedbackQuestion,
  index: number,
  sent: FeedbackValues | undefined,
): string => {
  const prefix = `f${index + 1}`;
  return form(
    `${base}/feedback/${encodeURIComponent(question.id)}`,
    frame.lang,
    heading(
      3,
      question.measureKind
        ? fill(t.feedbackAboutMeasure, { kind: t.measureKind[question.measureKind] })
        : t.feedbackAboutCase,
    ) +
      choices(
        t.usefulLegend,
        'useful',
        `${prefix}-useful`,
        USEFULNESS.map((value) => [value, t.useful[value]] as const),
        sent?.useful,
        true,
      ) +
      choices(
        t.riskLegend,
        'increasedRisk',
        `${prefix}-risk`,
        RISK_EFFECTS.map((value) => [value, t.risk[value]] as const),
        sent?.increasedRisk,
        true,
      ) +
      `<label for="${prefix}-comment">${escapeHtml(t.commentLabel)}</label>` +
      `<textarea id="${prefix}-comment" name="comment" rows="2" maxlength="${CASE_LIMITS.text}">` +
      `${escapeHtml(sent?.comment ?? '')}</textarea>` +
      button(t.sendFeedback),
  );
};

const feedbackSection = (frame: PageFrame, t: CaseTexts, base: string, view: OwnCasesView): string => {
  const problem = view.errors?.feedback;
  if (view.feedback.length === 0 && !problem) return '';
  const shown = view.feedback.slice(0, SHOWN_FEEDBACK);
  const sent = view.feedbackValues;
  return (
    heading(2, t.feedbackHeading) +
    error(problem) +
    shown.map((q, index) => feedbackForm(frame, t, base, q, index, sent?.id === q.id ? sent : undefined)).join('') +
    moreNote(t, view.feedback.length - shown.length)
  );
};

/** The personal page's case sections, for `homePage`'s `sections`. */
export function caseSections(frame: PageFrame, view: OwnCasesView): string {
  const t = CASE_TEXTS[frame.lang];
  const base = `/s/${encodeURIComponent(view.token)}`;
  return askSection(frame, t, base, view) + followSection(frame, t, base, view) + feedbackSection(frame, t, base, view);
}

/** The receipt of "I agree" / "I do not agree". */
export function agreementRecordedPage(frame: PageFrame, agreed: boolean): string {
  const t = CASE_TEXTS[frame.lang];
  return agreed
    ? receiptPage(frame, t.agreedTitle, t.agreedBody, true)
    : receiptPage(frame, t.declinedTitle, t.declinedBody, true);
}

export function feedbackRecordedPage(frame: PageFrame): string {
  const t = CASE_TEXTS[frame.lang];
  return receiptPage(frame, t.feedbackTitle, t.feedbackBody, true);
}
