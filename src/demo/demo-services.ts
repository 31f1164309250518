/**
 * What the demo generator knows about the services of source document 004: the codes it writes on
 * episodes and how often each happens. This is the generator's model of the world, not the service
 * catalogue (which defines services for analysis and matches them back from the codes).
 */
export type CareLevel = 'inpatient' | 'day' | 'outpatient';

export interface DemoService {
  id: string;
  specialty: string;
  diagnoses: string[];
  procedures: string[];
  drg?: string[];
  careLevels: [CareLevel, number][];
  /** Episodes per 100 000 inhabitants per year where the age profile and sex factor are 1. */
  rate: number;
  ageProfile: (age: number) => number;
  sexFactors: [number, number];
  /** Systematic differences between areas: multiplier on the rate by area code. */
  areaEffects?: Record<string, number>;
  /** Share bought from private providers, by default and by area code. */
  privateShare: number;
  privateShareByArea?: Record<string, number>;
  contractSpecialistShare: number;
  /** Secondary diagnoses written on some episodes (e.g. alarm symptoms before gastroscopy). */
  secondary?: { codes: string[]; probability: number };
}

const rising = (start: number, halfAt: number) => (age: number) =>
  age < start ? 0 : 1 / (1 + Math.exp(-(age - halfAt) / 8));
const peak = (centre: number, width: number, from = 0) => (age: number) =>
  age < from ? 0 : Math.exp(-(((age - centre) / width) ** 2));
const adults = (from = 18) => (age: number) => (age < from ? 0 : 1);

const outpatient: [CareLevel, number][] = [['outpatient', 1]];
const dayMostly: [CareLevel, number][] = [['day', 0.8], ['inpatient', 0.1], ['outpatient', 0.1]];

export const demoServices: DemoService[] = [
  {
    id: 'gastroscopy', specialty: 'gastroenterology', diagnoses: ['K21.0', 'K29.7', 'R10.1', 'K30', 'D50.9'],
    procedures: ['UJD02', 'UJD05'], careLevels: outpatient, rate: 3400, ageProfile: rising(15, 50), sexFactors: [1, 1.1],
    areaEffects: { '6': 1.3, '7': 1.15, '8': 1.5, '16': 0.9, '1': 0.8 },
    privateShare: 0.08, privateShareByArea: { '6': 0.2, '7': 0.18, '8': 0.35 }, contractSpecialistShare: 0.12,
    secondary: { codes: ['D50.0', 'R13', 'K92.2', 'R63.4', 'C16.9'], probability: 0.08 },
  },
  {
    id: 'colonoscopy', specialty: 'gastroenterology', diagnoses: ['K57.3', 'K63.5', 'R19.5', 'K51.9', 'Z12.1'],
    procedures: ['UJF32', 'UJF35', 'UJF42', 'UJF45', 'JGA05', 'JFA15'], careLevels: outpatient, rate: 3700,
    ageProfile: rising(20, 58), sexFactors: [1, 0.95], areaEffects: { '7': 1.2, '6': 1.1 }, privateShare: 0.1,
    privateShareByArea: { '7': 0.25 }, contractSpecialistShare: 0.1,
  },
  {
    id: 'haemorrhoids', specialty: 'gastro_surgery', diagnoses: ['K64.1', 'K62.2'], procedures: ['JHB00', 'JHB40', 'JHB96'],
    careLevels: dayMostly, rate: 90, ageProfile: peak(50, 20, 18), sexFactors: [1, 0.9], privateShare: 0.2, contractSpecialistShare: 0.05,
  },
  {
    id: 'pilonidal', specialty: 'gastro_surgery', diagnoses: ['L05.0', 'L05.9'], procedures: ['QBA10'], careLevels: dayMostly,
    rate: 70, ageProfile: peak(22, 7, 12), sexFactors: [1, 0.4], privateShare: 0.15, contractSpecialistShare: 0,
  },
  {
    id: 'groin_hernia', specialty: 'gastro_surgery', diagnoses: ['K40.9', 'K40.2'], procedures: ['JAB10', 'JAB11', 'JAB30', 'JAC10'],
    careLevels: dayMostly, rate: 320, ageProfile: rising(18, 50), sexFactors: [1, 0.12], privateShare: 0.15, contractSpecialistShare: 0.02,
  },
  {
    id: 'varicose_veins', specialty: 'vascular', diagnoses: ['I83.9', 'I83.0'], procedures: ['PHD10', 'PHV10', 'PHV12'],
    careLevels: dayMostly, rate: 140, ageProfile: peak(52, 16, 18), sexFactors: [1, 1.8], privateShare: 0.35,
    privateShareByArea: { '8': 0.05 }, contractSpecialistShare: 0.05,
  },
  {
    id: 'post_bariatric', specialty: 'plastic_surgery', diagnoses: ['L98.7'], procedures: ['QBJ10', 'QCJ10', 'QDJ10'],
    careLevels: dayMostly, rate: 12, ageProfile: peak(42, 12, 20), sexFactors: [1, 4], privateShare: 0.4, contractSpecialistShare: 0,
  },
  {
    id: 'breast_reduction', specialty: 'plastic_surgery', diagnoses: ['N62'], procedures: ['HAD30', 'HAD20'], careLevels: dayMostly,
    rate: 80, ageProfile: peak(38, 14, 18), sexFactors: [0, 1], privateShare: 0.4, contractSpecialistShare: 0,
  },
  {
    id: 'small_plastic_surgery', specialty: 'plastic_surgery', diagnoses: ['D17.9', 'L72.1', 'D23.9', 'L91.0', 'D18.0'],
    procedures: ['QAE30', 'QBE30'], drg: ['809J', '266O', '270O', '268O', '120O'], careLevels: [['outpatient', 0.7], ['day', 0.3]],
    rate: 260, ageProfile: adults(5), sexFactors: [1, 1.2], areaEffects: { '8': 1.4 }, privateShare: 0.25, contractSpecialistShare: 0.2,
  },
  {
    id: 'cystoscopy', specialty: 'urology', diagnoses: ['R31', 'N30.1', 'C67.9'], procedures: ['KUC00', 'KUC02'], careLevels: outpatient,
    rate: 950, ageProfile: rising(30, 62), sexFactors: [1, 0.45], privateShare: 0.12, contractSpecialistShare: 0.15,
  },
  {
    id: 'phimosis', specialty: 'urology', diagnoses: ['N47'], procedures: ['KGH10'], careLevels: dayMostly, rate: 60,
    ageProfile: (a) => (a < 3 ? 0 : a < 16 ? 1 : 0.5), sexFactors: [1, 0], privateShare: 0.2, contractSpecialistShare: 0.05,
  },
  {
    id: 'turp', specialty: 'urology', diagnoses: ['N40'], procedures: ['KED22'], careLevels: [['inpatient', 0.7], ['day', 0.3]],
    rate: 260, ageProfile: rising(50, 70), sexFactors: [1, 0], privateShare: 0.1, contractSpecialistShare: 0,
  },
  {
    id: 'hallux_valgus', specialty: 'orthopaedics', diagnoses: ['M20.1', 'M20.2'], procedures: ['NHK10', 'NHG40'], careLevels: dayMostly,
    rate: 45, ageProfile: peak(55, 15, 16), sexFactors: [1, 5], privateShare: 0.3, contractSpecialistShare: 0.05,
  },
  {
    id: 'ingrown_toenail', specialty: 'orthopaedics', diagnoses: ['L60.0'], procedures: ['QDH10'], careLevels: outpatient, rate: 50,
    ageProfile: peak(25, 18, 8), sexFactors: [1, 0.8], privateShare: 0.2, contractSpecialistShare: 0.2,
  },
  {
    id: 'dupuytren', specialty: 'orthopaedics', diagnoses: ['M72.0'], procedures: ['NDM09', 'NDM19'], careLevels: dayMostly, rate: 80,
    ageProfile: rising(40, 62), sexFactors: [1, 0.25], privateShare: 0.25, contractSpecialistShare: 0.05,
  },
  {
    id: 'trigger_finger', specialty: 'orthopaedics', diagnoses: ['M65.3'], procedures: ['NDM49'], careLevels: [['outpatient', 0.6], ['day', 0.4]],
    rate: 70, ageProfile: peak(58, 14, 18), sexFactors: [1, 1.7], privateShare: 0.25, contractSpecialistShare: 0.1,
  },
  {
    id: 'shoulder_impingement', specialty: 'orthopaedics', diagnoses: ['M75.4'], procedures: ['NBK13'], careLevels: dayMostly, rate: 70,
    ageProfile: peak(52, 12, 25), sexFactors: [1, 0.9], areaEffects: { '13': 1.6, '23': 1.4 }, privateShare: 0.35, contractSpecialistShare: 0.05,
  },
  {
    id: 'acl_reconstruction', specialty: 'orthopaedics', diagnoses: ['M23.5', 'S83.5'], procedures: ['NGE60'], careLevels: dayMostly,
    rate: 60, ageProfile: peak(24, 9, 12), sexFactors: [1, 0.9], privateShare: 0.3, contractSpecialistShare: 0,
  },
  {
    id: 'meniscectomy', specialty: 'orthopaedics', diagnoses: ['M23.2', 'S83.2'], procedures: ['NGD11'], careLevels: dayMostly,
    rate: 180, ageProfile: peak(50, 14, 18), sexFactors: [1, 0.7], areaEffects: { '8': 1.5, '19': 1.3, '11': 0.7 }, privateShare: 0.35,
    contractSpecialistShare: 0.05,
  },
  {
    id: 'septoplasty', specialty: 'ent', diagnoses: ['J34.2'], procedures: ['DJD20'], careLevels: dayMostly, rate: 90,
    ageProfile: peak(32, 14, 16), sexFactors: [1, 0.5], privateShare: 0.3, contractSpecialistShare: 0.2,
  },
  {
    id: 'tonsillectomy', specialty: 'ent', diagnoses: ['J35.0', 'J35.1', 'G47.3'], procedures: ['EMB10', 'EMB20', 'EMB15'],
    careLevels: dayMostly, rate: 260, ageProfile: (a) => (a < 2 ? 0 : a < 10 ? 1 : a < 40 ? 0.35 : 0.05), sexFactors: [1, 1.2],
    areaEffects: { '3': 1.4, '4': 1.3 }, privateShare: 0.15, contractSpecialistShare: 0.3,
  },
  {
    id: 'sleep_apnoea_test', specialty: 'sleep_apnoea', diagnoses: ['G47.3'], procedures: ['AAFX00'], careLevels: outpatient,
    rate: 600, ageProfile: rising(25, 50), sexFactors: [1, 0.5], privateShare: 0.3, privateShareByArea: { '7': 0.4 }, contractSpecialistShare: 0.05,
  },
  {
    id: 'cpap_start', specialty: 'sleep_apnoea', diagnoses: ['G47.3'], procedures: ['GXAV37'], careLevels: outpatient, rate: 170,
    ageProfile: rising(25, 52), sexFactors: [1, 0.45], privateShare: 0.15, contractSpecialistShare: 0.02,
  },
];
/**
 * One intervention the demo contains, as in source documents 000/001: a hospital stops most upper
 * endoscopies for ages 18–44 from 22 March 2023. In St. Olav's area, 60 % of those gastroscopies
 * after that date are not done; the generator counts them so the effect estimate can be checked.
 */
export const demoIntervention = {
  name: 'Færre gastroskopier 18–44 år (St. Olav)',
  service: 'gastroscopy',
  area: '7',
  minAge: 18,
  maxAge: 44,
  start: '2023-03-22',
  dropShare: 0.6,
  /** Outpatient minutes per gastroscopy implied by source 001: 871 hours for 1 143 fewer. */
  minutes: (871 * 60) / 1143,
};

/** Everything else a hospital does, for scaling the demo to national volume; matches no service above. */
export const backgroundCodes = {
  diagnoses: ['I10', 'J18.9', 'I48.9', 'S72.0', 'Z51.1', 'F32.1', 'M54.5', 'R07.4', 'I21.4', 'N18.3', 'E11.9', 'J44.1', 'O80', 'C50.9', 'H25.1'],
  procedures: ['', '', '', 'ZXA10', 'TJF10', 'WBGM99', 'MAC00', 'CJE20', 'AAFX00'],
  specialties: ['medicine', 'surgery', 'psychiatry', 'paediatrics', 'neurology', 'cardiology', 'gynaecology'],
};
