import {
  Polarity, PolarityEvidence, PolaritySource, polarityFromPhrase, polarityFromWording, resolvePolarity,
} from '../../src/engine/polarity';
import { parseTarget } from '../../src/engine/target';

/** Evidence for one row as a sheet shows it: measure text, target text, and what else the row has. */
function row(measure: string, target = '', extra: Partial<Omit<PolarityEvidence, 'measure' | 'target'>> = {}): PolarityEvidence {
  return { measure, target: parseTarget(target), isBudget: false, ...extra };
}

/** Resolves a row and returns polarity and source together, for one-line assertions. */
function resolved(e: PolarityEvidence): [Polarity, PolaritySource] {
  const r = resolvePolarity(e);
  return [r.polarity, r.source];
}

describe('polarityFromPhrase', () => {
  it.each<[string, Exclude<Polarity, 'unknown'>]>([
    ['Greater is better', 'higher'],
    ['Higher is better', 'higher'],
    ['Bigger is better', 'higher'],
    ['Aim to Maximise', 'higher'],
    ['High', 'higher'],
    ['Smaller is better', 'lower'],
    ['Lower is better', 'lower'],
    ['  lower  is  better ', 'lower'],
    ['Aim to Minimise', 'lower'],
    ['Low', 'lower'],
    ['Goldilocks', 'range'],
    ['Closer to target is better', 'range'],
  ])('reads the Polarity column phrase %j as %s', (phrase, polarity) => {
    expect(polarityFromPhrase(phrase)).toBe(polarity);
  });

  it.each<[string, Exclude<Polarity, 'unknown'>]>([
    ['Aim to Maximize', 'higher'],
    ['Aim to Minimize', 'lower'],
  ])('reads the US spelling %j as %s', (phrase, polarity) => {
    expect(polarityFromPhrase(phrase)).toBe(polarity);
  });

  describe('rejects', () => {
    it.each(['', 'n/a', 'Better', 'Annual', '▲', 'Greater is worse'])('reads nothing from %j', (phrase) => {
      expect(polarityFromPhrase(phrase)).toBeUndefined();
    });
  });
});

describe('polarityFromWording', () => {
  it.each<[string, 'higher' | 'lower', string]>([
    ['Reduce the attainment gap at age 16 between free school meal pupils and their peers', 'lower', 'Reduce'],
    ['Decrease the number of children requiring accommodation help from the local authority', 'lower', 'Decrease'],
    ['Absence - days lost per FTE', 'lower', 'days lost'],
    ['Sickness absence', 'lower', 'Sickness'],
    ['Turnover (annualised)', 'lower', 'Turnover'],
    ['Social worker attrition rate', 'lower', 'attrition'],
    ['Reduce the number of 16-19 year olds NEET', 'lower', 'Reduce'],
    ['Number of young people NEET', 'lower', 'NEET'],
    ['% of young people not in employment, education or training', 'lower', 'not in employment'],
    ['% of young people whose destination is not known (16-19 year olds)', 'lower', 'not known'],
    ['Number of complaints', 'lower', 'complaints'],
    ['Number of schools reporting deficit spend', 'lower', 'deficit'],
    ['Re-referrals to social care', 'lower', 'Re-referrals'],
    ['Permanent Costs', 'lower', 'Costs'],
    ['Vacancy rate', 'lower', 'Vacancy'],
    ['Satisfaction of customers with Early Help services', 'higher', 'Satisfaction'],
    ['Customer satisfaction', 'higher', 'satisfaction'],
    ['The % of Child Protection visits completed within timescale', 'higher', 'completed'],
    ['Assessments within timescale', 'higher', 'within timescale'],
    ['The % of contacts screened within 24 hours by a qualified practitioner', 'higher', 'within 24 hours'],
    ['Improve education outcomes at age 5', 'higher', 'Improve'],
    ['Increase the proportion of pupils attending a school and or setting that is good or outstanding', 'higher', 'Increase'],
    ['Amount of Reward Grant Received', 'higher', 'Received'],
    ["Number of families 'turned around' via the re-shaping of integrated services for families", 'higher', 'turned around'],
    ['Council tax collected', 'higher', 'collected'],
  ])('reads %j as %s from the word %j', (measure, polarity, word) => {
    expect(polarityFromWording(measure, null)).toEqual({ polarity, word });
  });

  it('lets a leading verb set the aim when the measure has words of both kinds', () => {
    expect(polarityFromWording('Reduce the number of targets not achieved', null)?.polarity).toBe('lower');
    expect(polarityFromWording('Increase the reduction in waiting', null)?.polarity).toBe('higher');
  });

  it.each([
    ['% of complaints responded to within 10 working days', 'higher', 'within 10 working days'],
    ['Proportion of complaints closed within timescales', 'higher', 'within timescales'],
    ['Percentage of spend with local suppliers achieved', 'higher', 'achieved'],
    ['Average customer wait time to corporate contact centre', 'lower', 'Average customer wait time'],
  ])('lets an outcome outweigh the thing counted: %j reads %s from %j', (measure, polarity, word) => {
    expect(polarityFromWording(measure, null)).toEqual({ polarity, word });
  });

  it.each([
    ['Percentage of homes not meeting the Decent Homes Standard', 'lower', 'not meeting'],
    ['How many times in the year did not meet the statutory duty to complete a gas safety check', 'lower', 'not meet'],
    ['Repairs not completed on time', 'lower', 'not completed'],
    ['Streets with no missed collections', 'higher', 'no missed'],
    ['Diagnostic waits over 6 weeks', 'lower', 'over 6 weeks'],
    ['18 weeks: no more than 18 weeks from referral to treatment', 'higher', 'no more than 18 weeks'],
  ])('turns an outcome round after a negation: %j reads %s from %j', (measure, polarity, word) => {
    expect(polarityFromWording(measure, null)).toEqual({ polarity, word });
  });

  it.each([
    'Missed collections completed on time',
    'Number of visits',
  ])('says nothing about %j, whose words pull both ways at one weight or say nothing', (measure) => {
    expect(polarityFromWording(measure, null)).toBeUndefined();
  });

  it('reads "Reduction in the cost of X" with a bound target as higher: the measure is the amount saved', () => {
    expect(polarityFromWording('Reduction in the cost of Looked After Children support service', parseTarget('£80,000'))?.polarity).toBe('higher');
    expect(polarityFromWording("Reduction in the cost of Children's Centres", parseTarget('£570,000'))?.polarity).toBe('higher');
  });

  it('reads "Reduction in the cost of X" without a target as lower, by its words', () => {
    expect(polarityFromWording('Reduction in the cost of Looked After Children support service', null)?.polarity).toBe('lower');
  });

  describe('rejects', () => {
    it.each(['FTE', 'Headcount', 'Children in need', 'Number of young people offered a personal budget', 'The % of 16+ care leavers that have access to GP services'])(
      'reads no polarity from %j',
      (measure) => {
        expect(polarityFromWording(measure, null)).toBeUndefined();
      },
    );
  });
});

describe('resolvePolarity', () => {
  describe('strongest evidence first', () => {
    it('takes the Polarity column over the target comparator and the wording', () => {
      const r = resolvePolarity(row('Increase customer satisfaction', '>85%', { columnText: 'Lower is better' }));
      expect([r.polarity, r.source]).toEqual(['lower', 'column']);
      expect(r.reason).toContain('Lower is better');
    });

    it('falls back to the target when the Polarity column says nothing known', () => {
      expect(resolved(row('Reduce the number', '>85%', { columnText: 'see notes' }))).toEqual(['higher', 'target']);
      expect(resolved(row('Reduce the number', '>85%', { columnText: '' }))).toEqual(['higher', 'target']);
    });

    it('takes the target comparator over the wording', () => {
      expect(resolved(row('Reduce the number of referrals', '>85%'))).toEqual(['higher', 'target']);
      expect(resolved(row('Increase the proportion', '<30%'))).toEqual(['lower', 'target']);
    });

    it('takes the target comparator over budget semantics', () => {
      expect(resolved(row('Income', '>£80,000', { isBudget: true }))).toEqual(['higher', 'target']);
    });

    it('reads lower for a budget line with a bare target, before the wording', () => {
      const r = resolvePolarity(row('Income from grants', '£80,000', { isBudget: true }));
      expect([r.polarity, r.source]).toEqual(['lower', 'budget']);
    });

    it('takes the wording over the baseline', () => {
      expect(resolved(row('Reduce the number', '70%', { targetVsBaseline: { target: 0.7, baseline: 0.6 } }))).toEqual(['lower', 'wording']);
    });
  });

  describe('targets', () => {
    it.each<[string, Polarity]>([
      ['>85%', 'higher'],
      ['at least 90%', 'higher'],
      ['85%+', 'higher'],
      ['<30%', 'lower'],
      ['<5', 'lower'],
      ['no more than 5', 'lower'],
      ['16 - 18', 'range'],
      ['20% reduction', 'lower'],
      ['10% increase', 'higher'],
      ['>2013/14', 'higher'],
      ['<2013/14', 'lower'],
    ])('reads the target %j as %s', (target, polarity) => {
      expect(resolved(row('Number of visits', target))).toEqual([polarity, 'target']);
    });

    it('takes a range target over wording that says reduce', () => {
      expect(resolved(row('Reduce the average number of cases per social worker', '16 - 18'))).toEqual(['range', 'target']);
    });

    it('does not read a direction from a bare target value', () => {
      expect(resolved(row('Number of visits', '70%'))).toEqual(['unknown', 'none']);
    });
  });

  describe('the target against the previous outturn', () => {
    it('returns higher polarity when the target is above the previous outturn', () => {
      const r = resolvePolarity(row('Pupils at the expected level', '70%', { targetVsBaseline: { target: 0.7, baseline: 0.65 } }));
      expect([r.polarity, r.source]).toEqual(['higher', 'baseline']);
      expect(r.reason).toContain('above');
    });

    it('returns lower polarity when the target is below the previous outturn', () => {
      expect(resolved(row('Pupils at the expected level', '60%', { targetVsBaseline: { target: 0.6, baseline: 0.65 } }))).toEqual(['lower', 'baseline']);
    });

    it('returns unknown when the target equals the previous outturn', () => {
      expect(resolved(row('Pupils at the expected level', '65%', { targetVsBaseline: { target: 0.65, baseline: 0.65 } }))).toEqual(['unknown', 'none']);
    });
  });

  it.each<[string, string]>([
    ['FTE', ''],
    ['Headcount', ''],
    ['Number of young people offered a personal budget', '2'],
    ['The % of audits that demonstrate a consistent application of thresholds across agencies', '70%'],
    ['Number of young people offered a personal budget', 'N/A'],
  ])('returns unknown with source none for %j (target %j) when nothing says which way is better', (measure, target) => {
    const r = resolvePolarity(row(measure, target));
    expect([r.polarity, r.source]).toEqual(['unknown', 'none']);
    expect(r.reason).not.toBe('');
  });

  describe('seed rows (shared/acceptance)', () => {
    it.each<[string, string, Polarity, PolaritySource]>([
      ['Number of schools reporting deficit spend', '0', 'lower', 'wording'],
      ['Reduce the spend in institutionalised care', '', 'lower', 'wording'],
      ['Reduction in the cost of Looked After Children support service', '£80,000', 'higher', 'wording'],
      ['Amount of Reward Grant Received', '£240k', 'higher', 'wording'],
      ["Number of families 'turned around' via the re-shaping of integrated services for families", '184', 'higher', 'wording'],
      ['% of young people not in employment, education or training', '5.50%', 'lower', 'wording'],
      ['% of children attending a primary school/setting that is good/outstanding', '>85%', 'higher', 'target'],
      ['% of young people whose destination is not known (16-19 year olds)', '2%', 'lower', 'wording'],
      ['The number of young people with disabilities supported in to local services', '>2013/14', 'higher', 'target'],
      ['Reduce the use of institutionalised care for children with disabilities', '<2013/14', 'lower', 'target'],
      ['Average number of cases per social worker', '16 - 18', 'range', 'target'],
      ['% of families being referred to higher levels of need services', '20% reduction', 'lower', 'target'],
      ['The % of contacts screened within 24 hours by a qualified practitioner', '100%', 'higher', 'wording'],
      ['The % of established roles within social care filled by interim staff', '<30%', 'lower', 'target'],
      ['Social worker attrition rate', '<5', 'lower', 'target'],
      ['Satisfaction of customers with Early Help services', '80%', 'higher', 'wording'],
      ['The % of cases stepped up to Multi Agency Group discussion', '25% reduction', 'lower', 'target'],
      ['The average tenure of staff within social care', '>2013/14', 'higher', 'target'],
      ['Absence - days lost per FTE', '', 'lower', 'wording'],
      ['Turnover (annualised)', '', 'lower', 'wording'],
    ])('reads %j (target %j) as %s from the %s', (measure, target, polarity, source) => {
      expect(resolved(row(measure, target))).toEqual([polarity, source]);
    });

    it.each<[string, string]>([
      ['Reduce the attainment gap at age 16 between free school meal pupils and their peers', 'Smaller is better'],
      ['Decrease the number of children requiring accommodation help from the local authority', 'Lower is better'],
      ['Reduce the number of children being referred to children\'s social care for a service', 'Lower is better'],
    ])('reads %j as lower from the Polarity column %j', (measure, column) => {
      expect(resolved(row(measure, '287', { columnText: column }))).toEqual(['lower', 'column']);
    });

    it('reads the Indicators rows with "Greater is better" as higher from the column', () => {
      expect(resolved(row('Increase the proportion of pupils attending a school', 'Primary 88%', { columnText: 'Greater is better' }))).toEqual(['higher', 'column']);
    });
  });
});
