/**
 * Countries for the demo data, with their UN region and a few real regions and localities written as
 * a local registry would write them. Weights are skewed on purpose: a handful of countries carry
 * most of a protection caseload (Colombia, Mexico, Brazil, Central America, the Philippines...).
 */
import type { CultureCode, TemplateLanguage } from './names.ts';

export const UN_REGIONS = ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'] as const;
export type UnRegion = (typeof UN_REGIONS)[number];

export interface DemoCountry {
  /** ISO 3166-1 alpha-2. */
  code: string;
  unRegion: UnRegion;
  /** Relative share of the caseload. */
  weight: number;
  /** Naming cultures of the people recorded here, with their relative frequency. */
  names: readonly (readonly [CultureCode, number])[];
  /** Share of names from a non-Latin culture that the network records in Latin transliteration. */
  latinShare: number;
  /** Language of collective names. */
  collectives: TemplateLanguage;
  /** BCP 47 tags, most spoken first. */
  languages: readonly string[];
  callingCode: string;
  /** Regions, each with a few localities. */
  regions: readonly (readonly [string, readonly string[]])[];
  /** Indigenous or ethnic identities people recorded here may declare. */
  identities: readonly string[];
  /** Rights areas that dominate the caseload here. */
  focus: readonly string[];
}

type Regions = DemoCountry['regions'];
const c = (
  code: string,
  unRegion: UnRegion,
  weight: number,
  names: DemoCountry['names'],
  collectives: TemplateLanguage,
  languages: string,
  callingCode: string,
  regions: Regions,
  identities: string,
  focus: string,
  latinShare = 0,
): DemoCountry => ({
  code,
  unRegion,
  weight,
  names,
  latinShare,
  collectives,
  languages: languages.split(' '),
  callingCode,
  regions,
  identities: identities === '' ? [] : identities.split(', '),
  focus: focus === '' ? [] : focus.split(' '),
});

// biome-ignore format: one country per block reads better than one argument per line
export const DEMO_COUNTRIES: readonly DemoCountry[] = [
  // Americas
  c('CO', 'Americas', 16, [['es', 1]], 'es', 'es', '57', [
    ['Cauca', ['Popayán', 'Toribío', 'Caldono', 'Santander de Quilichao']],
    ['Antioquia', ['Medellín', 'Ituango', 'Segovia']],
    ['Nariño', ['Tumaco', 'Pasto', 'Barbacoas']],
    ['Chocó', ['Quibdó', 'Riosucio', 'Bojayá']],
    ['Norte de Santander', ['Cúcuta', 'Tibú']],
    ['Bogotá D.C.', ['Bogotá']],
  ], 'Nasa, Misak, Wayuu, Emberá, Awá, Afrocolombiana, Raizal', 'land_environment indigenous_peoples justice_impunity disappearances'),
  c('MX', 'Americas', 9, [['es', 1]], 'es', 'es', '52', [
    ['Guerrero', ['Chilpancingo', 'Tlapa de Comonfort', 'Acapulco']],
    ['Chiapas', ['San Cristóbal de las Casas', 'Ocosingo', 'Tapachula']],
    ['Oaxaca', ['Oaxaca de Juárez', 'Juchitán', 'Huajuapan de León']],
    ['Chihuahua', ['Ciudad Juárez', 'Guachochi']],
    ['Ciudad de México', ['Ciudad de México']],
    ['Veracruz', ['Xalapa', 'Coatzacoalcos']],
  ], 'Tsotsil, Tseltal, Zapoteca, Mixteca, Rarámuri, Nahua, Ayuuk', 'expression disappearances land_environment migrants_refugees'),
  c('BR', 'Americas', 8, [['pt', 1]], 'pt', 'pt', '55', [
    ['Pará', ['Belém', 'Altamira', 'Marabá']],
    ['Maranhão', ['São Luís', 'Imperatriz']],
    ['Mato Grosso do Sul', ['Dourados', 'Campo Grande']],
    ['Bahia', ['Salvador', 'Ilhéus']],
    ['Rio de Janeiro', ['Rio de Janeiro', 'Duque de Caxias']],
    ['Amazonas', ['Manaus', 'São Gabriel da Cachoeira']],
  ], 'Guarani-Kaiowá, Munduruku, Yanomami, Tupinambá, Quilombola, Terena', 'land_environment indigenous_peoples housing'),
  c('HN', 'Americas', 5, [['es', 1]], 'es', 'es', '504', [
    ['Atlántida', ['La Ceiba', 'Tela']],
    ['Colón', ['Tocoa', 'Trujillo']],
    ['Francisco Morazán', ['Tegucigalpa']],
    ['Intibucá', ['La Esperanza']],
    ['Cortés', ['San Pedro Sula']],
  ], 'Lenca, Garífuna, Miskitu, Tolupán', 'land_environment indigenous_peoples women'),
  c('GT', 'Americas', 5, [['es', 1]], 'es', 'es quc kek cak', '502', [
    ['Alta Verapaz', ['Cobán', 'San Pedro Carchá']],
    ['Quiché', ['Santa Cruz del Quiché', 'Nebaj']],
    ['Huehuetenango', ['Huehuetenango', 'Santa Eulalia']],
    ['Izabal', ['El Estor', 'Puerto Barrios']],
    ['Guatemala', ['Ciudad de Guatemala']],
  ], "Maya K'iche', Maya Q'eqchi', Maya Kaqchikel, Maya Ixil, Maya Mam, Garífuna, Xinka", 'land_environment indigenous_peoples justice_impunity'),
  c('PE', 'Americas', 2, [['es', 1]], 'es', 'es qu ay', '51', [
    ['Cusco', ['Cusco', 'Espinar']],
    ['Puno', ['Puno', 'Juliaca']],
    ['Cajamarca', ['Cajamarca', 'Celendín']],
    ['Loreto', ['Iquitos']],
    ['Lima', ['Lima']],
  ], 'Quechua, Aymara, Awajún, Shipibo-Konibo, Asháninka', 'land_environment indigenous_peoples'),
  c('NI', 'Americas', 1.2, [['es', 1]], 'es', 'es miq', '505', [
    ['Costa Caribe Norte', ['Bilwi', 'Waspam']],
    ['Managua', ['Managua']],
    ['León', ['León']],
  ], 'Miskitu, Mayangna, Rama', 'democracy expression indigenous_peoples'),
  c('SV', 'Americas', 0.8, [['es', 1]], 'es', 'es', '503', [
    ['San Salvador', ['San Salvador', 'Soyapango']],
    ['Cabañas', ['Sensuntepeque', 'Ilobasco']],
    ['Morazán', ['San Francisco Gotera']],
  ], 'Nahua-Pipil, Lenca', 'democracy justice_impunity land_environment'),
  c('VE', 'Americas', 1.2, [['es', 1]], 'es', 'es', '58', [
    ['Zulia', ['Maracaibo', 'Machiques']],
    ['Bolívar', ['Ciudad Bolívar', 'El Callao']],
    ['Distrito Capital', ['Caracas']],
  ], 'Wayuu, Pemón, Yukpa', 'democracy health expression'),
  c('EC', 'Americas', 0.8, [['es', 1]], 'es', 'es qu', '593', [
    ['Sucumbíos', ['Nueva Loja', 'Shushufindi']],
    ['Pichincha', ['Quito']],
    ['Morona Santiago', ['Macas']],
  ], "Kichwa, Shuar, A'i Cofán, Waorani, Afroecuatoriana", 'land_environment indigenous_peoples'),
  c('BO', 'Americas', 0.8, [['es', 1]], 'es', 'es ay qu gn', '591', [
    ['La Paz', ['La Paz', 'El Alto']],
    ['Beni', ['Trinidad', 'Riberalta']],
    ['Cochabamba', ['Cochabamba']],
  ], 'Aymara, Quechua, Guaraní, Mojeño', 'land_environment indigenous_peoples'),
  c('AR', 'Americas', 0.4, [['es', 1]], 'es', 'es', '54', [
    ['Jujuy', ['San Salvador de Jujuy', 'Purmamarca']],
    ['Buenos Aires', ['La Plata', 'Mar del Plata']],
  ], 'Qom, Wichí, Mapuche, Kolla', 'indigenous_peoples women'),
  c('CL', 'Americas', 0.4, [['es', 1]], 'es', 'es arn', '56', [
    ['Araucanía', ['Temuco', 'Ercilla']],
    ['Región Metropolitana', ['Santiago']],
  ], 'Mapuche', 'indigenous_peoples land_environment'),
  c('US', 'Americas', 0.6, [
    ['en', 0.8],
    ['es', 0.2],
  ], 'en', 'en es', '1', [ ['Louisiana', ['New Orleans', 'St. James']], ['Texas', ['El Paso', 'Houston']], ['North Dakota', ['Fort Yates', 'Bismarck']], ], 'Lakota, Diné, Houma, Black', 'land_environment migrants_refugees'),
  c('CA', 'Americas', 0.2, [
    ['en', 0.7],
    ['fr', 0.3],
  ], 'en', 'en fr', '1', [ ['British Columbia', ['Vancouver', 'Smithers']], ['Québec', ['Montréal']], ], "Wet'suwet'en, Cree, Mi'kmaq", 'indigenous_peoples land_environment'),
  c('HT', 'Americas', 0.5, [['fr', 1]], 'fr', 'ht fr', '509', [
    ['Ouest', ['Port-au-Prince', 'Pétion-Ville']],
    ['Artibonite', ['Gonaïves', 'Saint-Marc']],
    ['Nord', ['Cap-Haïtien']],
  ], '', 'justice_impunity women health'),
  c('CU', 'Americas', 0.4, [['es', 1]], 'es', 'es', '53', [
    ['La Habana', ['La Habana']],
    ['Santiago de Cuba', ['Santiago de Cuba']],
    ['Holguín', ['Holguín']],
  ], 'Afrocubana', 'expression democracy'),
  // Africa
  c('CD', 'Africa', 3.5, [['cd', 1]], 'fr', 'fr sw ln', '243', [
    ['Nord-Kivu', ['Goma', 'Beni', 'Butembo']],
    ['Sud-Kivu', ['Bukavu', 'Uvira']],
    ['Ituri', ['Bunia']],
    ['Kinshasa', ['Kinshasa']],
    ['Kasaï', ['Tshikapa']],
  ], 'Batwa, Mbuti, Hema, Lendu', 'land_environment justice_impunity women'),
  c('KE', 'Africa', 3.5, [['sw', 1]], 'sw', 'sw en', '254', [
    ['Nairobi', ['Mathare', 'Kibera', 'Eastleigh']],
    ['Mombasa', ['Mombasa', 'Likoni']],
    ['Kisumu', ['Kisumu']],
    ['Nakuru', ['Nakuru', 'Molo']],
    ['Narok', ['Narok']],
    ['Marsabit', ['Marsabit']],
  ], 'Maasai, Ogiek, Endorois, Sengwer, Turkana', 'justice_impunity land_environment lgbti'),
  c('UG', 'Africa', 1.2, [['sw', 1]], 'en', 'en sw lg', '256', [
    ['Central', ['Kampala', 'Mukono']],
    ['Northern', ['Gulu', 'Lira']],
    ['Western', ['Hoima', 'Kasese']],
  ], 'Batwa, Benet, Acholi', 'lgbti land_environment democracy'),
  c('TZ', 'Africa', 0.8, [['sw', 1]], 'sw', 'sw en', '255', [
    ['Arusha', ['Arusha', 'Loliondo']],
    ['Dar es Salaam', ['Dar es Salaam']],
    ['Mwanza', ['Mwanza']],
  ], 'Maasai, Hadzabe, Barabaig', 'land_environment indigenous_peoples'),
  c('ET', 'Africa', 1, [['am', 1]], 'am', 'am om en', '251', [
    ['አዲስ አበባ', ['አዲስ አበባ']],
    ['ኦሮሚያ', ['አዳማ', 'አምቦ']],
    ['አማራ', ['ባሕር ዳር', 'ጎንደር']],
    ['ትግራይ', ['መቀሌ']],
  ], 'Oromo, Amhara, Tigrayan, Anuak', 'expression justice_impunity', 0.3),
  c('NG', 'Africa', 1.5, [['ng', 1]], 'en', 'en yo ig ha', '234', [
    ['Lagos', ['Lagos', 'Ikorodu']],
    ['Rivers', ['Port Harcourt', 'Bori']],
    ['Kaduna', ['Kaduna', 'Zaria']],
    ['Borno', ['Maiduguri']],
  ], 'Ogoni, Ijaw, Yoruba, Igbo, Hausa', 'land_environment expression democracy'),
  c('CM', 'Africa', 0.8, [['cd', 1]], 'fr', 'fr en', '237', [
    ['Nord-Ouest', ['Bamenda']],
    ['Centre', ['Yaoundé']],
    ['Littoral', ['Douala']],
  ], 'Baka, Mbororo', 'expression justice_impunity'),
  c('SN', 'Africa', 0.4, [['wa', 1]], 'fr', 'fr wo', '221', [
    ['Dakar', ['Dakar', 'Rufisque']],
    ['Ziguinchor', ['Ziguinchor']],
  ], 'Diola, Peul', 'democracy expression'),
  c('ML', 'Africa', 0.5, [['wa', 1]], 'fr', 'fr bm', '223', [
    ['Bamako', ['Bamako']],
    ['Mopti', ['Mopti', 'Djenné']],
  ], 'Peul, Touareg, Dogon', 'justice_impunity democracy'),
  c('BF', 'Africa', 0.4, [['wa', 1]], 'fr', 'fr mos', '226', [
    ['Centre', ['Ouagadougou']],
    ['Hauts-Bassins', ['Bobo-Dioulasso']],
  ], 'Peul, Mossi', 'democracy expression'),
  c('BI', 'Africa', 0.4, [['cd', 1]], 'fr', 'rn fr', '257', [
    ['Bujumbura Mairie', ['Bujumbura']],
    ['Gitega', ['Gitega']],
    ['Ngozi', ['Ngozi']],
  ], 'Batwa', 'justice_impunity democracy'),
  c('ZA', 'Africa', 1, [['za', 1]], 'en', 'en zu xh af', '27', [
    ['Gauteng', ['Johannesburg', 'Soweto']],
    ['KwaZulu-Natal', ['Durban', 'Pietermaritzburg']],
    ['Eastern Cape', ['Xolobeni', 'Gqeberha']],
    ['Western Cape', ['Cape Town']],
  ], 'Zulu, Xhosa, Khoi, San', 'housing land_environment lgbti'),
  c('ZW', 'Africa', 0.8, [['za', 1]], 'en', 'en sn nd', '263', [
    ['Harare', ['Harare', 'Chitungwiza']],
    ['Manicaland', ['Mutare', 'Marange']],
  ], 'Tonga, Ndebele', 'democracy expression'),
  c('MZ', 'Africa', 0.5, [['pt', 1]], 'pt', 'pt', '258', [
    ['Cabo Delgado', ['Pemba', 'Palma']],
    ['Maputo', ['Maputo']],
  ], 'Makonde, Makua', 'land_environment justice_impunity'),
  c('SD', 'Africa', 1, [['ar', 1]], 'ar', 'ar', '249', [
    ['الخرطوم', ['الخرطوم', 'أم درمان']],
    ['شمال دارفور', ['الفاشر']],
    ['جنوب كردفان', ['كادقلي']],
  ], 'Fur, Masalit, Nuba', 'justice_impunity women health', 0.2),
  c('EG', 'Africa', 1.3, [['ar', 1]], 'ar', 'ar', '20', [
    ['القاهرة', ['حلوان', 'شبرا']],
    ['الإسكندرية', ['الإسكندرية']],
    ['المنيا', ['ملوي', 'المنيا']],
    ['شمال سيناء', ['العريش']],
  ], 'Nubian, Coptic', 'expression justice_impunity lgbti', 0.15),
  c('MA', 'Africa', 0.4, [['ar', 1]], 'ar', 'ar zgh fr', '212', [
    ['الحسيمة', ['الحسيمة', 'إمزورن']],
    ['سوس ماسة', ['أكادير', 'تيزنيت']],
    ['الدار البيضاء سطات', ['الدار البيضاء']],
  ], 'Amazigh', 'expression migrants_refugees', 0.6),
  c('TN', 'Africa', 0.4, [['ar', 1]], 'ar', 'ar fr', '216', [
    ['تونس', ['تونس']],
    ['قفصة', ['الرديف', 'المتلوي']],
    ['صفاقس', ['صفاقس']],
  ], 'Amazigh, Black Tunisian', 'migrants_refugees labour', 0.5),
  // Asia
  c('PH', 'Asia', 6, [['tl', 1]], 'tl', 'fil en ceb', '63', [
    ['Negros Occidental', ['Bacolod', 'Sagay', 'Kabankalan']],
    ['Davao del Sur', ['Davao City']],
    ['Samar', ['Catbalogan', 'Calbayog']],
    ['Metro Manila', ['Quezon City', 'Manila', 'Navotas']],
    ['Kalinga', ['Tabuk']],
    ['Surigao del Sur', ['Tandag', 'Lianga']],
  ], 'Lumad, Manobo, Igorot, Aeta, Dumagat, Kalinga, Moro', 'land_environment labour indigenous_peoples expression'),
  c('IN', 'Asia', 5, [['hi', 1]], 'hi', 'hi en', '91', [
    ['छत्तीसगढ़', ['रायपुर', 'जगदलपुर', 'दंतेवाड़ा']],
    ['झारखंड', ['रांची', 'दुमका']],
    ['ओडिशा', ['भुवनेश्वर', 'रायगढ़ा']],
    ['महाराष्ट्र', ['मुंबई', 'गढ़चिरौली']],
    ['उत्तर प्रदेश', ['लखनऊ', 'वाराणसी']],
    ['दिल्ली', ['नई दिल्ली']],
  ], 'Adivasi (Gond), Adivasi (Santal), Adivasi (Munda), Dalit, Dongria Kondh', 'land_environment indigenous_peoples minorities expression', 0.45),
  c('NP', 'Asia', 0.6, [['ne', 1]], 'ne', 'ne', '977', [
    ['बागमती', ['काठमाडौं', 'ललितपुर']],
    ['मधेश', ['जनकपुर', 'बीरगञ्ज']],
    ['कर्णाली', ['वीरेन्द्रनगर', 'जुम्ला']],
  ], 'Tharu, Tamang, Madhesi, Dalit, Magar', 'minorities justice_impunity', 0.15),
  c('TH', 'Asia', 1.5, [['th', 1]], 'th', 'th', '66', [
    ['เลย', ['วังสะพุง', 'เลย']],
    ['ปัตตานี', ['ปัตตานี', 'ยะรัง']],
    ['เชียงใหม่', ['เชียงใหม่', 'อมก๋อย']],
    ['กรุงเทพมหานคร', ['กรุงเทพมหานคร']],
  ], 'Karen, Malay Muslim, Hmong, Lisu', 'land_environment democracy expression', 0.2),
  c('ID', 'Asia', 1.5, [['id', 1]], 'id', 'id', '62', [
    ['Papua', ['Jayapura', 'Merauke']],
    ['Kalimantan Barat', ['Pontianak', 'Ketapang']],
    ['Jawa Tengah', ['Semarang', 'Pati']],
    ['Sumatera Utara', ['Medan', 'Toba']],
    ['DKI Jakarta', ['Jakarta']],
  ], 'Papuan, Dayak, Batak, Sedulur Sikep', 'land_environment indigenous_peoples expression'),
  c('PK', 'Asia', 1.3, [['ur', 1]], 'ur', 'ur en pa', '92', [
    ['پنجاب', ['لاہور', 'فیصل آباد']],
    ['سندھ', ['کراچی', 'مٹھی']],
    ['خیبر پختونخوا', ['پشاور', 'مینگورہ']],
    ['بلوچستان', ['کوئٹہ']],
  ], 'Baloch, Pashtun, Hazara, Sindhi', 'minorities women disappearances', 0.4),
  c('AF', 'Asia', 0.7, [['fa', 1]], 'fa', 'fa ps', '93', [
    ['کابل', ['کابل']],
    ['هرات', ['هرات']],
    ['بلخ', ['مزار شریف']],
  ], 'Hazara, Tajik, Pashtun, Uzbek', 'women children', 0.3),
  c('IR', 'Asia', 1, [['fa', 1]], 'fa', 'fa ku', '98', [
    ['تهران', ['تهران']],
    ['کردستان', ['سنندج', 'مریوان']],
    ['سیستان و بلوچستان', ['زاهدان']],
    ['خوزستان', ['اهواز']],
  ], 'Kurdish, Baluch, Ahwazi Arab, Azerbaijani', 'women expression minorities', 0.1),
  c('IQ', 'Asia', 1, [['ar', 1]], 'ar', 'ar ku', '964', [
    ['بغداد', ['بغداد']],
    ['البصرة', ['البصرة']],
    ['نينوى', ['الموصل', 'سنجار']],
    ['أربيل', ['أربيل']],
  ], 'Kurdish, Yazidi, Turkmen', 'justice_impunity disappearances minorities', 0.2),
  c('SY', 'Asia', 0.8, [['ar', 1]], 'ar', 'ar ku', '963', [
    ['حلب', ['حلب']],
    ['دمشق', ['دمشق']],
    ['إدلب', ['إدلب']],
    ['الحسكة', ['القامشلي']],
  ], 'Kurdish, Assyrian', 'disappearances justice_impunity', 0.2),
  c('PS', 'Asia', 1.3, [['ar', 1]], 'ar', 'ar', '970', [
    ['الخليل', ['الخليل', 'مسافر يطا']],
    ['رام الله والبيرة', ['رام الله']],
    ['غزة', ['غزة', 'خان يونس']],
    ['نابلس', ['نابلس']],
  ], 'Bedouin', 'land_environment housing justice_impunity', 0.2),
  c('YE', 'Asia', 0.4, [['ar', 1]], 'ar', 'ar', '967', [
    ['صنعاء', ['صنعاء']],
    ['عدن', ['عدن']],
    ['تعز', ['تعز']],
  ], 'Muhamasheen', 'disappearances health', 0.1),
  c('LB', 'Asia', 0.4, [['ar', 1]], 'ar', 'ar fr en', '961', [
    ['بيروت', ['بيروت']],
    ['الشمال', ['طرابلس']],
    ['الجنوب', ['صيدا']],
  ], '', 'migrants_refugees lgbti', 0.3),
  c('SA', 'Asia', 0.2, [['ar', 1]], 'ar', 'ar', '966', [
    ['الرياض', ['الرياض']],
    ['المنطقة الشرقية', ['القطيف']],
  ], '', 'women expression', 0.2),
  c('BH', 'Asia', 0.2, [['ar', 1]], 'ar', 'ar', '973', [['العاصمة', ['المنامة']]], '', 'democracy expression', 0.2),
  c('CN', 'Asia', 1, [['zh', 1]], 'zh', 'zh', '86', [
    ['广东', ['广州', '深圳']],
    ['北京', ['北京']],
    ['四川', ['成都']],
  ], '', 'labour justice_impunity expression', 0.1),
  c('HK', 'Asia', 0.4, [['zh', 1]], 'zh', 'zh-HK en', '852', [
    ['九龍', ['旺角', '深水埗']],
    ['新界', ['沙田', '元朗']],
    ['香港島', ['中西區']],
  ], '', 'democracy expression', 0.3),
  c('KZ', 'Asia', 0.4, [
    ['kk', 0.7],
    ['ru', 0.3],
  ], 'ru', 'kk ru', '7', [ ['Алматы', ['Алматы']], ['Мангистауская область', ['Жанаозен', 'Актау']], ['Астана', ['Астана']], ], '', 'labour expression', 0.2),
  c('KG', 'Asia', 0.3, [['kk', 1]], 'ru', 'ky ru', '996', [
    ['Бишкек', ['Бишкек']],
    ['Ошская область', ['Ош']],
  ], 'Uzbek', 'expression minorities', 0.2),
  c('TR', 'Asia', 1, [['tr', 1]], 'tr', 'tr ku', '90', [
    ['İstanbul', ['İstanbul']],
    ['Diyarbakır', ['Diyarbakır', 'Sur']],
    ['Ankara', ['Ankara']],
    ['Hatay', ['Antakya']],
  ], 'Kurdish, Alevi, Armenian', 'expression justice_impunity minorities'),
  // Europe
  c('RU', 'Europe', 3, [['ru', 1]], 'ru', 'ru', '7', [
    ['Москва', ['Москва']],
    ['Санкт-Петербург', ['Санкт-Петербург']],
    ['Чеченская Республика', ['Грозный']],
    ['Республика Дагестан', ['Махачкала', 'Дербент']],
    ['Краснодарский край', ['Краснодар', 'Сочи']],
    ['Пермский край', ['Пермь']],
  ], 'Chechen, Lezgin, Avar, Ingush', 'expression justice_impunity democracy lgbti', 0.1),
  c('UA', 'Europe', 1.5, [['uk', 1]], 'uk', 'uk ru crh', '380', [
    ['Київ', ['Київ']],
    ['Харківська область', ['Харків']],
    ['Запорізька область', ['Запоріжжя', 'Мелітополь']],
    ['Херсонська область', ['Херсон']],
    ['Автономна Республіка Крим', ['Сімферополь', 'Бахчисарай']],
  ], 'Crimean Tatar, Roma', 'justice_impunity disappearances expression', 0.1),
  c('BY', 'Europe', 0.9, [['ru', 1]], 'ru', 'be ru', '375', [
    ['Мінск', ['Мінск']],
    ['Гомельская вобласць', ['Гомель']],
    ['Гродзенская вобласць', ['Гродна']],
  ], 'Polish minority', 'democracy expression', 0.1),
  c('AZ', 'Europe', 0.4, [['az', 1]], 'az', 'az', '994', [
    ['Bakı', ['Bakı']],
    ['Gəncə', ['Gəncə']],
    ['Lənkəran', ['Lənkəran']],
  ], 'Talysh, Lezgin', 'expression anti_corruption'),
  c('RS', 'Europe', 0.3, [['sr', 1]], 'sr', 'sr', '381', [
    ['Београд', ['Београд']],
    ['Војводина', ['Нови Сад']],
    ['Нишавски округ', ['Ниш']],
  ], 'Roma', 'expression anti_corruption minorities', 0.5),
  c('ES', 'Europe', 0.4, [['es', 1]], 'es', 'es ca', '34', [
    ['Andalucía', ['Sevilla', 'Almería', 'El Ejido']],
    ['Cataluña', ['Barcelona']],
    ['Madrid', ['Madrid']],
  ], 'Gitana', 'migrants_refugees labour housing'),
  c('FR', 'Europe', 0.3, [['fr', 1]], 'fr', 'fr', '33', [
    ['Île-de-France', ['Paris', 'Saint-Denis']],
    ['Hauts-de-France', ['Calais']],
    ["Provence-Alpes-Côte d'Azur", ['Marseille']],
  ], '', 'migrants_refugees housing'),
  c('GB', 'Europe', 0.4, [['en', 1]], 'en', 'en', '44', [
    ['England', ['London', 'Manchester']],
    ['Scotland', ['Glasgow']],
    ['Wales', ['Cardiff']],
  ], '', 'migrants_refugees expression'),
  c('DE', 'Europe', 0.2, [['de', 1]], 'de', 'de tr', '49', [
    ['Berlin', ['Berlin']],
    ['Bayern', ['München']],
    ['Hamburg', ['Hamburg']],
  ], '', 'migrants_refugees'),
  // Oceania
  c('PG', 'Oceania', 0.5, [['pac', 1]], 'en', 'tpi en ho', '675', [
    ['National Capital District', ['Port Moresby']],
    ['Enga', ['Wabag', 'Porgera']],
    ['Bougainville', ['Arawa', 'Buka']],
    ['Morobe', ['Lae']],
  ], 'Huli, Nasioi, Motu Koitabu', 'land_environment women'),
  c('FJ', 'Oceania', 0.35, [['pac', 1]], 'en', 'fj en hif', '679', [
    ['Central', ['Suva', 'Nausori']],
    ['Western', ['Lautoka', 'Nadi', 'Ba']],
    ['Northern', ['Labasa']],
  ], 'iTaukei, Indo-Fijian, Rotuman', 'land_environment women democracy'),
  c('SB', 'Oceania', 0.15, [['pac', 1]], 'en', 'pis en', '677', [
    ['Guadalcanal', ['Honiara']],
    ['Malaita', ['Auki']],
  ], '', 'land_environment women'),
  c('AU', 'Oceania', 0.5, [['en', 1]], 'en', 'en', '61', [
    ['Northern Territory', ['Darwin', 'Alice Springs', 'Yirrkala']],
    ['Western Australia', ['Perth', 'Roebourne']],
    ['Queensland', ['Brisbane', 'Cairns']],
  ], 'Aboriginal, Torres Strait Islander, Yolŋu', 'indigenous_peoples land_environment'),
  c('NZ', 'Oceania', 0.15, [['en', 1]], 'en', 'en mi', '64', [
    ['Auckland', ['Auckland']],
    ['Northland', ['Whangārei', 'Kaitāia']],
  ], 'Māori, Pasifika', 'indigenous_peoples'),
  c('NC', 'Oceania', 0.1, [['fr', 1]], 'fr', 'fr', '687', [
    ['Province Nord', ['Koné', 'Poindimié']],
    ['Province Sud', ['Nouméa']],
  ], 'Kanak', 'indigenous_peoples land_environment'),
];
