/**
 * The words of the protection-case pages without JavaScript: the public request form (/help) and the
 * sections of the defender's personal page where they ask for help, follow their requests and
 * measures, agree or not to a proposed measure, and say afterwards whether it helped. In the four
 * languages of `texts.ts`; Arabic reads right to left through the page's `dir`.
 */
import type { MeasureKind, MeasureStatus, RequestStatus, RiskEffect, Usefulness } from '../../core/cases/model.ts';
import type { PageLanguage } from './texts.ts';

export interface CaseTexts {
  helpTitle: string;
  helpIntro: string;
  defenderNameLabel: string;
  safeContactLabel: string;
  descriptionLabel: string;
  urgentLegend: string;
  urgentNo: string;
  urgentYes: string;
  onBehalfLegend: string;
  intermediaryNameLabel: string;
  relationshipLabel: string;
  intermediaryContactLabel: string;
  sendRequest: string;
  receivedTitle: string;
  /** The receipt of /help: the network answers through the safe contact given. */
  receivedBody: string;
  /** The receipt of a request from the personal page. */
  ownReceivedBody: string;
  askHeading: string;
  ownDescriptionLabel: string;
  ownSafeContactLabel: string;
  followHeading: string;
  nothingYet: string;
  /** "Request of {date}: {status}". */
  requestLine: string;
  requestStatus: Record<RequestStatus, string>;
  measureKind: Record<MeasureKind, string>;
  measureStatus: Record<MeasureStatus, string>;
  /** A proposed measure that waits for the defender's answer. */
  awaitingYou: string;
  agreementHint: string;
  /** The link from a long proposal's start to its own page. */
  readAndAnswer: string;
  /** The link from a measure's start to its own page. */
  readAll: string;
  agree: string;
  disagree: string;
  agreedTitle: string;
  agreedBody: string;
  declinedTitle: string;
  declinedBody: string;
  feedbackHeading: string;
  /** "About: {kind}". */
  feedbackAboutMeasure: string;
  feedbackAboutCase: string;
  usefulLegend: string;
  useful: Record<Usefulness, string>;
  riskLegend: string;
  risk: Record<RiskEffect, string>;
  commentLabel: string;
  sendFeedback: string;
  feedbackTitle: string;
  feedbackBody: string;
  /** "… and {count} more: …" when a list is cut short to keep the page light. */
  more: string;
  descriptionMissing: string;
  defenderNameMissing: string;
  safeContactMissing: string;
  intermediaryIncomplete: string;
  textTooLong: string;
  answersMissing: string;
  notYours: string;
  measureNotWaiting: string;
  alreadyAnswered: string;
}

const en: CaseTexts = {
  helpTitle: 'Ask for protection',
  helpIntro:
    'Tell the protection network what happened. You can write for yourself or for a defender who cannot write. Only the people of the network who handle requests read it.',
  defenderNameLabel: 'Name of the person who needs protection',
  safeContactLabel: 'How can they be reached safely? (a number, a trusted person, times to avoid)',
  descriptionLabel: 'What happened, and what help is needed?',
  urgentLegend: 'Is it urgent?',
  urgentNo: 'No',
  urgentYes: 'Yes, it cannot wait',
  onBehalfLegend: 'I am writing on their behalf (optional)',
  intermediaryNameLabel: 'Your name',
  relationshipLabel: 'Your relationship to them (colleague, lawyer, relative…)',
  intermediaryContactLabel: 'How can the network reach you?',
  sendRequest: 'Send the request',
  receivedTitle: 'Your request was received.',
  receivedBody:
    'Someone from the network will get in touch through the safe contact you gave. If someone is in danger right now, seek emergency help where you are.',
  ownReceivedBody: 'Someone from the network will get in touch with you. You can follow your request on your page.',
  askHeading: 'Ask for help',
  ownDescriptionLabel: 'What happened, and what help do you need?',
  ownSafeContactLabel: 'How can we reach you safely? (optional)',
  followHeading: 'Your requests and measures',
  nothingYet: 'You have no requests or measures yet.',
  requestLine: 'Request of {date}: {status}',
  requestStatus: {
    new: 'received, not yet reviewed',
    triaged: 'reviewed, the network will contact you',
    case_opened: 'the network is following your case',
    declined: 'not taken up; your coordinator can tell you why',
  },
  measureKind: {
    accompaniment: 'Protective accompaniment',
    visits: 'Visits and regular contact',
    trial_monitoring: 'Trial monitoring',
    legal_aid: 'Legal aid',
    psychosocial: 'Psychosocial support',
    digital_security: 'Digital-security support',
    urgent_appeal: 'Urgent appeal or public statement',
    emergency_grant: 'Emergency grant',
    relocation: 'Temporary relocation',
    referral: 'Referral to a partner organisation',
  },
  measureStatus: {
    proposed: 'proposed',
    agreed: 'agreed, not started yet',
    in_progress: 'under way',
    done: 'finished',
    cancelled: 'cancelled',
  },
  awaitingYou: 'proposed, waiting for your answer',
  agreementHint: 'Nothing starts without your agreement. You can also talk it over with your coordinator first.',
  readAndAnswer: 'Read the whole proposal and answer',
  readAll: 'Read it all',
  agree: 'I agree',
  disagree: 'I do not agree',
  agreedTitle: 'You agreed.',
  agreedBody: 'The network will go ahead and keep you informed.',
  declinedTitle: 'You did not agree.',
  declinedBody: 'The measure will not go ahead. Your coordinator may contact you to look for another way.',
  feedbackHeading: 'Your opinion',
  feedbackAboutMeasure: 'About: {kind}',
  feedbackAboutCase: 'About your case, now closed',
  usefulLegend: 'Was it useful?',
  useful: { yes: 'Yes', partly: 'Partly', no: 'No' },
  riskLegend: 'Did it increase your risk?',
  risk: { no: 'No', yes: 'Yes', unsure: 'Not sure' },
  commentLabel: 'Comment (optional)',
  sendFeedback: 'Send my opinion',
  feedbackTitle: 'Thank you.',
  feedbackBody: 'Your opinion helps the network protect you and others better.',
  more: 'And {count} more: your coordinator can tell you about them.',
  descriptionMissing: 'Say what happened and what help is needed.',
  defenderNameMissing: 'Give the name of the person who needs protection.',
  safeContactMissing: 'Say how they can be reached safely.',
  intermediaryIncomplete: 'Give your name, your relationship and how to reach you, or leave all three empty.',
  textTooLong: 'One of the texts is too long.',
  answersMissing: 'Answer both questions.',
  notYours: 'This is not on your page.',
  measureNotWaiting: 'This measure no longer waits for an answer.',
  alreadyAnswered: 'This question was already answered.',
};

const es: CaseTexts = {
  helpTitle: 'Pedir protección',
  helpIntro:
    'Cuéntale a la red de protección lo que pasó. Puedes escribir por ti o por una persona defensora que no pueda hacerlo. Solo lo leen las personas de la red que atienden las solicitudes.',
  defenderNameLabel: 'Nombre de la persona que necesita protección',
  safeContactLabel: '¿Cómo contactarla de forma segura? (un número, una persona de confianza, horas a evitar)',
  descriptionLabel: '¿Qué pasó y qué ayuda se necesita?',
  urgentLegend: '¿Es urgente?',
  urgentNo: 'No',
  urgentYes: 'Sí, no puede esperar',
  onBehalfLegend: 'Escribo en su nombre (opcional)',
  intermediaryNameLabel: 'Tu nombre',
  relationshipLabel: 'Tu relación con ella (colega, abogada, familiar…)',
  intermediaryContactLabel: '¿Cómo puede contactarte la red?',
  sendRequest: 'Enviar la solicitud',
  receivedTitle: 'Recibimos tu solicitud.',
  receivedBody:
    'Alguien de la red se pondrá en contacto por el medio seguro que indicaste. Si alguien corre peligro ahora mismo, busca ayuda de emergencia donde estés.',
  ownReceivedBody: 'Alguien de la red se pondrá en contacto contigo. Puedes seguir tu solicitud en tu página.',
  askHeading: 'Pedir ayuda',
  ownDescriptionLabel: '¿Qué pasó y qué ayuda necesitas?',
  ownSafeContactLabel: '¿Cómo contactarte de forma segura? (opcional)',
  followHeading: 'Tus solicitudes y medidas',
  nothingYet: 'Todavía no tienes solicitudes ni medidas.',
  requestLine: 'Solicitud del {date}: {status}',
  requestStatus: {
    new: 'recibida, aún sin revisar',
    triaged: 'revisada, la red se pondrá en contacto contigo',
    case_opened: 'la red está acompañando tu caso',
    declined: 'no se atendió; tu coordinación puede explicarte por qué',
  },
  measureKind: {
    accompaniment: 'Acompañamiento protector',
    visits: 'Visitas y contacto regular',
    trial_monitoring: 'Observación de juicio',
    legal_aid: 'Asistencia jurídica',
    psychosocial: 'Apoyo psicosocial',
    digital_security: 'Apoyo en seguridad digital',
    urgent_appeal: 'Acción urgente o pronunciamiento público',
    emergency_grant: 'Apoyo económico de emergencia',
    relocation: 'Reubicación temporal',
    referral: 'Remisión a una organización aliada',
  },
  measureStatus: {
    proposed: 'propuesta',
    agreed: 'aceptada, aún no empieza',
    in_progress: 'en curso',
    done: 'terminada',
    cancelled: 'cancelada',
  },
  awaitingYou: 'propuesta, espera tu respuesta',
  agreementHint: 'Nada empieza sin tu acuerdo. También puedes hablarlo antes con tu coordinación.',
  readAndAnswer: 'Leer toda la propuesta y responder',
  readAll: 'Leerla entera',
  agree: 'Estoy de acuerdo',
  disagree: 'No estoy de acuerdo',
  agreedTitle: 'Diste tu acuerdo.',
  agreedBody: 'La red seguirá adelante y te mantendrá informada o informado.',
  declinedTitle: 'No diste tu acuerdo.',
  declinedBody: 'La medida no se llevará a cabo. Tu coordinación puede contactarte para buscar otra opción.',
  feedbackHeading: 'Tu opinión',
  feedbackAboutMeasure: 'Sobre: {kind}',
  feedbackAboutCase: 'Sobre tu caso, ya cerrado',
  usefulLegend: '¿Te fue útil?',
  useful: { yes: 'Sí', partly: 'En parte', no: 'No' },
  riskLegend: '¿Aumentó tu riesgo?',
  risk: { no: 'No', yes: 'Sí', unsure: 'No estoy seguro/a' },
  commentLabel: 'Comentario (opcional)',
  sendFeedback: 'Enviar mi opinión',
  feedbackTitle: 'Gracias.',
  feedbackBody: 'Tu opinión ayuda a la red a protegerte mejor, a ti y a otras personas.',
  more: 'Y {count} más: tu coordinación puede contarte.',
  descriptionMissing: 'Cuenta qué pasó y qué ayuda se necesita.',
  defenderNameMissing: 'Indica el nombre de la persona que necesita protección.',
  safeContactMissing: 'Indica cómo contactarla de forma segura.',
  intermediaryIncomplete: 'Indica tu nombre, tu relación y cómo contactarte, o deja los tres vacíos.',
  textTooLong: 'Uno de los textos es demasiado largo.',
  answersMissing: 'Responde las dos preguntas.',
  notYours: 'Esto no está en tu página.',
  measureNotWaiting: 'Esta medida ya no espera una respuesta.',
  alreadyAnswered: 'Esta pregunta ya fue respondida.',
};

const fr: CaseTexts = {
  helpTitle: 'Demander une protection',
  helpIntro:
    'Dites au réseau de protection ce qui s’est passé. Vous pouvez écrire pour vous-même ou pour un·e défenseur·e qui ne peut pas écrire. Seules les personnes du réseau qui traitent les demandes la lisent.',
  defenderNameLabel: 'Nom de la personne qui a besoin de protection',
  safeContactLabel: 'Comment la joindre en sécurité ? (un numéro, une personne de confiance, des heures à éviter)',
  descriptionLabel: 'Que s’est-il passé, et de quelle aide a-t-on besoin ?',
  urgentLegend: 'Est-ce urgent ?',
  urgentNo: 'Non',
  urgentYes: 'Oui, cela ne peut pas attendre',
  onBehalfLegend: 'J’écris en son nom (facultatif)',
  intermediaryNameLabel: 'Votre nom',
  relationshipLabel: 'Votre lien avec elle (collègue, avocat·e, proche…)',
  intermediaryContactLabel: 'Comment le réseau peut-il vous joindre ?',
  sendRequest: 'Envoyer la demande',
  receivedTitle: 'Votre demande a été reçue.',
  receivedBody:
    'Une personne du réseau prendra contact par le moyen sûr que vous avez indiqué. Si quelqu’un est en danger en ce moment, cherchez une aide d’urgence sur place.',
  ownReceivedBody: 'Une personne du réseau prendra contact avec vous. Vous pouvez suivre votre demande sur votre page.',
  askHeading: 'Demander de l’aide',
  ownDescriptionLabel: 'Que s’est-il passé, et de quelle aide avez-vous besoin ?',
  ownSafeContactLabel: 'Comment vous joindre en sécurité ? (facultatif)',
  followHeading: 'Vos demandes et mesures',
  nothingYet: 'Vous n’avez encore ni demande ni mesure.',
  requestLine: 'Demande du {date} : {status}',
  requestStatus: {
    new: 'reçue, pas encore examinée',
    triaged: 'examinée, le réseau va vous contacter',
    case_opened: 'le réseau suit votre dossier',
    declined: 'non retenue ; votre coordination peut vous expliquer pourquoi',
  },
  measureKind: {
    accompaniment: 'Accompagnement protecteur',
    visits: 'Visites et contact régulier',
    trial_monitoring: 'Observation de procès',
    legal_aid: 'Aide juridique',
    psychosocial: 'Soutien psychosocial',
    digital_security: 'Soutien en sécurité numérique',
    urgent_appeal: 'Appel urgent ou déclaration publique',
    emergency_grant: 'Aide financière d’urgence',
    relocation: 'Relocalisation temporaire',
    referral: 'Orientation vers une organisation partenaire',
  },
  measureStatus: {
    proposed: 'proposée',
    agreed: 'acceptée, pas encore commencée',
    in_progress: 'en cours',
    done: 'terminée',
    cancelled: 'annulée',
  },
  awaitingYou: 'proposée, attend votre réponse',
  agreementHint: 'Rien ne commence sans votre accord. Vous pouvez aussi en parler d’abord avec votre coordination.',
  readAndAnswer: 'Lire toute la proposition et répondre',
  readAll: 'La lire en entier',
  agree: 'J’accepte',
  disagree: 'Je n’accepte pas',
  agreedTitle: 'Vous avez donné votre accord.',
  agreedBody: 'Le réseau va de l’avant et vous tiendra informé·e.',
  declinedTitle: 'Vous n’avez pas donné votre accord.',
  declinedBody: 'La mesure n’aura pas lieu. Votre coordination pourra vous contacter pour chercher une autre solution.',
  feedbackHeading: 'Votre avis',
  feedbackAboutMeasure: 'Au sujet de : {kind}',
  feedbackAboutCase: 'Au sujet de votre dossier, désormais clos',
  usefulLegend: 'Cela vous a-t-il été utile ?',
  useful: { yes: 'Oui', partly: 'En partie', no: 'Non' },
  riskLegend: 'Cela a-t-il augmenté votre risque ?',
  risk: { no: 'Non', yes: 'Oui', unsure: 'Je ne sais pas' },
  commentLabel: 'Commentaire (facultatif)',
  sendFeedback: 'Envoyer mon avis',
  feedbackTitle: 'Merci.',
  feedbackBody: 'Votre avis aide le réseau à mieux vous protéger, vous et d’autres.',
  more: 'Et {count} de plus : votre coordination peut vous en parler.',
  descriptionMissing: 'Dites ce qui s’est passé et de quelle aide on a besoin.',
  defenderNameMissing: 'Indiquez le nom de la personne qui a besoin de protection.',
  safeContactMissing: 'Indiquez comment la joindre en sécurité.',
  intermediaryIncomplete: 'Indiquez votre nom, votre lien et comment vous joindre, ou laissez les trois vides.',
  textTooLong: 'L’un des textes est trop long.',
  answersMissing: 'Répondez aux deux questions.',
  notYours: 'Ceci ne figure pas sur votre page.',
  measureNotWaiting: 'Cette mesure n’attend plus de réponse.',
  alreadyAnswered: 'Il a déjà été répondu à cette question.',
};

const ar: CaseTexts = {
  helpTitle: 'طلب الحماية',
  helpIntro:
    'أخبر شبكة الحماية بما حدث. يمكنك الكتابة عن نفسك أو عن مدافع أو مدافعة لا يستطيع الكتابة. لا يقرأ الطلب إلا أعضاء الشبكة المكلّفون بالطلبات.',
  defenderNameLabel: 'اسم الشخص الذي يحتاج إلى الحماية',
  safeContactLabel: 'كيف يمكن التواصل معه بأمان؟ (رقم، شخص موثوق، أوقات يجب تجنّبها)',
  descriptionLabel: 'ماذا حدث، وما المساعدة المطلوبة؟',
  urgentLegend: 'هل الأمر عاجل؟',
  urgentNo: 'لا',
  urgentYes: 'نعم، لا يحتمل الانتظار',
  onBehalfLegend: 'أكتب نيابةً عنه (اختياري)',
  intermediaryNameLabel: 'اسمك',
  relationshipLabel: 'صلتك به (زميل، محامٍ، قريب…)',
  intermediaryContactLabel: 'كيف يمكن للشبكة التواصل معك؟',
  sendRequest: 'أرسل الطلب',
  receivedTitle: 'تم استلام طلبك.',
  receivedBody:
    'سيتواصل أحد أعضاء الشبكة عبر وسيلة التواصل الآمنة التي ذكرتها. إذا كان أحد في خطر الآن، فاطلب مساعدة طارئة حيث أنت.',
  ownReceivedBody: 'سيتواصل معك أحد أعضاء الشبكة. يمكنك متابعة طلبك على صفحتك.',
  askHeading: 'اطلب المساعدة',
  ownDescriptionLabel: 'ماذا حدث، وما المساعدة التي تحتاجها؟',
  ownSafeContactLabel: 'كيف يمكننا التواصل معك بأمان؟ (اختياري)',
  followHeading: 'طلباتك وتدابيرك',
  nothingYet: 'ليست لديك طلبات أو تدابير بعد.',
  requestLine: 'طلب بتاريخ {date}: {status}',
  requestStatus: {
    new: 'وصل ولم يُراجَع بعد',
    triaged: 'رُوجع، وستتواصل معك الشبكة',
    case_opened: 'الشبكة تتابع حالتك',
    declined: 'لم يُقبل؛ يمكن لمنسّقك أن يشرح لك السبب',
  },
  measureKind: {
    accompaniment: 'المرافقة الوقائية',
    visits: 'الزيارات والتواصل المنتظم',
    trial_monitoring: 'مراقبة المحاكمة',
    legal_aid: 'المساعدة القانونية',
    psychosocial: 'الدعم النفسي والاجتماعي',
    digital_security: 'الدعم في الأمن الرقمي',
    urgent_appeal: 'نداء عاجل أو بيان علني',
    emergency_grant: 'منحة طارئة',
    relocation: 'النقل المؤقت',
    referral: 'الإحالة إلى منظمة شريكة',
  },
  measureStatus: {
    proposed: 'مقترح',
    agreed: 'موافق عليه، لم يبدأ بعد',
    in_progress: 'قيد التنفيذ',
    done: 'انتهى',
    cancelled: 'أُلغي',
  },
  awaitingYou: 'مقترح، بانتظار ردّك',
  agreementHint: 'لا يبدأ شيء دون موافقتك. يمكنك أيضًا مناقشة الأمر مع منسّقك أولًا.',
  readAndAnswer: 'اقرأ المقترح كاملًا وأجب',
  readAll: 'اقرأه كاملًا',
  agree: 'أوافق',
  disagree: 'لا أوافق',
  agreedTitle: 'لقد وافقت.',
  agreedBody: 'ستمضي الشبكة قُدمًا وتُبقيك على اطلاع.',
  declinedTitle: 'لم توافق.',
  declinedBody: 'لن يُنفَّذ هذا التدبير. قد يتواصل معك منسّقك للبحث عن طريقة أخرى.',
  feedbackHeading: 'رأيك',
  feedbackAboutMeasure: 'بخصوص: {kind}',
  feedbackAboutCase: 'بخصوص حالتك التي أُغلقت',
  usefulLegend: 'هل كان مفيدًا؟',
  useful: { yes: 'نعم', partly: 'جزئيًا', no: 'لا' },
  riskLegend: 'هل زاد من الخطر عليك؟',
  risk: { no: 'لا', yes: 'نعم', unsure: 'لست متأكدًا' },
  commentLabel: 'تعليق (اختياري)',
  sendFeedback: 'أرسل رأيي',
  feedbackTitle: 'شكرًا لك.',
  feedbackBody: 'يساعد رأيك الشبكة على حمايتك وحماية الآخرين بشكل أفضل.',
  more: 'و{count} غيرها: يمكن لمنسّقك إخبارك عنها.',
  descriptionMissing: 'اذكر ما حدث والمساعدة المطلوبة.',
  defenderNameMissing: 'اذكر اسم الشخص الذي يحتاج إلى الحماية.',
  safeContactMissing: 'اذكر كيف يمكن التواصل معه بأمان.',
  intermediaryIncomplete: 'اذكر اسمك وصلتك به وكيف يمكن التواصل معك، أو اترك الحقول الثلاثة فارغة.',
  textTooLong: 'أحد النصوص طويل جدًا.',
  answersMissing: 'أجب عن السؤالين.',
  notYours: 'هذا غير موجود في صفحتك.',
  measureNotWaiting: 'لم يعد هذا التدبير بانتظار ردّ.',
  alreadyAnswered: 'تمت الإجابة عن هذا السؤال من قبل.',
};

export const CASE_TEXTS: Readonly<Record<PageLanguage, CaseTexts>> = { en, es, fr, ar };
