/**
 * The protection-case pages without JavaScript, as plain HTML strings in the style of `templates.ts`:
 * the public request form (/help) and its receipt, and the sections of the defender's personal page
 * (ask for help; their requests and measures, with "I agree" / "I do not agree" on each proposed
 * measure; the open feedback questions) with their receipts, and a measure's own page, where a long
 * one is read whole and answered.
 *
 * Every value goes through `escapeHtml` (`escapeText` in element content). Lists are cut to a few
 * items and to a fixed weight in bytes, so that the personal page stays within 30 KB on a poor
 * connection, however long the defender's history and whatever its texts are written in.
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
import {
  backLink,
  button,
  error,
  escapeHtml,
  escapeText,
  field,
  form,
  layout,
  type PageFrame,
  paragraph,
  withLang,
} from './templates.ts';
import { fill, PAGE_TEXTS } from './texts.ts';

/** Items of each list shown on the personal page; the rest are counted. */
export const SHOWN_REQUESTS = 10;
export const SHOWN_MEASURES = 15;
export const SHOWN_FEEDBACK = 5;
/** The start of a description shown in a list, with a link to the whole on the measure's own page. */
const DESCRIPTION_PREVIEW = 160;
/** A proposal up to this long is read and answered on the personal page itself. */
const PROPOSAL_IN_PLACE = 600;
/**
 * Bytes the lists of the case sections may take (UTF-8, escaped). The rest of the personal page (its
 * forms, headings, the style) takes under 7 KB in every language, so the page stays within 30 KB
 * over the wire however long the defender's history and whatever the script of its texts.
 */
const LISTS_WEIGHT = 20 * 1024;

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

const measurePath = (base: string, id: string) => `${base}/measures/${encodeURIComponent(id)}`;

const link = (frame: PageFrame, path: string, text: string): string =>
  `<a href="${escapeHtml(withLang(path, frame.lang))}">${escapeHtml(text)}</a>`;

const agreementForm = (frame: PageFrame, t: CaseTexts, base: string, id: string): string =>
  form(
    `${measurePath(base, id)}/agreement`,
    frame.lang,
    answerButton('agreed', t.agree) + answerButton('declined', t.disagree, 'alt'),
  );

/**
 * A proposal waiting for the defender's answer: answered in place when short, otherwise its start and
 * a link to its own page, so that nobody agrees to a text they could not read whole.
 */
const proposal = (frame: PageFrame, t: CaseTexts, base: string, m: OwnMeasureLine): string => {
  const title = heading(3, `${t.measureKind[m.kind]}: ${t.awaitingYou}`);
  if (m.description.length <= PROPOSAL_IN_PLACE)
    return title + paragraph(m.description, 'text') + agreementForm(frame, t, base, m.id);
  return (
    title +
    paragraph(clip(m.description, DESCRIPTION_PREVIEW)) +
    `<p>${link(frame, measurePath(base, m.id), t.readAndAnswer)}</p>`
  );
};

const measureLine = (frame: PageFrame, t: CaseTexts, base: string, m: OwnMeasureLine): string =>
  `<li><strong>${escapeHtml(t.measureKind[m.kind])}</strong>: ${escapeHtml(t.measureStatus[m.status])}` +
  `<br>${escapeHtml(clip(m.description, DESCRIPTION_PREVIEW))}` +
  (m.description.length > DESCRIPTION_PREVIEW ? ` ${link(frame, measurePath(base, m.id), t.readAll)}` : '') +
  '</li>';

/** What is left of the case sections' weight; lists take items in order while they fit. */
class Weight {
  constructor(private left: number) {}

  /** The first of `items` that fit, and how many of the whole list (`total` long) are left out. */
  fit(items: readonly string[], total: number): Fitted {
    const shown: string[] = [];
    for (const item of items) {
      const bytes = Buffer.byteLength(item);
      if (bytes > this.left) break;
      this.left -= bytes;
      shown.push(item);
    }
    return { shown, hidden: total - shown.length };
  }
}

interface Fitted {
  shown: string[];
  hidden: number;
}

/** Each list of the case sections, rendered and cut to the page's weight. */
interface FittedLists {
  requests: Fitted;
  proposals: Fitted;
  others: Fitted;
  feedback: Fitted;
}

function fitLists(frame: PageFrame, t: CaseTexts, base: string, view: OwnCasesView): FittedLists {
  const weight = new Weight(LISTS_WEIGHT);
  const waiting = view.measures.filter((m) => m.needsAgreement);
  const sent = view.feedbackValues;
  // What matters most takes the weight first: answers awaited, then questions, then the rest.
  const proposals = weight.fit(
    waiting.slice(0, SHOWN_MEASURES).map((m) => proposal(frame, t, base, m)),
    waiting.length,
  );
  const feedback = weight.fit(
    view.feedback
      .slice(0, SHOWN_FEEDBACK)
      .map((q, index) => feedbackForm(frame, t, base, q, index, sent?.id === q.id ? sent : undefined)),
    view.feedback.length,
  );
  const requests = weight.fit(
    view.requests
      .slice(0, SHOWN_REQUESTS)
      .map(
        (r) => `<li>${escapeHtml(fill(t.requestLine, { date: r.receivedAt, status: t.requestStatus[r.status] }))}</li>`,
      ),
    view.requests.length,
  );
  const rest = view.measures.filter((m) => !m.needsAgreement);
  const others = weight.fit(
    rest.slice(0, Math.max(0, SHOWN_MEASURES - proposals.shown.length)).map((m) => measureLine(frame, t, base, m)),
    rest.length,
  );
  return { requests, proposals, others, feedback };
}

const followSection = (t: CaseTexts, view: OwnCasesView, lists: FittedLists): string => {
  const { requests, proposals, others } = lists;
  const empty = view.requests.length === 0 && view.measures.length === 0;
  return (
    heading(2, t.followHeading) +
    error(view.errors?.measures) +
    (empty ? paragraph(t.nothingYet, 'note') : '') +
    (requests.shown.length ? `<ul>${requests.shown.join('')}</ul>` : '') +
    moreNote(t, requests.hidden) +
    (proposals.shown.length ? paragraph(t.agreementHint, 'note') : '') +
    proposals.shown.join('') +
    (others.shown.length ? `<ul>${others.shown.join('')}</ul>` : '') +
    moreNote(t, proposals.hidden + others.hidden)
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

const feedbackSection = (t: CaseTexts, view: OwnCasesView, lists: FittedLists): string => {
  const problem = view.errors?.feedback;
  if (view.feedback.length === 0 && !problem) return '';
  return (
    heading(2, t.feedbackHeading) + error(problem) + lists.feedback.shown.join('') + moreNote(t, lists.feedback.hidden)
  );
};

/** The personal page's case sections, for `homePage`'s `sections`. */
export function caseSections(frame: PageFrame, view: OwnCasesView): string {
  const t = CASE_TEXTS[frame.lang];
  const base = `/s/${encodeURIComponent(view.token)}`;
  const lists = fitLists(frame, t, base, view);
  return askSection(frame, t, base, view) + followSection(t, view, lists) + feedbackSection(t, view, lists);
}

/**
 * One of the defender's measures, whole, with "I agree" / "I do not agree" while it waits for them.
 * Its frame's `home` is the measure's own page, so that a change of language stays on it.
 */
export function measurePage(frame: PageFrame, view: { token: string; measure: OwnMeasureLine }): string {
  const t = CASE_TEXTS[frame.lang];
  const { measure } = view;
  const base = `/s/${encodeURIComponent(view.token)}`;
  const title = t.measureKind[measure.kind];
  return layout(
    frame,
    title,
    heading(1, title) +
      paragraph(measure.needsAgreement ? t.awaitingYou : t.measureStatus[measure.status], 'note') +
      // Its own lines, as the case worker wrote them.
      `<p class="text">${escapeText(measure.description)}</p>` +
      (measure.needsAgreement ? paragraph(t.agreementHint, 'note') + agreementForm(frame, t, base, measure.id) : '') +
      `<p>${link(frame, base, PAGE_TEXTS[frame.lang].back)}</p>`,
  );
}

/** A measure the link does not reach (someone else's, or none): the same answer for both. */
export function measureNotFoundPage(frame: PageFrame): string {
  const t = CASE_TEXTS[frame.lang];
  return layout(frame, t.notYours, heading(1, t.notYours) + backLink(PAGE_TEXTS[frame.lang], frame));
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
