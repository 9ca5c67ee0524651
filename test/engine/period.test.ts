import {
  comparePeriods, financialYearKey, financialYearOf, isWholeYear, parsePeriod, Period, PeriodKind, periodLength,
} from '../../src/engine/period';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Shows an absolute month index as "Dec 2015". */
function monthName(index: number): string {
  return `${MONTHS[index % 12] ?? '?'} ${Math.floor(index / 12)}`;
}

/** Parses a header label that must name a period. */
function period(label: string, reportingYear?: number): Period {
  const p = parsePeriod(label, reportingYear);
  if (p === undefined) throw new Error(`${JSON.stringify(label)} names no period`);
  return p;
}

/** The kind and span of a period in words: ["quarter", "Oct 2016", "Dec 2016"]. */
function span(label: string, reportingYear?: number): [PeriodKind, string, string] {
  const p = period(label, reportingYear);
  return [p.kind, monthName(p.start), monthName(p.end)];
}

/** Sorts header labels by what they mean and returns them as written. */
function chronological(labels: readonly string[], reportingYear?: number): string[] {
  return labels
    .map((label) => ({ label, p: period(label, reportingYear) }))
    .sort((a, b) => comparePeriods(a.p, b.p))
    .map((x) => x.label);
}

describe('parsePeriod', () => {
  describe('months', () => {
    it.each<[string, string]>([
      ['Dec-15', 'Dec 2015'],
      ['Jan-16', 'Jan 2016'],
      ['Mar-17', 'Mar 2017'],
      ['Jan 2016', 'Jan 2016'],
      ['Jan-2016', 'Jan 2016'],
      ['Dec 15', 'Dec 2015'],
      ['December 2015', 'Dec 2015'],
      ['Sept 16', 'Sep 2016'],
    ])('reads %j as the month %s', (label, month) => {
      expect(span(label)).toEqual(['month', month, month]);
    });
  });

  describe('quarters of the financial year (April to March)', () => {
    it.each<[string, number | undefined, string, string]>([
      ['Q3', 2016, 'Oct 2016', 'Dec 2016'],
      ['Q1', 2014, 'Apr 2014', 'Jun 2014'],
      ['Q4', 2016, 'Jan 2017', 'Mar 2017'],
      ['Q1 2014-15', undefined, 'Apr 2014', 'Jun 2014'],
      ['2016/17 Q3', undefined, 'Oct 2016', 'Dec 2016'],
      ['2015/16 Q4', undefined, 'Jan 2016', 'Mar 2016'],
      ['Qtr 1 2014/15', undefined, 'Apr 2014', 'Jun 2014'],
      ['Quarter 4 2016/17', undefined, 'Jan 2017', 'Mar 2017'],
    ])('reads %j (reporting year %s) as the quarter %s to %s', (label, year, from, to) => {
      expect(span(label, year)).toEqual(['quarter', from, to]);
    });

    it('names the reporting year in the label of a bare quarter', () => {
      expect(period('Q1', 2014).label).toBe('Q1 2014/15');
      expect(period('Q1 2014-15').label).toBe('Q1 2014-15');
    });

    it('places a quarter by the year in its own label before the reporting year', () => {
      expect(span('Q1 2014-15', 2016)).toEqual(['quarter', 'Apr 2014', 'Jun 2014']);
    });
  });

  describe('financial years', () => {
    it.each(['2016/17', 'FY2016/17', '2016-2017'])('reads %j as April 2016 to March 2017', (label) => {
      expect(span(label)).toEqual(['year', 'Apr 2016', 'Mar 2017']);
    });

    it.each(['2013-14', '2013/14', '2013/2014'])('reads %j as April 2013 to March 2014', (label) => {
      expect(span(label)).toEqual(['year', 'Apr 2013', 'Mar 2014']);
    });

    it('reads a year in a longer header ("Outturn 2015/16") as that year', () => {
      expect(span('Outturn 2015/16')).toEqual(['year', 'Apr 2015', 'Mar 2016']);
    });

    it('reads a bare calendar year "2016" as January to December', () => {
      expect(span('2016')).toEqual(['year', 'Jan 2016', 'Dec 2016']);
    });

    it('reads a half year "H1 2016/17" as April to September', () => {
      expect(span('H1 2016/17')).toEqual(['half', 'Apr 2016', 'Sep 2016']);
    });
  });

  describe('year end and year to date', () => {
    it.each<[string, number | undefined]>([
      ['End-of-year', 2016],
      ['2016/17 End-of-year', undefined],
      ['Year end 2016/17', undefined],
    ])('reads %j (reporting year %s) as the 2016/17 year-end', (label, year) => {
      expect(span(label, year)).toEqual(['year-end', 'Apr 2016', 'Mar 2017']);
    });

    it.each<[string, number | undefined]>([
      ['YTD', 2016],
      ['2016/17 YTD', undefined],
    ])('reads %j (reporting year %s) as the 2016/17 year to date', (label, year) => {
      expect(span(label, year)).toEqual(['year-to-date', 'Apr 2016', 'Mar 2017']);
    });

    it.each([['End-of-year', 'year-end'], ['YTD', 'year-to-date']])('places %j without a year in an ordering year, marked yearless', (label, kind) => {
      expect(parsePeriod(label)).toEqual(expect.objectContaining({ kind, yearless: true, label }));
    });
  });

  describe('rejects', () => {
    it.each(['Target', 'Narrative', 'Frequency', 'Polarity', 'Direction of Travel', 'Performance Measure', 'Q5', '2013-15', ''])(
      'does not read %j as a period',
      (label) => {
        expect(parsePeriod(label)).toBeUndefined();
        expect(parsePeriod(label, 2016)).toBeUndefined();
      },
    );
  });
});

describe('comparePeriods', () => {
  it('puts 2013-14 before a Q1 of the reporting year 2014-15, whatever the column order', () => {
    expect(chronological(['Q1', '2013-14'], 2014)).toEqual(['2013-14', 'Q1']);
  });

  it('orders the KPI outturn columns 2015/16, 2016/17 Q3, 2016/17 End-of-year', () => {
    expect(chronological(['2016/17 End-of-year', '2016/17 Q3', '2015/16'])).toEqual(['2015/16', '2016/17 Q3', '2016/17 End-of-year']);
  });

  it('puts a Q4 before the year-end of the same year, and the year to date between them', () => {
    expect(chronological(['2016/17 End-of-year', '2016/17 YTD', '2016/17 Q4'])).toEqual(['2016/17 Q4', '2016/17 YTD', '2016/17 End-of-year']);
    expect(comparePeriods(period('Q4', 2016), period('End-of-year', 2016))).toBeLessThan(0);
  });

  it('orders periods ending together from the shortest span to the whole year', () => {
    expect(chronological(['2016/17', '2016/17 Q4', 'Mar-17', 'Feb-17'])).toEqual(['Feb-17', 'Mar-17', '2016/17 Q4', '2016/17']);
  });

  it('orders a monthly series across a calendar year end', () => {
    expect(chronological(['Jan-16', 'Mar-17', 'Dec-15', 'Dec-16'])).toEqual(['Dec-15', 'Jan-16', 'Dec-16', 'Mar-17']);
  });

  it('returns 0 for the same period written two ways', () => {
    expect(comparePeriods(period('2013-14'), period('2013/14'))).toBe(0);
  });
});

describe('period lengths', () => {
  it.each<[string, number | undefined, number, boolean]>([
    ['Dec-15', undefined, 1, false],
    ['Q1', 2014, 3, false],
    ['H1 2016/17', undefined, 6, false],
    ['2013-14', undefined, 12, true],
    ['End-of-year', 2016, 12, true],
  ])('measures %j (reporting year %s) as %i months (whole year: %s)', (label, year, months, whole) => {
    const p = period(label, year);
    expect(periodLength(p)).toBe(months);
    expect(isWholeYear(p)).toBe(whole);
  });
});

describe('financialYearKey', () => {
  it('gives "2013/14", "2013-14" and "2013/2014" one key', () => {
    const key = financialYearKey('2013/14');
    expect(key).toBeDefined();
    expect(financialYearKey('2013-14')).toBe(key);
    expect(financialYearKey('2013/2014')).toBe(key);
    expect(financialYearKey('Target 2013/14')).toBe(key);
  });

  it('gives different years different keys', () => {
    expect(financialYearKey('2014/15')).not.toBe(financialYearKey('2013/14'));
  });

  it('reads the calendar year a financial year starts in', () => {
    expect(financialYearOf('2016/17')).toBe(2016);
    expect(financialYearOf('2013-2014')).toBe(2013);
  });

  describe('rejects', () => {
    it.each(['Q3', '2013-15', '2014/13', 'Target', 'Dec-15', '2016'])('gives %j no financial-year key', (label) => {
      expect(financialYearKey(label)).toBeUndefined();
    });
  });
});
