import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStore, tempDir, writeText } from '../test-support/fixtures.js';
import { importFile } from './import-file.js';

const header =
  'referral_id,patient_id,received_date,age,sex,municipality,district,referrer_type,referrer_id,receiver_id,receiver_type,assessing_unit,assessment,deadline_date,reason_codes,requested_procedures,assessed_date';
const good = (id: string, changes: Record<string, string> = {}) => {
  const row: Record<string, string> = {
    referral_id: id, patient_id: `P-${id}`, received_date: '2024-03-01', age: '45', sex: '2', municipality: '5001', district: '',
    referrer_type: 'gp', referrer_id: 'practice-1', receiver_id: '974749025', receiver_type: 'private', assessing_unit: 'Privat klinikk',
    assessment: 'right', deadline_date: '2024-05-01', reason_codes: 'D02;R10.1', requested_procedures: 'UJD02', assessed_date: '2024-03-05',
    ...changes,
  };
  return header.split(',').map((c) => row[c]).join(',');
};

describe('importing referrals', () => {
  it('takes a valid file, Norwegian words and NPR-style names included', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const csv = [
      header,
      good('r1'),
      good('r2', { assessment: 'ikke_rett', deadline_date: '', referrer_type: 'fastlege', receiver_type: 'contract_specialist' }),
      good('r3', { assessment: 'avvist', referrer_id: '', requested_procedures: '', assessed_date: '' }),
    ].join('\n');
    const report = await importFile(store, { kind: 'referrals', path: await writeText(dir, 'r.csv', csv) });
    assert.deepEqual([report.rowsRead, report.rowsAccepted, report.rowsRejected], [3, 3, 0]);
    // Norwegian column names resolve too.
    const norwegian = header.replace('referral_id', 'henvisning_id').replace('received_date', 'mottatt_dato').replace('assessment', 'vurdering');
    const again = await importFile(store, { kind: 'referrals', path: await writeText(dir, 'n.csv', [norwegian, good('r4')].join('\n')) });
    assert.equal(again.rowsAccepted, 1);
  });

  it('rejects every broken rule once, with line, column and reason, and keeps the rest', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    const broken: [string, Record<string, string>, RegExp][] = [
      ['received_date', { received_date: '2024-02-30' }, /date/],
      ['age', { age: '130' }, /120/],
      ['sex', { sex: '3' }, /sex|1|2/],
      ['municipality', { municipality: '50' }, /4 digits|digits/],
      ['referrer_type', { referrer_type: 'dentist' }, /gp|one of/],
      ['receiver_type', { receiver_type: 'hospital' }, /public|one of/],
      ['assessment', { assessment: 'maybe' }, /right|one of/],
      ['assessing_unit', { assessing_unit: '' }, /required|missing|empty/],
      ['assessed_date', { assessed_date: '2024-02-01' }, /must not be before/],
      ['deadline_date', { deadline_date: '2024-01-01' }, /must not be before/],
      ['reason_codes', { reason_codes: 'K2' }, /code/],
      ['patient_id', { patient_id: '' }, /required|missing|empty/],
    ];
    const lines = [header, good('ok1'), ...broken.map(([, changes], i) => good(`b${i}`, changes)), good('ok1'), good('ok2')];
    const report = await importFile(store, { kind: 'referrals', path: await writeText(dir, 'bad.csv', lines.join('\n')) });
    // Read = accepted + rejected: two good rows; every broken one and the repeated id rejected.
    assert.equal(report.rowsRead, broken.length + 3);
    assert.equal(report.rowsAccepted, 2);
    assert.equal(report.rowsRejected, broken.length + 1);
    const rejects = await store.rejects({ limit: 100 });
    for (const [i, [column, , reason]] of broken.entries()) {
      const line = i + 3;
      const r = rejects.find((x) => x.line === line);
      assert.ok(r, `line ${line} (${column}) rejected`);
      assert.equal(r!.column, column, `line ${line}`);
      assert.match(r!.reason, reason, `line ${line}: ${r!.reason}`);
    }
    const duplicate = rejects.find((x) => x.line === broken.length + 3);
    assert.match(duplicate!.reason, /duplicate referral_id/);
    // No patient id in any reject's reason or value.
    assert.ok(!rejects.some((r) => /P-(b|ok)\d/.test(`${r.reason} ${r.value ?? ''}`)), 'a patient id in the rejects');
  });

  it('leaves the store as it was when the file cannot be read', async () => {
    const store = await memoryStore();
    const dir = await tempDir();
    await assert.rejects(importFile(store, { kind: 'referrals', path: await writeText(dir, 'h.csv', 'referral_id,patient_id\nr1,p1\n') }), /missing|required/);
    assert.equal((await store.status()).imports.filter((i) => i.kind === 'referrals').length, 0);
  });
});
