// The permit catalogue, as reviewed data: categories of titres de séjour, the request kinds
// each accepts, the pièces asked for each, and the fiscal stamp due at hand-over.
// Loaded into the database per préfecture (ensure-catalogue.ts) so that a préfecture's
// administrators can adapt it later; this file is the reference and the default.
// Sources: CESEDA, service-public.fr F36206 and the préfectures' published lists (see
// /work/shared/domain-notes.md). Amounts in euro cents: 225 € = 200 € tax + 25 € stamp duty;
// students 75 € = 50 € + 25 €. Review this file like code: a unit test checks its integrity.
import type { LocalizedText, PieceFormat, RequestKind } from '../tables';

export interface PieceDef {
  code: string;
  name: LocalizedText;
  description: LocalizedText;
  formats: PieceFormat[];
  /** The document must be dated less than this many months ago (proof of address: 3). */
  maxAgeMonths?: number;
}

export interface KindDef {
  /**
   * The catalogue version that added this kind to an already existing category (1 when omitted).
   * A préfecture loaded at an earlier version gets the kind once, when it moves past that version.
   */
  since?: number;
  whoFor: LocalizedText;
  stampCents: number;
  pieces: { code: string; mandatory: boolean }[];
}

export interface CategoryDef {
  code: string;
  family: 'vie_privee_familiale' | 'travail' | 'etudes' | 'talent' | 'visiteur' | 'resident';
  name: LocalizedText;
  whoFor: LocalizedText;
  kinds: Partial<Record<RequestKind, KindDef>>;
}

export interface CatalogueData {
  version: number;
  pieces: PieceDef[];
  categories: CategoryDef[];
}

const ALL: PieceFormat[] = ['pdf', 'jpeg', 'png'];
const STAMP = 22_500;
const STAMP_STUDENT = 7_500;

const m = (code: string, mandatory = true) => ({ code, mandatory });
/** Pièces every first request carries. */
const FIRST = [m('passport'), m('birth_certificate'), m('proof_of_address'), m('long_stay_visa', false)];
/** Pièces every renewal or change of status carries. */
const HOLDER = [m('passport'), m('current_permit'), m('proof_of_address')];

// Version 2 (2026-12-04): change of status for parent d'enfant français, liens personnels et
// familiaux, étudiant and visiteur.
export const CATALOGUE: CatalogueData = {
  version: 2,
  pieces: [
    {
      code: 'passport',
      name: { fr: 'Passeport', en: 'Passport', ar: 'جواز السفر' },
      description: {
        fr: "Les pages de votre passeport en cours de validité montrant votre identité, sa validité et vos visas et tampons d'entrée.",
        en: 'The pages of your valid passport showing your identity, its validity and your visas and entry stamps.',
        ar: 'صفحات جواز سفرك الساري المفعول التي تُظهر هويتك ومدة صلاحيته والتأشيرات وأختام الدخول.',
      },
      formats: ALL,
    },
    {
      code: 'birth_certificate',
      name: { fr: 'Acte de naissance', en: 'Birth certificate', ar: 'شهادة الميلاد' },
      description: {
        fr: "Copie intégrale de votre acte de naissance avec filiation (noms de vos parents), avec sa traduction par un traducteur assermenté s'il n'est pas en français.",
        en: "Full copy of your birth certificate showing your parents' names, with a sworn translation if it is not in French.",
        ar: 'نسخة كاملة من شهادة ميلادك تتضمن النسب (اسما والديك)، مع ترجمتها من طرف مترجم محلّف إذا لم تكن بالفرنسية.',
      },
      formats: ALL,
    },
    {
      code: 'proof_of_address',
      name: { fr: 'Justificatif de domicile', en: 'Proof of address', ar: 'إثبات السكن' },
      description: {
        fr: "Facture d'électricité, de gaz, d'eau, de téléphone fixe ou quittance de loyer à votre nom, de moins de 3 mois. Si vous êtes hébergé : attestation de votre hébergeur, sa pièce d'identité et son justificatif de domicile.",
        en: 'Electricity, gas, water or landline bill or rent receipt in your name, less than 3 months old. If you are hosted: your host’s signed statement, their ID and their proof of address.',
        ar: 'فاتورة كهرباء أو غاز أو ماء أو هاتف ثابت أو وصل كراء باسمك، لا يتجاوز تاريخها 3 أشهر. إذا كنت مُستضافًا: شهادة من مُضيفك وبطاقة هويته وإثبات سكنه.',
      },
      formats: ALL,
      maxAgeMonths: 3,
    },
    {
      code: 'long_stay_visa',
      name: { fr: 'Visa long séjour', en: 'Long-stay visa', ar: 'تأشيرة الإقامة الطويلة' },
      description: {
        fr: "Votre visa long séjour et la preuve de votre entrée en France (tampon), si vous en avez un.",
        en: 'Your long-stay visa and proof of your entry into France (stamp), if you have one.',
        ar: 'تأشيرة الإقامة الطويلة وما يثبت دخولك إلى فرنسا (الختم)، إن وُجدت.',
      },
      formats: ALL,
    },
    {
      code: 'current_permit',
      name: { fr: 'Titre de séjour actuel', en: 'Current residence permit', ar: 'بطاقة الإقامة الحالية' },
      description: {
        fr: 'Le recto et le verso de votre titre de séjour actuel (ou de votre visa long séjour valant titre de séjour).',
        en: 'Front and back of your current residence permit (or of your long-stay visa serving as a permit).',
        ar: 'الوجه والظهر لبطاقة إقامتك الحالية (أو لتأشيرة الإقامة الطويلة التي تقوم مقام بطاقة الإقامة).',
      },
      formats: ALL,
    },
    {
      code: 'marriage_certificate',
      name: { fr: 'Acte de mariage', en: 'Marriage certificate', ar: 'عقد الزواج' },
      description: {
        fr: "Acte de mariage de moins de 3 mois, ou transcription sur les registres français si le mariage a eu lieu à l'étranger, ou livret de famille.",
        en: 'Marriage certificate less than 3 months old, or its transcription in the French registers if you married abroad, or the family record book.',
        ar: 'عقد زواج لا يتجاوز تاريخه 3 أشهر، أو نسخه في السجلات الفرنسية إذا تم الزواج في الخارج، أو الدفتر العائلي.',
      },
      formats: ALL,
      maxAgeMonths: 3,
    },
    {
      code: 'spouse_french_nationality',
      name: { fr: 'Nationalité française du conjoint', en: 'Spouse’s French nationality', ar: 'الجنسية الفرنسية للزوج(ة)' },
      description: {
        fr: "Carte nationale d'identité ou passeport français de votre conjoint, ou certificat de nationalité française.",
        en: 'Your spouse’s French identity card or passport, or a certificate of French nationality.',
        ar: 'بطاقة التعريف الوطنية أو جواز السفر الفرنسي لزوجك(تك)، أو شهادة الجنسية الفرنسية.',
      },
      formats: ALL,
    },
    {
      code: 'proof_living_together',
      name: { fr: 'Preuve de vie commune', en: 'Proof of living together', ar: 'إثبات الحياة المشتركة' },
      description: {
        fr: 'Documents aux deux noms montrant que vous vivez ensemble : bail, avis d’imposition commun, factures, relevés bancaires.',
        en: 'Documents in both your names showing you live together: lease, joint tax notice, bills, bank statements.',
        ar: 'وثائق باسميكما تُثبت أنكما تعيشان معًا: عقد الكراء، إشعار ضريبي مشترك، فواتير، كشوف بنكية.',
      },
      formats: ALL,
    },
    {
      code: 'child_birth_certificate',
      name: { fr: "Acte de naissance de l'enfant", en: 'Child’s birth certificate', ar: 'شهادة ميلاد الطفل' },
      description: {
        fr: "Acte de naissance de votre enfant français, avec filiation, de moins de 3 mois.",
        en: 'Birth certificate of your French child, showing parentage, less than 3 months old.',
        ar: 'شهادة ميلاد طفلك الفرنسي تتضمن النسب، لا يتجاوز تاريخها 3 أشهر.',
      },
      formats: ALL,
      maxAgeMonths: 3,
    },
    {
      code: 'child_french_nationality',
      name: { fr: "Nationalité française de l'enfant", en: 'Child’s French nationality', ar: 'الجنسية الفرنسية للطفل' },
      description: {
        fr: "Carte d'identité, passeport ou certificat de nationalité française de l'enfant.",
        en: 'The child’s French identity card, passport or certificate of French nationality.',
        ar: 'بطاقة التعريف أو جواز السفر أو شهادة الجنسية الفرنسية للطفل.',
      },
      formats: ALL,
    },
    {
      code: 'child_support_proof',
      name: { fr: "Contribution à l'entretien de l'enfant", en: 'Support for the child', ar: 'المساهمة في إعالة الطفل' },
      description: {
        fr: "Preuves que vous contribuez effectivement à l'entretien et à l'éducation de l'enfant depuis sa naissance ou depuis au moins 2 ans : virements, factures, attestations de l'école ou du médecin.",
        en: 'Proof that you actually support and raise the child since birth or for at least 2 years: transfers, bills, letters from school or doctor.',
        ar: 'ما يُثبت أنك تساهم فعليًا في إعالة الطفل وتربيته منذ ولادته أو منذ سنتين على الأقل: تحويلات، فواتير، شهادات من المدرسة أو الطبيب.',
      },
      formats: ALL,
    },
    {
      code: 'proof_years_in_france',
      name: { fr: 'Preuves de présence en France', en: 'Proof of years in France', ar: 'إثبات الإقامة في فرنسا' },
      description: {
        fr: 'Quelques documents datés pour chaque année passée en France : avis d’imposition, bulletins de salaire, attestations de soins, relevés bancaires.',
        en: 'A few dated documents for each year spent in France: tax notices, payslips, medical certificates, bank statements.',
        ar: 'بعض الوثائق المؤرخة عن كل سنة قضيتها في فرنسا: إشعارات ضريبية، كشوف رواتب، شهادات علاج، كشوف بنكية.',
      },
      formats: ALL,
    },
    {
      code: 'family_ties_proof',
      name: { fr: 'Preuves des liens familiaux', en: 'Proof of family ties', ar: 'إثبات الروابط العائلية' },
      description: {
        fr: 'Documents montrant vos liens personnels et familiaux en France : actes d’état civil de vos proches, leurs titres de séjour, attestations.',
        en: 'Documents showing your personal and family ties in France: civil status records of your relatives, their permits, statements.',
        ar: 'وثائق تُبيّن روابطك الشخصية والعائلية في فرنسا: وثائق الحالة المدنية لأقاربك، بطاقات إقامتهم، شهادات.',
      },
      formats: ALL,
    },
    {
      code: 'integration_proof',
      name: { fr: "Preuves d'intégration", en: 'Proof of integration', ar: 'إثبات الاندماج' },
      description: {
        fr: "Attestation du contrat d'intégration républicaine (CIR), diplôme ou test de français, engagement associatif ou professionnel.",
        en: 'Attestation of the republican integration contract (CIR), French diploma or test, voluntary or professional involvement.',
        ar: 'شهادة عقد الاندماج الجمهوري (CIR)، شهادة أو اختبار في اللغة الفرنسية، انخراط جمعوي أو مهني.',
      },
      formats: ALL,
    },
    {
      code: 'work_authorisation',
      name: { fr: 'Autorisation de travail', en: 'Work authorisation', ar: 'رخصة العمل' },
      description: {
        fr: "L'autorisation de travail délivrée pour votre emploi (demandée par votre employeur sur le site de l'ANEF).",
        en: 'The work authorisation issued for your job (requested by your employer on the ANEF website).',
        ar: 'رخصة العمل الصادرة لوظيفتك (يطلبها صاحب العمل عبر موقع ANEF).',
      },
      formats: ALL,
    },
    {
      code: 'employment_contract',
      name: { fr: 'Contrat de travail', en: 'Employment contract', ar: 'عقد العمل' },
      description: {
        fr: 'Votre contrat de travail signé par vous et votre employeur.',
        en: 'Your employment contract signed by you and your employer.',
        ar: 'عقد عملك موقّعًا منك ومن صاحب العمل.',
      },
      formats: ALL,
    },
    {
      code: 'employer_attestation',
      name: { fr: "Attestation de l'employeur", en: 'Employer’s statement', ar: 'شهادة صاحب العمل' },
      description: {
        fr: "Attestation de votre employeur de moins de 3 mois confirmant votre emploi, le poste et le salaire.",
        en: 'Statement from your employer, less than 3 months old, confirming your job, position and salary.',
        ar: 'شهادة من صاحب العمل لا يتجاوز تاريخها 3 أشهر تؤكد عملك ومنصبك وأجرك.',
      },
      formats: ALL,
      maxAgeMonths: 3,
    },
    {
      code: 'payslips',
      name: { fr: '3 derniers bulletins de salaire', en: 'Last 3 payslips', ar: 'آخر 3 كشوف رواتب' },
      description: {
        fr: 'Vos trois derniers bulletins de salaire, dans un seul fichier ou en plusieurs fichiers.',
        en: 'Your last three payslips, in one file or several.',
        ar: 'آخر ثلاثة كشوف رواتب، في ملف واحد أو عدة ملفات.',
      },
      formats: ALL,
      maxAgeMonths: 3,
    },
    {
      code: 'cir_attestation',
      name: { fr: "Attestation du contrat d'intégration républicaine", en: 'Republican integration contract attestation', ar: 'شهادة عقد الاندماج الجمهوري' },
      description: {
        fr: "L'attestation de l'OFII montrant que vous avez suivi les formations du contrat d'intégration républicaine (CIR).",
        en: 'The OFII attestation showing you attended the republican integration contract (CIR) training.',
        ar: 'شهادة المكتب الفرنسي للهجرة والاندماج (OFII) التي تُثبت أنك تابعت تكوينات عقد الاندماج الجمهوري.',
      },
      formats: ALL,
    },
    {
      code: 'enrolment_certificate',
      name: { fr: "Certificat d'inscription", en: 'Enrolment certificate', ar: 'شهادة التسجيل' },
      description: {
        fr: "Certificat d'inscription dans un établissement d'enseignement supérieur pour l'année en cours ou à venir.",
        en: 'Enrolment certificate from a higher-education institution for the current or coming year.',
        ar: 'شهادة التسجيل في مؤسسة للتعليم العالي للسنة الجارية أو المقبلة.',
      },
      formats: ALL,
    },
    {
      code: 'transcripts',
      name: { fr: 'Relevés de notes', en: 'Transcripts', ar: 'كشوف النقاط' },
      description: {
        fr: "Vos relevés de notes et diplômes de l'année écoulée, pour montrer le sérieux de vos études.",
        en: 'Your transcripts and diplomas from the past year, to show your studies are genuine.',
        ar: 'كشوف نقاطك وشهاداتك للسنة الماضية، لإثبات جدية دراستك.',
      },
      formats: ALL,
    },
    {
      code: 'proof_of_resources',
      name: { fr: 'Justificatif de ressources', en: 'Proof of resources', ar: 'إثبات الموارد' },
      description: {
        fr: "Preuves de ressources suffisantes (au moins 615 € par mois pour un étudiant) : relevés bancaires, attestation de bourse, attestation de prise en charge.",
        en: 'Proof of sufficient resources (at least €615 a month for a student): bank statements, grant certificate, sponsor’s statement.',
        ar: 'ما يُثبت توفرك على موارد كافية (615 يورو شهريًا على الأقل للطالب): كشوف بنكية، شهادة منحة، التزام بالتكفل.',
      },
      formats: ALL,
      maxAgeMonths: 3,
    },
    {
      code: 'health_insurance',
      name: { fr: 'Assurance maladie', en: 'Health insurance', ar: 'التأمين الصحي' },
      description: {
        fr: 'Attestation d’assurance maladie couvrant toute la durée du séjour.',
        en: 'Health insurance certificate covering the whole stay.',
        ar: 'شهادة تأمين صحي تغطي كامل مدة الإقامة.',
      },
      formats: ALL,
    },
    {
      code: 'no_work_undertaking',
      name: { fr: "Engagement à ne pas travailler", en: 'Undertaking not to work', ar: 'التزام بعدم العمل' },
      description: {
        fr: "Déclaration datée et signée par laquelle vous vous engagez à n'exercer aucune activité professionnelle en France.",
        en: 'Dated and signed statement in which you undertake not to work in France.',
        ar: 'تصريح مؤرخ وموقّع تلتزم فيه بعدم ممارسة أي نشاط مهني في فرنسا.',
      },
      formats: ALL,
    },
    {
      code: 'talent_proof',
      name: { fr: 'Justificatifs « talent »', en: '“Talent” supporting documents', ar: 'وثائق «الموهبة»' },
      description: {
        fr: 'Selon votre situation : diplôme de niveau master, contrat de travail avec le salaire exigé, convention d’accueil de chercheur, projet d’entreprise ou preuves de renommée.',
        en: 'Depending on your situation: master’s-level diploma, employment contract at the required salary, researcher hosting agreement, business project or proof of renown.',
        ar: 'حسب وضعيتك: شهادة بمستوى الماستر، عقد عمل بالأجر المطلوب، اتفاقية استقبال باحث، مشروع مقاولة أو ما يُثبت الشهرة.',
      },
      formats: ALL,
    },
    {
      code: 'french_language',
      name: { fr: 'Niveau de français', en: 'French language level', ar: 'مستوى اللغة الفرنسية' },
      description: {
        fr: 'Diplôme ou test de langue française attestant au moins le niveau A2.',
        en: 'French language diploma or test showing at least level A2.',
        ar: 'شهادة أو اختبار في اللغة الفرنسية يُثبت المستوى A2 على الأقل.',
      },
      formats: ALL,
    },
    {
      code: 'tax_notices',
      name: { fr: "Avis d'imposition", en: 'Tax notices', ar: 'الإشعارات الضريبية' },
      description: {
        fr: "Vos avis d'imposition des 3 à 5 dernières années (selon la carte demandée).",
        en: 'Your tax notices for the last 3 to 5 years (depending on the card requested).',
        ar: 'إشعاراتك الضريبية عن آخر 3 إلى 5 سنوات (حسب البطاقة المطلوبة).',
      },
      formats: ALL,
    },
  ],
  categories: [
    {
      code: 'vpf_conjoint_francais',
      family: 'vie_privee_familiale',
      name: {
        fr: 'Vie privée et familiale — conjoint de Français',
        en: 'Private and family life — spouse of a French national',
        ar: 'الحياة الخاصة والعائلية — زوج(ة) مواطن(ة) فرنسي(ة)',
      },
      whoFor: {
        fr: 'Vous êtes marié(e) avec une personne de nationalité française et vous vivez avec elle.',
        en: 'You are married to a French national and you live together.',
        ar: 'أنت متزوج(ة) من شخص يحمل الجنسية الفرنسية وتعيشان معًا.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois, par exemple à la fin de votre visa de conjoint.',
            en: 'You are asking for this permit for the first time, for example at the end of your spouse visa.',
            ar: 'تطلب هذه البطاقة لأول مرة، مثلًا عند نهاية تأشيرة الزوج(ة).',
          },
          stampCents: STAMP,
          pieces: [...FIRST, m('marriage_certificate'), m('spouse_french_nationality'), m('proof_living_together')],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous le renouvelez.',
            en: 'You already hold this permit and are renewing it.',
            ar: 'لديك هذه البطاقة بالفعل وتريد تجديدها.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('marriage_certificate'), m('spouse_french_nationality'), m('proof_living_together'), m('cir_attestation', false)],
        },
        change_of_status: {
          whoFor: {
            fr: 'Vous avez un autre titre (par exemple étudiant) et vous vous êtes marié(e) avec une personne française.',
            en: 'You hold another permit (for example student) and have married a French national.',
            ar: 'لديك بطاقة أخرى (مثلًا طالب) وتزوجت من شخص فرنسي.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('birth_certificate'), m('marriage_certificate'), m('spouse_french_nationality'), m('proof_living_together')],
        },
      },
    },
    {
      code: 'vpf_parent_enfant_francais',
      family: 'vie_privee_familiale',
      name: {
        fr: "Vie privée et familiale — parent d'enfant français",
        en: 'Private and family life — parent of a French child',
        ar: 'الحياة الخاصة والعائلية — والد(ة) طفل فرنسي',
      },
      whoFor: {
        fr: "Vous êtes le père ou la mère d'un enfant français mineur qui vit en France, et vous participez à son entretien et à son éducation.",
        en: 'You are the father or mother of a French minor child living in France, and you help support and raise the child.',
        ar: 'أنت أب أو أم لطفل قاصر فرنسي يعيش في فرنسا، وتساهم في إعالته وتربيته.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois.',
            en: 'You are asking for this permit for the first time.',
            ar: 'تطلب هذه البطاقة لأول مرة.',
          },
          stampCents: STAMP,
          pieces: [...FIRST, m('child_birth_certificate'), m('child_french_nationality'), m('child_support_proof')],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous le renouvelez.',
            en: 'You already hold this permit and are renewing it.',
            ar: 'لديك هذه البطاقة بالفعل وتريد تجديدها.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('child_birth_certificate'), m('child_french_nationality'), m('child_support_proof')],
        },
        change_of_status: {
          since: 2,
          whoFor: {
            fr: "Vous avez un autre titre (par exemple étudiant ou salarié) et vous êtes le père ou la mère d'un enfant français.",
            en: 'You hold another permit (for example student or employee) and are the father or mother of a French child.',
            ar: 'لديك بطاقة أخرى (مثلًا طالب أو أجير) وأنت أب أو أم لطفل فرنسي.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('birth_certificate'), m('child_birth_certificate'), m('child_french_nationality'), m('child_support_proof')],
        },
      },
    },
    {
      code: 'vpf_liens_personnels',
      family: 'vie_privee_familiale',
      name: {
        fr: 'Vie privée et familiale — liens personnels et familiaux',
        en: 'Private and family life — personal and family ties',
        ar: 'الحياة الخاصة والعائلية — الروابط الشخصية والعائلية',
      },
      whoFor: {
        fr: 'Votre vie personnelle et familiale est en France (famille proche, années de présence, intégration), sans entrer dans une autre catégorie.',
        en: 'Your personal and family life is in France (close family, years spent here, integration), and no other category fits.',
        ar: 'حياتك الشخصية والعائلية في فرنسا (عائلة قريبة، سنوات الإقامة، الاندماج)، دون أن تندرج في فئة أخرى.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois.',
            en: 'You are asking for this permit for the first time.',
            ar: 'تطلب هذه البطاقة لأول مرة.',
          },
          stampCents: STAMP,
          pieces: [...FIRST, m('proof_years_in_france'), m('family_ties_proof'), m('integration_proof', false)],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous le renouvelez.',
            en: 'You already hold this permit and are renewing it.',
            ar: 'لديك هذه البطاقة بالفعل وتريد تجديدها.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('family_ties_proof'), m('integration_proof', false)],
        },
        change_of_status: {
          since: 2,
          whoFor: {
            fr: 'Vous avez un autre titre (par exemple étudiant) et votre vie personnelle et familiale est désormais en France.',
            en: 'You hold another permit (for example student) and your personal and family life is now in France.',
            ar: 'لديك بطاقة أخرى (مثلًا طالب) وأصبحت حياتك الشخصية والعائلية في فرنسا.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('birth_certificate'), m('proof_years_in_france'), m('family_ties_proof'), m('integration_proof', false)],
        },
      },
    },
    {
      code: 'salarie',
      family: 'travail',
      name: { fr: 'Salarié', en: 'Employee', ar: 'أجير' },
      whoFor: {
        fr: 'Vous travaillez en France en contrat à durée indéterminée (CDI) avec une autorisation de travail.',
        en: 'You work in France on a permanent contract (CDI) with a work authorisation.',
        ar: 'تعمل في فرنسا بعقد غير محدد المدة (CDI) مع رخصة عمل.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois après votre visa de salarié.',
            en: 'You are asking for this permit for the first time after your employee visa.',
            ar: 'تطلب هذه البطاقة لأول مرة بعد تأشيرة الأجير.',
          },
          stampCents: STAMP,
          pieces: [...FIRST, m('work_authorisation'), m('employment_contract')],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous le renouvelez.',
            en: 'You already hold this permit and are renewing it.',
            ar: 'لديك هذه البطاقة بالفعل وتريد تجديدها.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('employer_attestation'), m('payslips'), m('cir_attestation'), m('work_authorisation', false)],
        },
        change_of_status: {
          whoFor: {
            fr: 'Vous avez un autre titre (par exemple étudiant) et vous avez trouvé un emploi salarié.',
            en: 'You hold another permit (for example student) and have found a salaried job.',
            ar: 'لديك بطاقة أخرى (مثلًا طالب) ووجدت عملًا مأجورًا.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('work_authorisation'), m('employment_contract'), m('transcripts', false)],
        },
      },
    },
    {
      code: 'travailleur_temporaire',
      family: 'travail',
      name: { fr: 'Travailleur temporaire', en: 'Temporary worker', ar: 'عامل مؤقت' },
      whoFor: {
        fr: 'Vous travaillez en France en contrat à durée déterminée (CDD) ou en mission, avec une autorisation de travail.',
        en: 'You work in France on a fixed-term contract (CDD) or assignment, with a work authorisation.',
        ar: 'تعمل في فرنسا بعقد محدد المدة (CDD) أو في مهمة، مع رخصة عمل.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois.',
            en: 'You are asking for this permit for the first time.',
            ar: 'تطلب هذه البطاقة لأول مرة.',
          },
          stampCents: STAMP,
          pieces: [...FIRST, m('work_authorisation'), m('employment_contract')],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous le renouvelez pour un nouveau contrat.',
            en: 'You already hold this permit and are renewing it for a new contract.',
            ar: 'لديك هذه البطاقة بالفعل وتجددها من أجل عقد جديد.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('work_authorisation'), m('employment_contract'), m('payslips')],
        },
        change_of_status: {
          whoFor: {
            fr: 'Vous avez un autre titre et vous avez un contrat à durée déterminée.',
            en: 'You hold another permit and have a fixed-term contract.',
            ar: 'لديك بطاقة أخرى ولديك عقد محدد المدة.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('work_authorisation'), m('employment_contract')],
        },
      },
    },
    {
      code: 'etudiant',
      family: 'etudes',
      name: { fr: 'Étudiant', en: 'Student', ar: 'طالب' },
      whoFor: {
        fr: "Vous faites des études supérieures en France et vous avez des ressources suffisantes.",
        en: 'You are in higher education in France and have sufficient resources.',
        ar: 'تتابع دراسات عليا في فرنسا ولديك موارد كافية.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois (par exemple après un visa étudiant non valable titre de séjour).',
            en: 'You are asking for this permit for the first time (for example after a student visa that was not a permit).',
            ar: 'تطلب هذه البطاقة لأول مرة (مثلًا بعد تأشيرة طالب لا تقوم مقام بطاقة الإقامة).',
          },
          stampCents: STAMP_STUDENT,
          pieces: [...FIRST, m('enrolment_certificate'), m('proof_of_resources'), m('health_insurance', false)],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous continuez vos études.',
            en: 'You already hold this permit and are continuing your studies.',
            ar: 'لديك هذه البطاقة بالفعل وتواصل دراستك.',
          },
          stampCents: STAMP_STUDENT,
          pieces: [...HOLDER, m('enrolment_certificate'), m('transcripts'), m('proof_of_resources')],
        },
        change_of_status: {
          since: 2,
          whoFor: {
            fr: 'Vous avez un autre titre (par exemple visiteur) et vous commencez des études supérieures en France.',
            en: 'You hold another permit (for example visitor) and are starting higher education in France.',
            ar: 'لديك بطاقة أخرى (مثلًا زائر) وتبدأ دراسات عليا في فرنسا.',
          },
          stampCents: STAMP_STUDENT,
          pieces: [...HOLDER, m('enrolment_certificate'), m('proof_of_resources'), m('health_insurance', false)],
        },
      },
    },
    {
      code: 'passeport_talent',
      family: 'talent',
      name: { fr: 'Passeport talent', en: 'Talent passport', ar: 'جواز المواهب' },
      whoFor: {
        fr: 'Vous êtes salarié qualifié, chercheur, créateur d’entreprise, investisseur, artiste ou personne de renommée.',
        en: 'You are a qualified employee, researcher, business founder, investor, artist or person of renown.',
        ar: 'أنت أجير مؤهل أو باحث أو منشئ مقاولة أو مستثمر أو فنان أو شخص ذو شهرة.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois.',
            en: 'You are asking for this permit for the first time.',
            ar: 'تطلب هذه البطاقة لأول مرة.',
          },
          stampCents: STAMP,
          pieces: [...FIRST, m('talent_proof'), m('employment_contract', false)],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous le renouvelez.',
            en: 'You already hold this permit and are renewing it.',
            ar: 'لديك هذه البطاقة بالفعل وتريد تجديدها.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('talent_proof'), m('payslips', false), m('tax_notices', false)],
        },
        change_of_status: {
          whoFor: {
            fr: 'Vous avez un autre titre (par exemple étudiant, après un master) et vous remplissez une condition « talent ».',
            en: 'You hold another permit (for example student, after a master’s) and meet a “talent” condition.',
            ar: 'لديك بطاقة أخرى (مثلًا طالب بعد الماستر) وتستوفي أحد شروط «الموهبة».',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('talent_proof'), m('employment_contract', false)],
        },
      },
    },
    {
      code: 'visiteur',
      family: 'visiteur',
      name: { fr: 'Visiteur', en: 'Visitor', ar: 'زائر' },
      whoFor: {
        fr: 'Vous vivez en France de vos propres ressources, sans y travailler.',
        en: 'You live in France on your own resources, without working here.',
        ar: 'تعيش في فرنسا من مواردك الخاصة دون أن تعمل فيها.',
      },
      kinds: {
        first: {
          whoFor: {
            fr: 'Vous demandez ce titre pour la première fois.',
            en: 'You are asking for this permit for the first time.',
            ar: 'تطلب هذه البطاقة لأول مرة.',
          },
          stampCents: STAMP,
          pieces: [...FIRST, m('proof_of_resources'), m('health_insurance'), m('no_work_undertaking')],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez déjà ce titre et vous le renouvelez.',
            en: 'You already hold this permit and are renewing it.',
            ar: 'لديك هذه البطاقة بالفعل وتريد تجديدها.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('proof_of_resources'), m('health_insurance'), m('no_work_undertaking')],
        },
        change_of_status: {
          since: 2,
          whoFor: {
            fr: 'Vous avez un autre titre (par exemple salarié, maintenant à la retraite) et vous vivez désormais de vos propres ressources, sans travailler.',
            en: 'You hold another permit (for example employee, now retired) and now live on your own resources, without working.',
            ar: 'لديك بطاقة أخرى (مثلًا أجير أصبح متقاعدًا) وأصبحت تعيش من مواردك الخاصة دون أن تعمل.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('proof_of_resources'), m('health_insurance'), m('no_work_undertaking')],
        },
      },
    },
    {
      code: 'carte_resident',
      family: 'resident',
      name: { fr: 'Carte de résident (10 ans)', en: 'Resident card (10 years)', ar: 'بطاقة المقيم (10 سنوات)' },
      whoFor: {
        fr: 'Vous résidez en France régulièrement depuis plusieurs années (en général 5 ans, 3 ans pour certains cas familiaux) et vous êtes intégré(e).',
        en: 'You have lived lawfully in France for several years (usually 5, 3 in some family cases) and are integrated.',
        ar: 'تقيم في فرنسا بصفة قانونية منذ عدة سنوات (عادة 5 سنوات، و3 سنوات في بعض الحالات العائلية) وأنت مندمج(ة).',
      },
      // No first request: this card follows years of lawful stay under another titre de séjour,
      // so it is asked for as a change of status. (A refugee's carte de résident, issued on the
      // OFPRA or CNDA decision, is not in this catalogue yet.)
      kinds: {
        change_of_status: {
          whoFor: {
            fr: 'Vous avez une carte de séjour temporaire ou pluriannuelle et vous demandez une carte de résident.',
            en: 'You hold a temporary or multi-year permit and are asking for a resident card.',
            ar: 'لديك بطاقة إقامة مؤقتة أو متعددة السنوات وتطلب بطاقة المقيم.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('birth_certificate'), m('cir_attestation'), m('french_language'), m('tax_notices'), m('proof_of_resources')],
        },
        renewal: {
          whoFor: {
            fr: 'Vous avez une carte de résident qui arrive à expiration.',
            en: 'Your resident card is about to expire.',
            ar: 'بطاقة المقيم الخاصة بك على وشك الانتهاء.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER],
        },
      },
    },
    {
      code: 'resident_longue_duree_ue',
      family: 'resident',
      name: {
        fr: 'Résident de longue durée-UE',
        en: 'EU long-term resident',
        ar: 'مقيم لمدة طويلة - الاتحاد الأوروبي',
      },
      whoFor: {
        fr: 'Vous résidez légalement en France depuis au moins 5 ans avec des ressources stables et suffisantes.',
        en: 'You have lived lawfully in France for at least 5 years with stable and sufficient resources.',
        ar: 'تقيم في فرنسا بصفة قانونية منذ 5 سنوات على الأقل ولديك موارد مستقرة وكافية.',
      },
      // No first request: the status needs 5 years of lawful stay in France under another titre
      // de séjour, so it is always asked for as a change of status.
      kinds: {
        change_of_status: {
          whoFor: {
            fr: 'Vous avez un autre titre de séjour et vous demandez le statut de résident de longue durée-UE.',
            en: 'You hold another permit and are asking for EU long-term resident status.',
            ar: 'لديك بطاقة إقامة أخرى وتطلب صفة المقيم لمدة طويلة في الاتحاد الأوروبي.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER, m('birth_certificate'), m('tax_notices'), m('proof_of_resources'), m('health_insurance'), m('french_language'), m('cir_attestation')],
        },
        renewal: {
          whoFor: {
            fr: 'Votre carte de résident de longue durée-UE arrive à expiration.',
            en: 'Your EU long-term resident card is about to expire.',
            ar: 'بطاقة المقيم لمدة طويلة في الاتحاد الأوروبي على وشك الانتهاء.',
          },
          stampCents: STAMP,
          pieces: [...HOLDER],
        },
      },
    },
  ],
};
