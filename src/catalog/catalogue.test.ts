import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VaratlasError } from '../errors.js';
import { tempDir, writeText } from '../test-support/fixtures.js';
import { describeService } from './describe-service.js';
import { findService, loadCatalogue } from './load-catalogue.js';

describe('service catalogue', () => {
  it('ships every coded service of source 004, with contract volumes and vague entries marked', async () => {
    const catalogue = await loadCatalogue();
    const ids = catalogue.services.map((s) => s.id);
    for (const id of ['gastroscopy', 'colonoscopy', 'groin_hernia', 'varicose_veins', 'small_plastic_surgery', 'meniscectomy', 'sleep_apnoea_test', 'cpap_start', 'septoplasty']) {
      assert.ok(ids.includes(id), id);
    }
    const hernia = findService(catalogue, 'groin_hernia');
    assert.deepEqual(hernia.age, { min: 18, max: undefined });
    assert.equal(hernia.contractVolume, 150);
    assert.deepEqual(hernia.include, [{ diagnoses: ['K40*'], procedures: ['JAB00', 'JAB10', 'JAB11', 'JAB30', 'JAC*'] }]);
    assert.match(findService(catalogue, 'gastroscopy').confirm ?? '', /UJD02/);
  });

  it('explains a definition in words', async () => {
    const text = describeService(findService(await loadCatalogue(), 'groin_hernia'), 'en');
    assert.match(text, /main diagnosis starting with K40 and a procedure JAB00, JAB10, JAB11, JAB30 or starting with JAC/);
    assert.match(text, /aged 18 or over/);
  });

  it('a user catalogue adds services and replaces one with the same id', async () => {
    const dir = await tempDir();
    const file = await writeText(
      dir,
      'local.yaml',
      `services:
  - id: gastroscopy
    name: { nb: Gastroskopi (lokal), en: Gastroscopy (local) }
    specialty: gastroenterology
    include:
      - procedures: [UJD02]
  - id: knee_arthroscopy
    name: { nb: Kneartroskopi, en: Knee arthroscopy }
    specialty: orthopaedics
    include:
      - procedures: [NGA11]
    age: { min: 50 }
`,
    );
    const base = await loadCatalogue();
    const catalogue = await loadCatalogue([file]);
    assert.equal(catalogue.services.length, base.services.length + 1);
    assert.equal(findService(catalogue, 'gastroscopy').name.en, 'Gastroscopy (local)');
    assert.notEqual(catalogue.fingerprint, base.fingerprint);
  });

  const bad: [string, string, RegExp][] = [
    ['bad ICD-10 code', '- procedures: [UJD02]\n        diagnoses: [K2X]', /bad\.yaml: service 'x': include\[0\]\.diagnoses: 'K2X' is not an ICD-10 code/],
    ['bad procedure code', '- procedures: [12AB]', /include\[0\]\.procedures: '12AB' is not a procedure code/],
    ['unknown criterion', '- codes: [UJD02]', /unknown criterion 'codes'/],
    ['empty alternative', '- {}', /include\[0\] has no criterion/],
  ];
  for (const [name, include, message] of bad) {
    it(`rejects a ${name}, naming file, entry and rule`, async () => {
      const dir = await tempDir();
      const file = await writeText(dir, 'bad.yaml', `services:\n  - id: x\n    name: { nb: X, en: X }\n    specialty: s\n    include:\n      ${include}\n`);
      await assert.rejects(loadCatalogue([file]), (e: unknown) => e instanceof VaratlasError && message.test(e.message));
    });
  }

  it('rejects an age limit out of range and an unknown key', async () => {
    const dir = await tempDir();
    const head = 'services:\n  - id: x\n    name: { nb: X, en: X }\n    specialty: s\n    include:\n      - procedures: [UJD02]\n';
    await assert.rejects(loadCatalogue([await writeText(dir, 'a.yaml', `${head}    age: { min: 130 }\n`)]), /age\.min must be a whole number from 0 to 120/);
    await assert.rejects(loadCatalogue([await writeText(dir, 'b.yaml', `${head}    colour: red\n`)]), /unknown key 'colour'/);
  });
});
