/**
 * Name lists for the demo data: personal names by naming culture and collective names by language.
 * Invented combinations of common names; none is meant to designate a real person or organisation.
 * Entries written in a non-Latin script carry their usual Latin transliteration after a `|`, so a
 * record can show a name in either script (as real registries do) and alias one with the other.
 */
import type { CollectiveForm } from '../core/registry/model.ts';

/** How a culture composes a full name from its parts. */
export type NameStyle =
  | 'western' // given surname
  | 'hispanic' // given [second given] paternal [maternal]
  | 'lusophone' // given [da/dos/de] surname [surname]
  | 'arabic' // given father's-given family
  | 'ethiopian' // given father's-given
  | 'chinese' // family + given, no space in Han script
  | 'indonesian' // often a single name
  | 'slavic'; // given surname, surname agreeing with gender

export interface NameCulture {
  style: NameStyle;
  female: readonly string[];
  male: readonly string[];
  surnames: readonly string[];
  /** Nicknames and forms of address a network may know someone by. */
  nicknames?: readonly string[];
}

// biome-ignore format: name lists read better packed than one per line
export const NAME_CULTURES = {
  es: {
    style: 'hispanic',
    female: [
      'María', 'María José', 'Ana Lucía', 'Luz Marina', 'Sofía', 'Lucía', 'Ángela', 'Inés', 'Marisol', 'Yolanda',
      'Rosalba', 'Dolores', 'Mónica', 'Beatriz', 'Gloria', 'Leidy', 'Yaneth', 'Carmen', 'Mariela', 'Nohemí',
      'Esperanza', 'Jazmín', 'Araceli', 'Guadalupe', 'Xóchitl', 'Berta', 'Itzel', 'Francia', 'Eugenia', 'Yésica',
    ],
    male: [
      'José', 'Jesús', 'Andrés', 'Sebastián', 'Óscar', 'Raúl', 'Ramón', 'Héctor', 'Germán', 'Julián', 'Fabián',
      'Camilo', 'Wilson', 'Jhon Jairo', 'Efraín', 'Álvaro', 'Joaquín', 'Iván', 'Nicolás', 'Tomás', 'Rubén', 'Darío',
      'Hernán', 'Cuauhtémoc', 'Néstor', 'Ismael', 'Eliécer', 'Arnulfo',
    ],
    surnames: [
      'Gómez', 'Rodríguez', 'Martínez', 'Hernández', 'López', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Díaz',
      'Muñoz', 'Rojas', 'Álvarez', 'Castaño', 'Peña', 'Cortés', 'Zúñiga', 'Ibáñez', 'Londoño', 'Ospina', 'Guzmán',
      'Vásquez', 'Giraldo', 'Quiñones', 'Valencia', 'Mosquera', 'Caicedo', 'Córdoba', 'Núñez', 'Mejía', 'Orozco',
      'Bermúdez', 'Avendaño', 'Villegas', 'Toro', 'Benítez', 'Domínguez', 'Chávez', 'Jiménez', 'Suárez', 'Ipia', 'Pito',
      'Güetio', 'Epiayú',
    ],
    nicknames: [
      'Chucho', 'Pacho', 'La Mona', 'Profe', 'Don Chepe', 'La Flaca', 'Nena', 'Doña Rosa', 'Toño', 'Lucho', 'Memo',
      'Chela', 'Conchita', 'Mayor',
    ],
  },
  pt: {
    style: 'lusophone',
    female: [
      'Maria', 'Ana Paula', 'Francisca', 'Raimunda', 'Antônia', 'Luíza', 'Conceição', 'Fernanda', 'Patrícia', 'Letícia',
      'Simone', 'Edineia', 'Iracema', 'Cláudia', 'Joana', 'Márcia', 'Tatiane', 'Jéssica', 'Vitória',
    ],
    male: [
      'João', 'José', 'Antônio', 'Francisco', 'Sebastião', 'Raimundo', 'Paulo', 'Marcos', 'Luiz', 'Thiago', 'Gilson',
      'Edivaldo', 'Cícero', 'Damião', 'Valdir', 'Josué', 'Fábio', 'Rogério', 'Caetano', 'Inácio',
    ],
    surnames: [
      'Silva', 'Santos', 'Oliveira', 'Souza', 'Lima', 'Pereira', 'Ferreira', 'Costa', 'Rodrigues', 'Almeida',
      'Nascimento', 'Araújo', 'Conceição', 'Gonçalves', 'Magalhães', 'Simões', 'Guimarães', 'Brandão', 'Sampaio',
      'Macedo', 'Bezerra', 'Cavalcante', 'Tenório', 'Assunção', 'Ribeiro', 'Carvalho', 'Barbosa', 'Tembe', 'Cossa',
      'Nhantumbo', 'Muianga', 'Sitoe',
    ],
    nicknames: ['Zé', 'Tião', 'Biu', 'Neném', 'Dona Raimunda', 'Mestre', 'Cacique', 'Tia Preta', 'Dinho'],
  },
  fr: {
    style: 'western',
    female: [
      'Marie', 'Hélène', 'Béatrice', 'Élise', 'Geneviève', 'Thérèse', 'Joséphine', 'Céline', 'Mireille', 'Odile',
      'Françoise', 'Noémie', 'Aurélie', 'Anaïs', 'Guerline', 'Wideline', 'Nadège',
    ],
    male: [
      'Jean', 'Jérôme', 'François', 'Aimé', 'Noël', 'Rémi', 'Grégoire', 'Théo', 'Benoît', 'Étienne', 'Hervé', 'Loïc',
      'Frédéric', 'Dieudonné', 'Fritznel', 'Wilfrid',
    ],
    surnames: [
      'Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Girard', 'Rousseau', 'Mercier', 'Faure', 'Chevalier',
      'Bélanger', 'Gagné', 'Côté', 'Lévesque', 'Pierre', 'Joseph', 'Saint-Fleur', 'Jean-Baptiste', 'Dorélien', 'Désir',
      'Wamytan', 'Gorodey',
    ],
  },
  en: {
    style: 'western',
    female: [
      'Sarah', 'Emily', 'Grace', 'Olivia', 'Jessica', 'Aisha', 'Hannah', 'Rebecca', 'Mary', 'Chloe', 'Precious',
      'Naomi', 'Aroha', 'Mere', 'Shanice', 'Keisha',
    ],
    male: [
      'James', 'John', 'Michael', 'Daniel', 'David', 'Joshua', 'Samuel', 'Liam', 'Patrick', 'Jacob', 'Ethan', 'Marcus',
      'Wiremu', 'Rawiri', 'Darnell',
    ],
    surnames: [
      'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Taylor', 'Wilson', 'Thompson', 'White', 'Martin', "O'Brien",
      'MacLeod', 'Begay', 'Tsosie', 'Yazzie', 'Ngata', 'Tipene', 'Walker', 'Jackson', 'Morgan',
    ],
  },
  de: {
    style: 'western',
    female: ['Anna', 'Lena', 'Jana', 'Sophie', 'Anneliese', 'Käthe', 'Birgit', 'Miriam', 'Ülkü', 'Jördis'],
    male: ['Jonas', 'Lukas', 'Jürgen', 'Maximilian', 'Jörg', 'Tobias', 'Matthias', 'Björn', 'Cem', 'Ömer'],
    surnames: [
      'Müller', 'Schäfer', 'Weiß', 'Krüger', 'Becker', 'Groß', 'Schröder', 'Köhler', 'Hoffmann', 'Wagner', 'Yılmaz',
      'Nowak', 'Fuchs', 'Böhm',
    ],
  },
  sw: {
    style: 'western',
    female: [
      'Wanjiru', 'Achieng', 'Njeri', 'Wambui', 'Atieno', 'Akinyi', 'Nyambura', 'Chebet', 'Neema', 'Zawadi', 'Halima',
      'Mwanaisha', 'Nakato', 'Namutebi', 'Akello', 'Imani', 'Rehema', 'Esther',
    ],
    male: [
      'Otieno', 'Kamau', 'Mwangi', 'Odhiambo', 'Kiprono', 'Wekesa', 'Juma', 'Baraka', 'Amani', 'Omondi', 'Mukasa',
      'Okello', 'Ssempala', 'Hassan', 'Emmanuel', 'Joseph', 'Onyango',
    ],
    surnames: [
      'Otieno', 'Mwangi', 'Kamau', 'Odhiambo', 'Wanjiku', 'Njoroge', 'Kariuki', 'Ochieng', 'Mutua', 'Kiplagat',
      'Chepkoech', 'Wafula', 'Barasa', 'Mohamed', 'Omar', 'Namubiru', 'Okello', 'Kato', 'Mwakyusa', 'Massawe', 'Mushi',
      'Lyimo', 'Ole Sankale', 'Lekishon',
    ],
    nicknames: ['Mwalimu', 'Mama Amani', 'Baba Neema', 'Mzee', 'Dada', 'Mama Mboga', 'Kaka'],
  },
  cd: {
    style: 'western',
    female: [
      'Espérance', 'Bénédicte', 'Jeanine', 'Chantal', 'Solange', 'Néema', 'Furaha', 'Aline', 'Clarisse', 'Rachel',
      'Grâce', 'Dorcas', 'Nadine',
    ],
    male: [
      'Josué', 'Déogratias', 'Félicien', 'Patient', 'Justin', 'Dieudonné', 'Trésor', 'Christian', 'Papy', 'Gloire',
      'Innocent', 'Fiston', 'Sylvestre',
    ],
    surnames: [
      'Mbuyi', 'Kalala', 'Ilunga', 'Tshibangu', 'Mukendi', 'Kasongo', 'Lumbala', 'Nsimba', 'Mwamba', 'Kahindo',
      'Masika', 'Kavira', 'Bahati', 'Muhindo', 'Kambale', 'Niyonzima', 'Hakizimana', 'Ngono', 'Essomba', 'Fotso',
      'Mballa', 'Tchoumi', 'Nkeng',
    ],
    nicknames: ['Maman Furaha', 'Papa Trésor', 'Le Prof', 'Tantine', 'Grand Frère'],
  },
  wa: {
    style: 'western',
    female: [
      'Aminata', 'Fatoumata', 'Mariam', 'Awa', 'Kadiatou', 'Rokia', 'Adja', 'Salimata', 'Ramata', 'Aïssata', 'Bintou',
      'Coumba',
    ],
    male: [
      'Moussa', 'Ousmane', 'Boubacar', 'Ibrahima', 'Mamadou', 'Cheikh', 'Seydou', 'Souleymane', 'Abdoulaye', 'Amadou',
      'Issouf', 'Lassina',
    ],
    surnames: [
      'Diallo', 'Traoré', 'Coulibaly', 'Keïta', 'Diop', 'Ndiaye', 'Sow', 'Ouédraogo', 'Sawadogo', 'Kaboré', 'Sangaré',
      'Konaté', 'Cissé', 'Dembélé', 'Touré', 'Faye', 'Sarr', 'Zongo',
    ],
  },
  ng: {
    style: 'western',
    female: [
      'Ngozi', 'Chiamaka', 'Adaeze', 'Fọláké', 'Títílayọ̀', 'Morẹ́nikẹ́', 'Hauwa', 'Zainab', 'Amina', 'Blessing',
      'Ifeoma', 'Yétúndé',
    ],
    male: [
      'Chukwuemeka', 'Olúwaségun', 'Adébáyọ̀', 'Ọlálékan', 'Tunde', 'Ikechukwu', 'Emeka', 'Aminu', 'Ibrahim', 'Usman',
      'Babajide', 'Kelechi', 'Ledum',
    ],
    surnames: [
      'Okonkwo', 'Eze', 'Nwosu', 'Okafor', 'Adéyẹmí', 'Ọlátúnjí', 'Balogun', 'Bello', 'Abubakar', 'Mohammed', 'Danjuma',
      'Akpan', 'Etim', 'Dike', 'Obi', 'Nwiido', 'Barikor',
    ],
  },
  za: {
    style: 'western',
    female: [
      'Thandiwe', 'Nomvula', 'Lindiwe', 'Zanele', 'Nokuthula', 'Rutendo', 'Chipo', 'Nyasha', 'Tendai', 'Palesa',
      'Refilwe', 'Busisiwe',
    ],
    male: [
      'Sipho', 'Bongani', 'Thabo', 'Mandla', 'Themba', 'Sizwe', 'Tatenda', 'Farai', 'Tafadzwa', 'Kagiso', 'Lwazi',
      'Mthunzi',
    ],
    surnames: [
      'Dlamini', 'Nkosi', 'Ndlovu', 'Khumalo', 'Mokoena', 'Mthembu', 'Zulu', 'Moyo', 'Ncube', 'Sibanda', 'Dube',
      'Mlambo', 'Chikomba', 'Maseko', 'Radebe', 'Pillay', 'Adams', 'Jacobs',
    ],
    nicknames: ['Mam’ Thandi', 'Baba Sipho', 'Comrade T', 'Sisi', 'Bra Themba'],
  },
  am: {
    style: 'ethiopian',
    female: [
      'ሰላም|Selam', 'ትዕግስት|Tigist', 'መሰረት|Meseret', 'ፀሐይ|Tsehay', 'ማርታ|Marta', 'ሄለን|Helen', 'አስቴር|Aster', 'ሕይወት|Hiwot',
      'ፋጡማ|Fatuma', 'ሃና|Hana', 'ራሄል|Rahel', 'ብርቱካን|Birtukan',
    ],
    male: [
      'አበበ|Abebe', 'ዳዊት|Dawit', 'ብርሃኑ|Berhanu', 'ዮሐንስ|Yohannes', 'ተስፋዬ|Tesfaye', 'ግርማ|Girma', 'ሰለሞን|Solomon',
      'መስፍን|Mesfin', 'ኤርሚያስ|Ermias', 'ጌታቸው|Getachew', 'ሙሉጌታ|Mulugeta', 'ቢኒያም|Biniam',
    ],
    surnames: [],
  },
  ar: {
    style: 'arabic',
    female: [
      'فاطمة|Fatima', 'مريم|Mariam', 'ليلى|Layla', 'نور|Nour', 'سارة|Sara', 'زينب|Zeinab', 'هدى|Huda', 'سلمى|Salma',
      'منى|Mona', 'رنا|Rana', 'آمنة|Amina', 'خديجة|Khadija', 'ياسمين|Yasmine', 'دعاء|Doaa', 'إسراء|Israa', 'رحاب|Rehab',
    ],
    male: [
      'محمد|Mohammed', 'أحمد|Ahmed', 'يوسف|Youssef', 'خالد|Khaled', 'عمر|Omar', 'حسن|Hassan', 'علي|Ali', 'رامي|Rami',
      'كريم|Karim', 'إبراهيم|Ibrahim', 'سامر|Samer', 'طارق|Tarek', 'عبد الله|Abdullah', 'مصطفى|Mostafa', 'باسل|Basel',
      'وليد|Walid',
    ],
    surnames: [
      'الحسيني|Al-Husseini', 'منصور|Mansour', 'حداد|Haddad', 'خليل|Khalil', 'الشامي|Al-Shami', 'النجار|Al-Najjar',
      'سليمان|Suleiman', 'العمري|Al-Omari', 'الزين|El-Zein', 'عثمان|Osman', 'الصالح|Al-Saleh', 'عبد الرحمن|Abdelrahman',
      'الخطيب|Al-Khatib', 'الأمين|El-Amin', 'بوزيد|Bouzid', 'العلوي|El Alaoui', 'الإدريسي|El Idrissi', 'حمدان|Hamdan',
      'البدوي|Al-Badawi', 'أبو عيشة|Abu Aisha',
    ],
    nicknames: ['أم يوسف|Umm Youssef', 'أبو خالد|Abu Khaled', 'الأستاذ|Al-Ustaz', 'أم علي|Umm Ali'],
  },
  fa: {
    style: 'western',
    female: [
      'مریم|Maryam', 'زهرا|Zahra', 'نرگس|Narges', 'فاطمه|Fatemeh', 'سارا|Sara', 'نسرین|Nasrin', 'شیرین|Shirin',
      'لیلا|Leila', 'پریسا|Parisa', 'مهسا|Mahsa', 'سپیده|Sepideh', 'آزاده|Azadeh',
    ],
    male: [
      'علی|Ali', 'رضا|Reza', 'حسین|Hossein', 'محمد|Mohammad', 'امید|Omid', 'بهروز|Behrouz', 'کاوه|Kaveh', 'مهدی|Mehdi',
      'سعید|Saeed', 'فرهاد|Farhad', 'آرش|Arash', 'ناصر|Naser',
    ],
    surnames: [
      'احمدی|Ahmadi', 'محمدی|Mohammadi', 'حسینی|Hosseini', 'رضایی|Rezaei', 'کریمی|Karimi', 'موسوی|Mousavi',
      'جعفری|Jafari', 'صادقی|Sadeghi', 'رحیمی|Rahimi', 'نوری|Nouri', 'قاسمی|Ghasemi', 'کاظمی|Kazemi', 'یوسفی|Yousefi',
      'هزاره|Hazara', 'بلوچزهی|Balochzehi',
    ],
  },
  ur: {
    style: 'western',
    female: [
      'عائشہ|Ayesha', 'فاطمہ|Fatima', 'صائمہ|Saima', 'نادیہ|Nadia', 'رابعہ|Rabia', 'سدرہ|Sidra', 'حنا|Hina',
      'ثمینہ|Samina', 'عاصمہ|Asma', 'کنول|Kanwal',
    ],
    male: [
      'عمران|Imran', 'بلال|Bilal', 'عثمان|Usman', 'حمزہ|Hamza', 'فیصل|Faisal', 'زاہد|Zahid', 'ندیم|Nadeem',
      'جاوید|Javed', 'سلیم|Saleem', 'عرفان|Irfan',
    ],
    surnames: [
      'خان|Khan', 'بٹ|Butt', 'شاہ|Shah', 'قریشی|Qureshi', 'ملک|Malik', 'چودھری|Chaudhry', 'بلوچ|Baloch', 'مری|Marri',
      'مسیح|Masih', 'انصاری|Ansari', 'رانا|Rana', 'اعوان|Awan',
    ],
  },
  tl: {
    style: 'western',
    female: [
      'Maria Teresa', 'Maricel', 'Rowena', 'Analyn', 'Jocelyn', 'Marites', 'Rosario', 'Lorna', 'Cristina', 'Liezel',
      'Jennilyn', 'Rhodora', 'Amihan', 'Ligaya', 'Dalisay', 'Bai Bibyaon',
    ],
    male: [
      'Jose Maria', 'Rodel', 'Jericho', 'Ramon', 'Ernesto', 'Jonathan', 'Romeo', 'Arnel', 'Rolando', 'Bayani', 'Dakila',
      'Lakan', 'Randy', 'Efren', 'Datu Dulphing',
    ],
    surnames: [
      'Dela Cruz', 'Santos', 'Reyes', 'Bautista', 'Villanueva', 'Macaraeg', 'Dimaculangan', 'Magbanua', 'Peñaflor',
      'Ibañez', 'Nuñez', 'Dumalagan', 'Mangubat', 'Ocampo', 'Castillo', 'Tolentino', 'Mendoza', 'Garcia', 'Salazar',
      'Lumbay', 'Manlapaz', 'Malaya', 'Sinumlag',
    ],
    nicknames: [
      'Ka Bayani', 'Ate Weng', 'Kuya Jun', 'Nanay Ising', 'Tatay Boy', 'Ka Ambo', 'Inday', 'Dodong', 'Bebang',
    ],
  },
  id: {
    style: 'indonesian',
    female: [
      'Siti', 'Dewi', 'Rina', 'Putri', 'Nur', 'Sri', 'Wulan', 'Ratna', 'Yuliana', 'Agustina', 'Ningsih', 'Mama Yosepha',
    ],
    male: ['Budi', 'Agus', 'Wahyu', 'Dedi', 'Rudi', 'Yohanes', 'Markus', 'Andi', 'Bambang', 'Hendra', 'Arif', 'Yosep'],
    surnames: [
      'Rahmawati', 'Santoso', 'Hidayat', 'Wibowo', 'Saragih', 'Simanjuntak', 'Lubis', 'Tambunan', 'Pakpahan', 'Kogoya',
      'Yikwa', 'Wonda', 'Rumbiak', 'Sitompul', 'Nainggolan', 'Setiawan', 'Kurniawan', 'Pratama', 'Saputra', 'Susanti',
    ],
  },
  hi: {
    style: 'western',
    female: [
      'प्रिया|Priya', 'सुनीता|Sunita', 'अनीता|Anita', 'कविता|Kavita', 'पूजा|Pooja', 'लक्ष्मी|Lakshmi', 'सोनी|Soni',
      'मीना|Meena', 'रीना|Reena', 'सरस्वती|Saraswati', 'दीपिका|Deepika', 'आशा|Asha', 'ज्योति|Jyoti', 'फूलमनी|Phulmani',
      'फ़ातिमा|Fatima', 'आयशा|Ayesha',
    ],
    male: [
      'राहुल|Rahul', 'अमित|Amit', 'विजय|Vijay', 'रवि|Ravi', 'अर्जुन|Arjun', 'संजय|Sanjay', 'सुरेश|Suresh',
      'रमेश|Ramesh', 'हिमांशु|Himanshu', 'सोनू|Sonu', 'बिरसा|Birsa', 'लिंगा|Linga', 'मनोज|Manoj', 'दिनेश|Dinesh',
      'इमरान|Imran', 'ज़ुबैर|Zubair',
    ],
    surnames: [
      'शर्मा|Sharma', 'वर्मा|Verma', 'यादव|Yadav', 'कुमार|Kumar', 'सिंह|Singh', 'पटेल|Patel', 'मीणा|Meena',
      'मुंडा|Munda', 'उरांव|Oraon', 'सोरेन|Soren', 'हेम्ब्रम|Hembrom', 'जाटव|Jatav', 'कुजूर|Kujur', 'टुडू|Tudu',
      'नेताम|Netam', 'कश्यप|Kashyap', 'प्रसाद|Prasad', 'ख़ान|Khan', 'अंसारी|Ansari',
    ],
    nicknames: ['दीदी|Didi', 'भैया|Bhaiya', 'मास्टरजी|Masterji', 'अम्मा|Amma'],
  },
  ne: {
    style: 'western',
    female: [
      'सीता|Sita', 'गीता|Gita', 'सरिता|Sarita', 'सुनिता|Sunita', 'मञ्जु|Manju', 'बिना|Bina', 'कमला|Kamala',
      'लक्ष्मी|Laxmi', 'अनिता|Anita', 'पवित्रा|Pabitra',
    ],
    male: [
      'राम|Ram', 'हरि|Hari', 'बिनोद|Binod', 'सुरेश|Suresh', 'दीपक|Deepak', 'राजेश|Rajesh', 'बिष्णु|Bishnu',
      'कृष्ण|Krishna', 'प्रकाश|Prakash', 'गणेश|Ganesh',
    ],
    surnames: [
      'श्रेष्ठ|Shrestha', 'गुरुङ|Gurung', 'तामाङ|Tamang', 'थापा|Thapa', 'राई|Rai', 'मगर|Magar', 'चौधरी|Chaudhary',
      'विश्वकर्मा|Bishwakarma', 'यादव|Yadav', 'लिम्बु|Limbu', 'अधिकारी|Adhikari', 'पौडेल|Paudel', 'साह|Sah',
    ],
  },
  th: {
    style: 'western',
    female: [
      'สุดา|Suda', 'พิมพ์ใจ|Pimjai', 'วิไล|Wilai', 'นภา|Napha', 'อรุณี|Arunee', 'กาญจนา|Kanchana', 'สมศรี|Somsri',
      'รัตนา|Rattana', 'ปราณี|Pranee', 'จันทร์เพ็ญ|Chanpen',
    ],
    male: [
      'สมชาย|Somchai', 'อนันต์|Anan', 'ประเสริฐ|Prasert', 'สมศักดิ์|Somsak', 'วีระ|Weera', 'ชัยวัฒน์|Chaiwat',
      'บุญมี|Boonmee', 'สุรชัย|Surachai', 'ธนพล|Thanaphon', 'พงศ์ศักดิ์|Pongsak',
    ],
    surnames: [
      'ศรีสุข|Srisuk', 'วงศ์ใหญ่|Wongyai', 'แก้วมณี|Kaewmanee', 'บุญมา|Boonma', 'ทองดี|Thongdee', 'สุขสวัสดิ์|Suksawat',
      'จันทร์แก้ว|Chankaew', 'พรหมมา|Promma', 'อินทร์แก้ว|Inkaew', 'ใจดี|Jaidee', 'ศรีวงศ์|Sriwong',
    ],
    nicknames: ['ป้าแดง|Pa Daeng', 'พี่น้อย|Phi Noi', 'ลุงชัย|Lung Chai', 'น้องแพรว|Nong Praew'],
  },
  zh: {
    style: 'chinese',
    female: [
      '芳|Fang', '丽|Li', '静|Jing', '敏|Min', '婷|Ting', '秀英|Xiuying', '晓燕|Xiaoyan', '雪梅|Xuemei', '佳怡|Jiayi', '美玲|Meiling',
      '嘉欣|Ka-yan',
    ],
    male: [
      '伟|Wei', '磊|Lei', '军|Jun', '洋|Yang', '建华|Jianhua', '志强|Zhiqiang', '浩然|Haoran', '子轩|Zixuan', '俊杰|Junjie',
      '文博|Wenbo', '家明|Ka-ming',
    ],
    surnames: [
      '王|Wang', '李|Li', '张|Zhang', '刘|Liu', '陈|Chen', '杨|Yang', '黄|Huang', '赵|Zhao', '周|Zhou', '吴|Wu', '徐|Xu', '孙|Sun',
      '林|Lin', '郭|Guo', '何|He',
    ],
  },
  ru: {
    style: 'slavic',
    female: [
      'Анна|Anna', 'Екатерина|Ekaterina', 'Ольга|Olga', 'Наталья|Natalya', 'Мария|Maria', 'Юлия|Yulia',
      'Татьяна|Tatiana', 'Светлана|Svetlana', 'Елена|Elena', 'Ирина|Irina', 'Дарья|Darya', 'Зарема|Zarema',
      'Мадина|Madina', 'Алеся|Alesya',
    ],
    male: [
      'Дмитрий|Dmitry', 'Сергей|Sergey', 'Алексей|Alexey', 'Игорь|Igor', 'Николай|Nikolai', 'Андрей|Andrei',
      'Михаил|Mikhail', 'Павел|Pavel', 'Илья|Ilya', 'Руслан|Ruslan', 'Магомед|Magomed', 'Ислам|Islam', 'Алесь|Ales',
    ],
    surnames: [
      'Иванов|Ivanov', 'Смирнов|Smirnov', 'Кузнецов|Kuznetsov', 'Попов|Popov', 'Соколов|Sokolov', 'Лебедев|Lebedev',
      'Козлов|Kozlov', 'Новиков|Novikov', 'Морозов|Morozov', 'Волков|Volkov', 'Соловьёв|Solovyov', 'Васильев|Vasilyev',
      'Зайцев|Zaitsev', 'Павлов|Pavlov', 'Магомедов|Magomedov', 'Исаев|Isaev', 'Гаджиев|Gadzhiev', 'Беляев|Belyaev',
      'Степанов|Stepanov', 'Никитин|Nikitin', 'Фомин|Fomin', 'Ильин|Ilyin',
    ],
  },
  uk: {
    style: 'western',
    female: [
      'Олена|Olena', 'Оксана|Oksana', 'Ірина|Iryna', 'Наталія|Nataliia', 'Юлія|Yuliia', 'Тетяна|Tetiana',
      'Катерина|Kateryna', 'Анастасія|Anastasiia', 'Ольга|Olha', 'Марія|Mariia', 'Софія|Sofiia', 'Ельміра|Elmira',
      'Ліля|Lilia',
    ],
    male: [
      'Тарас|Taras', 'Богдан|Bohdan', 'Андрій|Andrii', 'Олександр|Oleksandr', 'Дмитро|Dmytro', 'Сергій|Serhii',
      'Микола|Mykola', 'Василь|Vasyl', 'Юрій|Yurii', 'Євген|Yevhen', 'Ігор|Ihor', 'Ремзі|Remzi', 'Ескендер|Eskender',
    ],
    surnames: [
      'Шевченко|Shevchenko', 'Коваленко|Kovalenko', 'Бондаренко|Bondarenko', 'Ткаченко|Tkachenko',
      'Кравченко|Kravchenko', 'Мельник|Melnyk', 'Поліщук|Polishchuk', 'Бойко|Boiko', 'Ковальчук|Kovalchuk',
      'Савченко|Savchenko', 'Марченко|Marchenko', 'Руденко|Rudenko', 'Лисенко|Lysenko', 'Гуменюк|Humeniuk',
    ],
  },
  kk: {
    style: 'slavic',
    female: [
      'Айгерим|Aigerim', 'Асель|Assel', 'Жанар|Zhanar', 'Динара|Dinara', 'Гульнара|Gulnara', 'Айжан|Aizhan',
      'Мадина|Madina', 'Салтанат|Saltanat', 'Назгуль|Nazgul', 'Бермет|Bermet',
    ],
    male: [
      'Нурлан|Nurlan', 'Ерлан|Yerlan', 'Бауыржан|Baurzhan', 'Асхат|Askhat', 'Данияр|Daniyar', 'Азамат|Azamat',
      'Марат|Marat', 'Бахыт|Bakhyt', 'Улан|Ulan', 'Талант|Talant',
    ],
    surnames: [
      'Ахметов|Akhmetov', 'Жумабаев|Zhumabayev', 'Омаров|Omarov', 'Касымов|Kassymov', 'Абдрахманов|Abdrakhmanov',
      'Исмаилов|Ismailov', 'Садыков|Sadykov', 'Нурмагамбетов|Nurmagambetov', 'Бекмуратов|Bekmuratov', 'Асанов|Asanov',
      'Мамбетов|Mambetov',
    ],
  },
  sr: {
    style: 'western',
    female: [
      'Јелена|Jelena', 'Марија|Marija', 'Ана|Ana', 'Милица|Milica', 'Јована|Jovana', 'Драгана|Dragana',
      'Снежана|Snežana', 'Тијана|Tijana',
    ],
    male: [
      'Никола|Nikola', 'Марко|Marko', 'Стефан|Stefan', 'Душан|Dušan', 'Милош|Miloš', 'Небојша|Nebojša', 'Горан|Goran',
      'Дејан|Dejan',
    ],
    surnames: [
      'Јовановић|Jovanović', 'Петровић|Petrović', 'Николић|Nikolić', 'Марковић|Marković', 'Ђорђевић|Đorđević',
      'Стојановић|Stojanović', 'Илић|Ilić', 'Станковић|Stanković', 'Павловић|Pavlović', 'Живковић|Živković',
      'Тодоровић|Todorović',
    ],
  },
  tr: {
    style: 'western',
    female: [
      'Ayşe', 'Elif', 'Zeynep', 'Şule', 'Gülşen', 'Özlem', 'Nurcan', 'Berfin', 'Rojda', 'Derya', 'Sevgi', 'Hülya',
    ],
    male: [
      'Mehmet', 'Mustafa', 'Ahmet', 'Çağlar', 'Barış', 'Emre', 'Ümit', 'Serhat', 'Rıza', 'Erdal', 'Deniz', 'Welat',
      'Şiyar',
    ],
    surnames: [
      'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan', 'Doğan', 'Kılıç',
      'Aslan', 'Çetin', 'Kurt', 'Güneş', 'Ekinci', 'Tekin',
    ],
  },
  az: {
    style: 'slavic',
    female: ['Leyla', 'Günel', 'Aytən', 'Səbinə', 'Nərmin', 'Aynur', 'Könül', 'Xədicə', 'Gülnar'],
    male: ['Elçin', 'Rəşad', 'Tural', 'Anar', 'Vüqar', 'Emin', 'Orxan', 'İlkin', 'Fuad'],
    surnames: ['Məmmədov', 'Hüseynov', 'Quliyev', 'Həsənov', 'İsmayılov', 'Abbasov', 'Rzayev', 'Cəfərov', 'Nəsirov'],
  },
  pac: {
    style: 'western',
    female: [
      'Mereani', 'Litia', 'Losana', 'Kalolaine', 'Sereana', 'Ana', 'Vasemaca', 'Salote', 'Ruth', 'Miriam', 'Theresa',
      'Dorothy',
    ],
    male: [
      'Josaia', 'Sione', 'Timote', 'Peni', 'Vilikesa', 'Iliesa', 'Jone', 'Tevita', 'Kila', 'Moses', 'Paul', 'Joseph',
    ],
    surnames: [
      'Naivalu', 'Ratuva', 'Tuilau', 'Kaufana', 'Waqa', 'Koroi', 'Taufa', 'Mausio', 'Kaupa', 'Wari', 'Pokana', 'Tamate',
      'Kolo', 'Naqiri', 'Vunivalu', 'Siune',
    ],
    nicknames: ['Nau Mere', 'Bubu', 'Big Man Kila', 'Ta Jone'],
  },
} as const satisfies Record<string, NameCulture>;

export type CultureCode = keyof typeof NAME_CULTURES;

/** A template for the name of a collective; `{place}` becomes a locality or region of its country. */
export interface CollectiveTemplate {
  form: CollectiveForm;
  /** Actor-type codes (from the seed vocabulary) that such a collective carries. */
  types: readonly string[];
  /** Rights-area codes such a collective usually works on. */
  areas: readonly string[];
  text: string;
}

const t = (form: CollectiveForm, types: string, areas: string, text: string): CollectiveTemplate => ({
  form,
  types: types === '' ? [] : types.split(','),
  areas: areas.split(','),
  text,
});

export const COLLECTIVE_TEMPLATES = {
  es: [
    t('organisation', 'ngo', 'women', 'Asociación de Mujeres Defensoras de {place}'),
    t('organisation', 'ngo', 'justice_impunity', 'Comité de Derechos Humanos de {place}'),
    t('organisation', 'ngo', 'justice_impunity,disappearances', 'Corporación Jurídica de {place}'),
    t('organisation', 'trade_union', 'labour', 'Sindicato de Trabajadores Agrícolas de {place}'),
    t('community', 'minority_group', 'land_environment,minorities', 'Consejo Comunitario de {place}'),
    t('community', 'minority_group', 'indigenous_peoples,land_environment', 'Cabildo Indígena de {place}'),
    t('community', '', 'land_environment', 'Junta de Acción Comunal de {place}'),
    t('group_or_movement', 'social_movement', 'land_environment', 'Movimiento en Defensa del Territorio de {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'Colectivo Juvenil {place} Resiste'),
    t('group_or_movement', 'social_movement', 'disappearances', 'Madres Buscadoras de {place}'),
    t('network', 'journalist', 'expression', 'Red de Periodistas Comunitarios de {place}'),
    t('network', 'social_movement', 'women', 'Red de Defensoras de {place}'),
  ],
  pt: [
    t('organisation', 'ngo', 'land_environment', 'Associação dos Trabalhadores Rurais de {place}'),
    t('organisation', 'trade_union', 'labour', 'Sindicato dos Trabalhadores e Trabalhadoras Rurais de {place}'),
    t('organisation', 'ngo', 'justice_impunity', 'Centro de Defesa dos Direitos Humanos de {place}'),
    t('community', 'minority_group', 'land_environment,minorities', 'Comunidade Quilombola de {place}'),
    t('community', 'minority_group', 'indigenous_peoples', 'Conselho Indígena de {place}'),
    t('group_or_movement', 'social_movement', 'housing', 'Movimento dos Sem-Teto de {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'Coletivo Jovem de {place}'),
    t('network', 'journalist', 'expression', 'Rede de Comunicadores Populares de {place}'),
    t('network', 'social_movement', 'women', 'Articulação de Mulheres Defensoras de {place}'),
  ],
  fr: [
    t('organisation', 'ngo', 'women', 'Association des Femmes Juristes de {place}'),
    t('organisation', 'ngo', 'justice_impunity', 'Ligue pour la Défense des Droits Humains de {place}'),
    t('organisation', 'trade_union', 'labour', 'Syndicat des Travailleurs Miniers de {place}'),
    t('community', 'minority_group', 'land_environment', 'Communauté riveraine de {place}'),
    t('community', 'minority_group', 'indigenous_peoples,land_environment', 'Communauté autochtone de {place}'),
    t('group_or_movement', 'social_movement', 'democracy', 'Mouvement citoyen « Debout {place} »'),
    t('group_or_movement', 'youth_group', 'democracy', 'Collectif des Jeunes de {place}'),
    t('network', 'journalist', 'expression', 'Réseau des Journalistes pour les Droits Humains de {place}'),
    t('network', 'ngo', 'justice_impunity', 'Coalition des Défenseurs des Droits Humains de {place}'),
  ],
  en: [
    t('organisation', 'ngo', 'justice_impunity', '{place} Human Rights Centre'),
    t('organisation', 'ngo', 'women', '{place} Women Defenders Association'),
    t('organisation', 'trade_union', 'labour', "{place} Workers' Union"),
    t('community', 'minority_group', 'indigenous_peoples,land_environment', '{place} Land Defence Council'),
    t('community', '', 'housing', '{place} Residents Committee'),
    t('group_or_movement', 'social_movement', 'land_environment', '{place} Climate Justice Collective'),
    t('group_or_movement', 'youth_group', 'democracy', '{place} Youth for Change'),
    t('network', 'journalist', 'expression', '{place} Independent Journalists Network'),
    t('network', 'ngo', 'justice_impunity', '{place} Defenders Coalition'),
  ],
  de: [
    t('organisation', 'ngo', 'migrants_refugees', 'Flüchtlingsrat {place}'),
    t('organisation', 'ngo', 'justice_impunity', 'Menschenrechtsbüro {place}'),
    t('group_or_movement', 'social_movement', 'housing', 'Mieterinitiative {place}'),
    t('community', '', 'migrants_refugees', 'Nachbarschaftshilfe {place}'),
    t('network', 'journalist', 'expression', 'Netzwerk Freie Presse {place}'),
  ],
  sw: [
    t('organisation', 'ngo', 'women', 'Chama cha Wanawake Watetezi wa {place}'),
    t('organisation', 'ngo', 'justice_impunity', 'Kituo cha Haki za Binadamu {place}'),
    t('organisation', 'trade_union', 'labour', 'Chama cha Wafanyakazi wa Mashambani {place}'),
    t('community', 'minority_group', 'indigenous_peoples,land_environment', 'Jamii ya Wafugaji wa {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'Umoja wa Vijana {place}'),
    t('group_or_movement', 'social_movement', 'housing', 'Kikundi cha Haki ya Makazi {place}'),
    t('network', 'journalist', 'expression', 'Mtandao wa Waandishi wa Habari {place}'),
    t('network', 'ngo', 'justice_impunity', 'Mtandao wa Watetezi wa Haki za Binadamu {place}'),
  ],
  tl: [
    t('organisation', 'ngo', 'land_environment', 'Samahan ng mga Magsasaka ng {place}'),
    t('organisation', 'trade_union', 'labour', 'Unyon ng mga Manggagawa sa {place}'),
    t('organisation', 'ngo', 'justice_impunity', 'Tanggol Karapatan {place}'),
    t('community', 'minority_group', 'indigenous_peoples', 'Konseho ng mga Katutubo ng {place}'),
    t('group_or_movement', 'social_movement', 'land_environment', 'Kilusan para sa Lupa ng {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'Kabataan para sa Bayan – {place}'),
    t('network', 'journalist', 'expression', 'Network ng mga Mamamahayag ng {place}'),
    t('network', 'social_movement', 'women', 'Alyansa ng Kababaihan ng {place}'),
  ],
  id: [
    t('organisation', 'ngo', 'justice_impunity', 'Lembaga Bantuan Hukum {place}'),
    t('organisation', 'trade_union', 'labour', 'Serikat Buruh {place}'),
    t('organisation', 'ngo', 'land_environment', 'Forum Lingkungan Hidup {place}'),
    t('community', 'minority_group', 'indigenous_peoples', 'Masyarakat Adat {place}'),
    t('group_or_movement', 'social_movement', 'land_environment', 'Gerakan Tolak Tambang {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'Pemuda Peduli {place}'),
    t('network', 'journalist', 'expression', 'Jaringan Jurnalis Independen {place}'),
    t('network', 'ngo', 'indigenous_peoples', 'Aliansi Masyarakat Adat {place}'),
  ],
  tr: [
    t('organisation', 'ngo', 'justice_impunity', '{place} İnsan Hakları Derneği'),
    t('organisation', 'ngo', 'women', '{place} Kadın Dayanışma Vakfı'),
    t('organisation', 'trade_union', 'labour', '{place} İşçi Sendikası'),
    t('community', 'minority_group', 'minorities', '{place} Köy Derneği'),
    t('group_or_movement', 'social_movement', 'land_environment', '{place} Çevre Platformu'),
    t('group_or_movement', 'youth_group', 'democracy', '{place} Gençlik Meclisi'),
    t('network', 'journalist', 'expression', '{place} Gazeteciler Ağı'),
  ],
  az: [
    t('organisation', 'ngo', 'justice_impunity', '{place} Hüquq Müdafiə Mərkəzi'),
    t('organisation', 'ngo', 'women', '{place} Qadın Təşəbbüsləri'),
    t('group_or_movement', 'youth_group', 'democracy', '{place} Gənclər Hərəkatı'),
    t('community', '', 'housing', '{place} Sakinlər Birliyi'),
    t('network', 'journalist', 'expression', '{place} Müstəqil Jurnalistlər Şəbəkəsi'),
  ],
  ar: [
    t('organisation', 'ngo', 'justice_impunity', 'مركز {place} للمساعدة القانونية'),
    t('organisation', 'ngo', 'women', 'جمعية نساء {place} للتنمية'),
    t('organisation', 'trade_union', 'labour', 'نقابة عمال {place}'),
    t('community', 'minority_group', 'minorities', 'لجنة أهالي {place}'),
    t('group_or_movement', 'social_movement', 'disappearances', 'رابطة عائلات المفقودين في {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'شباب {place} من أجل التغيير'),
    t('network', 'journalist', 'expression', 'شبكة صحفيي {place}'),
    t('network', 'ngo', 'justice_impunity', 'تحالف المدافعين عن حقوق الإنسان في {place}'),
  ],
  fa: [
    t('organisation', 'ngo', 'children', 'انجمن حمایت از حقوق کودکان {place}'),
    t('organisation', 'ngo', 'women', 'کانون زنان {place}'),
    t('organisation', 'trade_union', 'labour', 'سندیکای کارگران {place}'),
    t('community', 'minority_group', 'minorities', 'شورای محلی {place}'),
    t('group_or_movement', 'social_movement', 'women', 'کمپین برابری {place}'),
    t('network', 'journalist', 'expression', 'شبکه روزنامه‌نگاران {place}'),
    t('network', 'ngo', 'justice_impunity', 'شبکه مدافعان حقوق بشر {place}'),
  ],
  ur: [
    t('organisation', 'ngo', 'justice_impunity', 'انسانی حقوق مرکز {place}'),
    t('organisation', 'trade_union', 'labour', 'مزدور یونین {place}'),
    t('organisation', 'ngo', 'women', 'خواتین حقوق تنظیم {place}'),
    t('community', 'minority_group', 'minorities', 'اقلیتی برادری {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'نوجوان اتحاد {place}'),
    t('network', 'journalist', 'expression', 'صحافی نیٹ ورک {place}'),
  ],
  ru: [
    t('organisation', 'ngo', 'justice_impunity', 'Правозащитный центр «{place}»'),
    t('organisation', 'ngo', 'women', 'Женская инициативная группа «{place}»'),
    t('organisation', 'trade_union', 'labour', 'Независимый профсоюз «{place}»'),
    t('community', 'minority_group', 'minorities', 'Община «{place}»'),
    t('group_or_movement', 'social_movement', 'land_environment', 'Экологическое движение «{place}»'),
    t('group_or_movement', 'youth_group', 'democracy', 'Молодёжная группа «{place}»'),
    t('network', 'journalist', 'expression', 'Сеть независимых журналистов «{place}»'),
    t('network', 'ngo', 'justice_impunity', 'Правозащитная сеть «{place}»'),
  ],
  uk: [
    t('organisation', 'ngo', 'justice_impunity', 'Правозахисна група «{place}»'),
    t('organisation', 'ngo', 'women', 'Жіноча ініціатива «{place}»'),
    t('organisation', 'trade_union', 'labour', 'Незалежна профспілка «{place}»'),
    t('community', 'minority_group', 'minorities', 'Громада «{place}»'),
    t('group_or_movement', 'youth_group', 'democracy', 'Молодіжний рух «{place}»'),
    t('network', 'journalist', 'expression', 'Мережа незалежних журналістів «{place}»'),
  ],
  sr: [
    t('organisation', 'ngo', 'justice_impunity', 'Центар за људска права {place}'),
    t('organisation', 'ngo', 'women', 'Женска иницијатива {place}'),
    t('community', 'minority_group', 'minorities', 'Ромска заједница {place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'Омладински покрет {place}'),
    t('network', 'journalist', 'expression', 'Мрежа новинара {place}'),
  ],
  hi: [
    t('organisation', 'ngo', 'indigenous_peoples,land_environment', '{place} आदिवासी अधिकार मंच'),
    t('organisation', 'ngo', 'women', '{place} महिला अधिकार संगठन'),
    t('organisation', 'trade_union', 'labour', '{place} मज़दूर किसान संघ'),
    t('community', 'minority_group', 'minorities', '{place} दलित समुदाय समिति'),
    t('group_or_movement', 'social_movement', 'land_environment', '{place} जल जंगल ज़मीन आंदोलन'),
    t('group_or_movement', 'youth_group', 'democracy', '{place} युवा मंच'),
    t('network', 'journalist', 'expression', '{place} स्वतंत्र पत्रकार नेटवर्क'),
  ],
  ne: [
    t('organisation', 'ngo', 'justice_impunity', '{place} मानव अधिकार केन्द्र'),
    t('organisation', 'ngo', 'women', '{place} महिला अधिकार मञ्च'),
    t('community', 'minority_group', 'minorities', '{place} दलित समुदाय'),
    t('group_or_movement', 'youth_group', 'democracy', '{place} युवा सञ्जाल'),
    t('network', 'journalist', 'expression', '{place} पत्रकार सञ्जाल'),
  ],
  th: [
    t('organisation', 'ngo', 'justice_impunity', 'ศูนย์ช่วยเหลือทางกฎหมาย{place}'),
    t('organisation', 'trade_union', 'labour', 'สหภาพแรงงาน{place}'),
    t('community', 'minority_group', 'indigenous_peoples', 'ชุมชนชาติพันธุ์{place}'),
    t('group_or_movement', 'social_movement', 'land_environment', 'กลุ่มรักษ์บ้าน{place}'),
    t('group_or_movement', 'youth_group', 'democracy', 'กลุ่มเยาวชน{place}'),
    t('network', 'journalist', 'expression', 'เครือข่ายนักข่าวพลเมือง{place}'),
    t('network', 'ngo', 'justice_impunity', 'เครือข่ายนักปกป้องสิทธิมนุษยชน{place}'),
  ],
  zh: [
    t('organisation', 'ngo', 'labour', '{place}劳工服务中心'),
    t('organisation', 'ngo', 'women', '{place}妇女互助中心'),
    t('community', '', 'housing', '{place}居民互助会'),
    t('group_or_movement', 'social_movement', 'lgbti', '{place}彩虹小组'),
    t('network', 'journalist', 'expression', '{place}公民记者网络'),
    t('network', 'lawyer', 'justice_impunity', '{place}维权律师网络'),
  ],
  am: [
    t('organisation', 'ngo', 'women', 'የ{place} ሴቶች ማህበር'),
    t('organisation', 'ngo', 'justice_impunity', 'የ{place} ሰብአዊ መብቶች ማዕከል'),
    t('organisation', 'trade_union', 'labour', 'የ{place} ሠራተኞች ማህበር'),
    t('group_or_movement', 'youth_group', 'democracy', 'የ{place} ወጣቶች ማህበር'),
    t('network', 'journalist', 'expression', 'የ{place} ጋዜጠኞች መረብ'),
  ],
} as const satisfies Record<string, readonly CollectiveTemplate[]>;

export type TemplateLanguage = keyof typeof COLLECTIVE_TEMPLATES;

/** Names for networks that span a whole UN region rather than one country. */
export const REGIONAL_NETWORK_NAMES = {
  Americas: [
    'Red Mesoamericana de Defensoras Comunitarias',
    'Red Andina de Comunicadores Populares',
    'Articulação Amazônica de Povos e Territórios',
    'Red Caribeña de Periodistas Independientes',
  ],
  Africa: [
    'Réseau Ouest-Africain des Défenseurs Communautaires',
    'Great Lakes Community Defenders Network',
    'Mtandao wa Watetezi wa Ardhi Afrika Mashariki',
    'Southern Africa Land and Housing Defenders Forum',
  ],
  Asia: [
    'Mekong Community Rights Network',
    'South Asia Forum of Women Defenders',
    'الشبكة الإقليمية للمدافعات عن حقوق الإنسان',
    'Asia Indigenous Land Defenders Alliance',
  ],
  Europe: [
    'Восточноевропейская сеть правозащитников',
    'Balkan Journalists Safety Network',
    'Red Europea de Acogida Temporal para Defensoras',
  ],
  Oceania: [
    'Pacific Women Defenders Network',
    'Melanesian Land Defenders Alliance',
    'Pacific Climate Justice Collective',
  ],
} as const;

/** Free-text gender identities as a network records them, with their rough frequency. */
export const GENDER_IDENTITIES: readonly (readonly [string, number])[] = [
  ['woman', 48],
  ['man', 44],
  ['non-binary', 3],
  ['trans woman', 3],
  ['trans man', 2],
];

/** Notes a network adds to a contact channel. */
export const CONTACT_NOTES = [
  'Only in emergencies',
  'Shared family phone',
  'Prefers voice messages',
  'Evenings only',
  'Ask for the coordinator',
  'Changes number often; confirm by another channel',
];
