import type { ActorKind, VocabularyName, VocabularyTerm } from './model.ts';

type Labels = VocabularyTerm['labels'];
const term = (
  vocabulary: VocabularyName,
  code: string,
  labels: Labels,
  appliesTo: ActorKind | 'any' = 'any',
): VocabularyTerm => ({ vocabulary, code, labels, appliesTo, builtin: true });

/**
 * The vocabularies every network starts with. Actor types are the actors that protection networks
 * bring together (seed 000, "Protection networks bring together diverse actors"); a network adds
 * its own through the API. Stored as data by the first migration's seeding step, never hard-coded
 * elsewhere.
 */
export const SEED_TERMS: VocabularyTerm[] = [
  term(
    'actor_type',
    'ngo',
    {
      en: 'Non-governmental organisation',
      es: 'Organización no gubernamental',
      fr: 'Organisation non gouvernementale',
      ar: 'منظمة غير حكومية',
    },
    'collective',
  ),
  term('actor_type', 'social_movement', {
    en: 'Human rights or social justice movement',
    es: 'Movimiento de derechos humanos o justicia social',
    fr: 'Mouvement de droits humains ou de justice sociale',
    ar: 'حركة حقوق إنسان أو عدالة اجتماعية',
  }),
  term(
    'actor_type',
    'community_leader',
    {
      en: 'Religious, Indigenous or community leader',
      es: 'Líder religioso, indígena o comunitario',
      fr: 'Leader religieux, autochtone ou communautaire',
      ar: 'قائد ديني أو من الشعوب الأصلية أو مجتمعي',
    },
    'individual',
  ),
  term(
    'actor_type',
    'youth_group',
    { en: 'Youth group', es: 'Grupo juvenil', fr: 'Groupe de jeunes', ar: 'مجموعة شبابية' },
    'collective',
  ),
  term('actor_type', 'journalist', {
    en: 'Journalist or media worker',
    es: 'Periodista o trabajador de medios',
    fr: 'Journaliste ou professionnel des médias',
    ar: 'صحفي أو عامل في الإعلام',
  }),
  term('actor_type', 'minority_group', {
    en: 'Minority group',
    es: 'Grupo minoritario',
    fr: 'Groupe minoritaire',
    ar: 'مجموعة أقلية',
  }),
  term('actor_type', 'trade_union', { en: 'Trade union', es: 'Sindicato', fr: 'Syndicat', ar: 'نقابة عمالية' }),
  term('actor_type', 'health_worker', {
    en: 'Health or humanitarian worker',
    es: 'Trabajador de salud o humanitario',
    fr: 'Agent de santé ou humanitaire',
    ar: 'عامل صحي أو إنساني',
  }),
  term('actor_type', 'academic', { en: 'Academic', es: 'Académico', fr: 'Universitaire', ar: 'أكاديمي' }),
  term('actor_type', 'lawyer', { en: 'Lawyer', es: 'Abogado', fr: 'Avocat', ar: 'محامٍ' }),
  term('actor_type', 'donor', { en: 'Donor', es: 'Donante', fr: 'Bailleur de fonds', ar: 'جهة مانحة' }),
  term('actor_type', 'other', { en: 'Other', es: 'Otro', fr: 'Autre', ar: 'أخرى' }),

  term('rights_area', 'land_environment', {
    en: 'Land, territory and environment',
    es: 'Tierra, territorio y medio ambiente',
    fr: 'Terre, territoire et environnement',
    ar: 'الأرض والإقليم والبيئة',
  }),
  term('rights_area', 'indigenous_peoples', {
    en: "Indigenous peoples' rights",
    es: 'Derechos de los pueblos indígenas',
    fr: 'Droits des peuples autochtones',
    ar: 'حقوق الشعوب الأصلية',
  }),
  term('rights_area', 'women', {
    en: "Women's rights",
    es: 'Derechos de las mujeres',
    fr: 'Droits des femmes',
    ar: 'حقوق المرأة',
  }),
  term('rights_area', 'lgbti', {
    en: 'LGBTI rights',
    es: 'Derechos LGBTI',
    fr: 'Droits LGBTI',
    ar: 'حقوق مجتمع الميم',
  }),
  term('rights_area', 'labour', {
    en: 'Labour rights',
    es: 'Derechos laborales',
    fr: 'Droits du travail',
    ar: 'حقوق العمال',
  }),
  term('rights_area', 'expression', {
    en: 'Freedom of expression and press',
    es: 'Libertad de expresión y prensa',
    fr: "Liberté d'expression et de la presse",
    ar: 'حرية التعبير والصحافة',
  }),
  term('rights_area', 'justice_impunity', {
    en: 'Justice and fight against impunity',
    es: 'Justicia y lucha contra la impunidad',
    fr: "Justice et lutte contre l'impunité",
    ar: 'العدالة ومكافحة الإفلات من العقاب',
  }),
  term('rights_area', 'anti_corruption', {
    en: 'Anti-corruption and transparency',
    es: 'Anticorrupción y transparencia',
    fr: 'Lutte contre la corruption et transparence',
    ar: 'مكافحة الفساد والشفافية',
  }),
  term('rights_area', 'migrants_refugees', {
    en: 'Migrants and refugees',
    es: 'Personas migrantes y refugiadas',
    fr: 'Migrants et réfugiés',
    ar: 'المهاجرون واللاجئون',
  }),
  term('rights_area', 'minorities', {
    en: 'Minority rights',
    es: 'Derechos de las minorías',
    fr: 'Droits des minorités',
    ar: 'حقوق الأقليات',
  }),
  term('rights_area', 'health', {
    en: 'Right to health',
    es: 'Derecho a la salud',
    fr: 'Droit à la santé',
    ar: 'الحق في الصحة',
  }),
  term('rights_area', 'housing', {
    en: 'Housing and forced evictions',
    es: 'Vivienda y desalojos forzosos',
    fr: 'Logement et expulsions forcées',
    ar: 'السكن والإخلاء القسري',
  }),
  term('rights_area', 'democracy', {
    en: 'Democracy, elections and civic space',
    es: 'Democracia, elecciones y espacio cívico',
    fr: 'Démocratie, élections et espace civique',
    ar: 'الديمقراطية والانتخابات والفضاء المدني',
  }),
  term('rights_area', 'disappearances', {
    en: 'Enforced disappearances and victims',
    es: 'Desapariciones forzadas y víctimas',
    fr: 'Disparitions forcées et victimes',
    ar: 'الاختفاء القسري والضحايا',
  }),
  term('rights_area', 'children', {
    en: "Children's rights",
    es: 'Derechos de la niñez',
    fr: "Droits de l'enfant",
    ar: 'حقوق الطفل',
  }),
  term('rights_area', 'disability', {
    en: 'Rights of persons with disabilities',
    es: 'Derechos de las personas con discapacidad',
    fr: 'Droits des personnes handicapées',
    ar: 'حقوق الأشخاص ذوي الإعاقة',
  }),

  term('membership_role', 'leader', { en: 'Leader', es: 'Líder', fr: 'Dirigeant·e', ar: 'قائد' }),
  term('membership_role', 'spokesperson', { en: 'Spokesperson', es: 'Vocero/a', fr: 'Porte-parole', ar: 'متحدث رسمي' }),
  term('membership_role', 'founder', { en: 'Founder', es: 'Fundador/a', fr: 'Fondateur·rice', ar: 'مؤسس' }),
  term('membership_role', 'coordinator', {
    en: 'Coordinator',
    es: 'Coordinador/a',
    fr: 'Coordinateur·rice',
    ar: 'منسق',
  }),
  term('membership_role', 'legal_representative', {
    en: 'Legal representative',
    es: 'Representante legal',
    fr: 'Représentant·e légal·e',
    ar: 'ممثل قانوني',
  }),
  term('membership_role', 'staff', { en: 'Staff', es: 'Personal', fr: 'Personnel', ar: 'موظف' }),
  term('membership_role', 'member', { en: 'Member', es: 'Miembro', fr: 'Membre', ar: 'عضو' }),

  term('family_relation', 'partner', {
    en: 'Spouse or partner',
    es: 'Cónyuge o pareja',
    fr: 'Conjoint·e ou partenaire',
    ar: 'زوج أو شريك',
  }),
  term('family_relation', 'parent', { en: 'Parent', es: 'Madre o padre', fr: 'Parent', ar: 'أحد الوالدين' }),
  term('family_relation', 'child', { en: 'Child', es: 'Hija o hijo', fr: 'Enfant', ar: 'ابن أو ابنة' }),
  term('family_relation', 'sibling', { en: 'Sibling', es: 'Hermana o hermano', fr: 'Frère ou sœur', ar: 'أخ أو أخت' }),
  term('family_relation', 'other_relative', {
    en: 'Other relative',
    es: 'Otro familiar',
    fr: 'Autre parent',
    ar: 'قريب آخر',
  }),
];
