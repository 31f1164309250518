import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fewPatientsReason, levelCountsReason, serviceCountsReason } from '../analysis/concentration.js';
import { pathwayColumnReason, tooFewEntrantsReason } from '../analysis/pathways.js';
import { scenarioWithheldReason } from '../analysis/pathway-scenario.js';
import { smallCategoryReason } from '../analysis/heavy-profile.js';
import { withheldCountReason } from '../analysis/grid-suppression.js';
import { defaultSuppression, publishableCount, rateSuppression } from '../stats/suppression.js';
import { reasonInLanguage } from './reasons.js';

describe('reasons in Norwegian', () => {
  it('translates every reason the analyses write, and keeps English as written', () => {
    const small = publishableCount(2, defaultSuppression);
    const reasons = [
      rateSuppression(3, defaultSuppression)!,
      typeof small === 'number' ? '' : small.reason,
      withheldCountReason,
      fewPatientsReason(500),
      levelCountsReason,
      serviceCountsReason,
      pathwayColumnReason,
      tooFewEntrantsReason(20),
      scenarioWithheldReason,
      smallCategoryReason(4),
      'no expected events', 'no episodes', 'no events', 'no operations', 'not counted',
      'the rate of Helse Stavanger is withheld', 'the rate of Finnmark is 0',
      "the effect is not published: 3 month(s) of its series (2023-01, 2023-05, 2023-06) hold counts that are withheld, and the model's figures would give them away",
    ];
    for (const reason of reasons) {
      assert.ok(reason.length > 0);
      assert.equal(reasonInLanguage(reason, 'en'), reason);
      const nb = reasonInLanguage(reason, 'nb');
      assert.notEqual(nb, reason, `'${reason}' has no Norwegian`);
      assert.doesNotMatch(nb, /\b(the|of|than|events|withheld|no|not)\b/, nb);
    }
    assert.equal(reasonInLanguage('fewer than 10 events', 'nb'), 'færre enn 10 hendelser');
    assert.match(reasonInLanguage(reasons.at(-1)!, 'nb'), /^effekten publiseres ikke: 3 måned\(er\) i serien \(2023-01, 2023-05, 2023-06\)/);
  });
});
