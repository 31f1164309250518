import { Random } from '../stats/random.js';
import type { DemoService } from './demo-services.js';
import { LineWriter } from './line-writer.js';

/** The referrals' header (docs/data-contract.md#referrals). */
export const referralHeader =
  'referral_id,patient_id,received_date,age,sex,municipality,district,referrer_type,referrer_id,receiver_id,receiver_type,assessing_unit,assessment,deadline_date,reason_codes,requested_procedures,assessed_date';

/** The services whose episodes the demo precedes by a referral: the elective endoscopies of source 001. */
export const referredServices = new Set(['gastroscopy', 'colonoscopy']);

/** An episode the referral led to: what the referral carries over from it. */
export interface ReferredEpisode {
  service: DemoService;
  patient: string;
  startDate: string;
  age: number;
  sex: number;
  municipality: string;
  district: string;
  areaCode: string;
  provider: string;
  providerType: string;
  diagnosis: string;
  procedure: string;
}

const day = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Referrals consistent with the demo's episodes: each endoscopy episode preceded by a referral received
 * 2–8 weeks before it, asking for its procedure with its diagnosis as the reason, from a GP practice of
 * the patient's municipality, assessed as a right with a deadline by whoever assessed referrals to that
 * receiver — the private provider itself (delegated), or the area's hospital trust; and referrals that
 * led to nothing: assessed as no right, declined or returned, less often where the private provider
 * assessed (the more generous assessment that source 001 takes back). Its own random stream, so that
 * the episodes stay as they were.
 */
export class ReferralWriter {
  private readonly rng: Random;
  private readonly writer: LineWriter;
  private serial = 0;
  rows = 0;

  constructor(path: string, seed: number) {
    this.writer = new LineWriter(path);
    this.rng = new Random(seed + 7919);
  }

  async open(): Promise<void> {
    await this.writer.write(referralHeader);
  }

  async referred(e: ReferredEpisode): Promise<void> {
    const start = Date.parse(`${e.startDate}T00:00:00Z`);
    const received = start - this.rng.int(14, 56) * day;
    const delegated = e.providerType === 'private';
    const assessing = delegated ? e.provider : `HF-${e.areaCode}`;
    await this.write(e, received, assessing, 'right', iso(received + this.rng.int(30, 90) * day));
    // Referrals that led to no procedure: a private provider assessing its own referrals turns fewer away.
    const turnedAway = delegated ? 0.04 : 0.14;
    if (this.rng.next() < turnedAway) {
      const assessment = this.rng.pick(['no_right', 'no_right', 'declined', 'returned']);
      await this.write(e, received - this.rng.int(1, 60) * day, assessing, assessment, '');
    }
  }

  private async write(e: ReferredEpisode, received: number, assessing: string, assessment: string, deadline: string): Promise<void> {
    const practice = `GP-${e.municipality}-${this.rng.int(1, 4)}`;
    const assessed = iso(received + this.rng.int(1, 20) * day);
    const fields = [
      `R${++this.serial}`, e.patient, iso(received), String(e.age), String(e.sex), e.municipality, e.district, 'gp', practice,
      e.provider, e.providerType, assessing, assessment, deadline, e.diagnosis, e.procedure, assessed,
    ];
    this.rows++;
    await this.writer.write(fields.join(','));
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}
