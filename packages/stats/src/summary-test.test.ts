import { describe, expect, it } from 'vitest';
import { compareLogLocations, logMean, logMedian } from './summary-test.js';

describe('Welch t on log locations (summary-based test)', () => {
  it('takes the standard error of ln(mean) as cv / sqrt(n) and of ln(median) from the quartiles as for normal samples', () => {
    expect(logMean(100, 2, 0.2)).toEqual({ log: Math.log(2), seLog: 0.01, dof: 99, n: 100 });
    // IQR 1.349 is one standard deviation; a median's se is sqrt(pi/2) times a mean's.
    const median = logMedian(25, 10, 10 - 0.6745, 10 + 0.6745);
    expect(median.seLog).toBeCloseTo(Math.sqrt(Math.PI / 2) / 10 / 5, 12);
  });

  it('matches scipy: Welch\'s t with Welch-Satterthwaite dof, one- and two-sided, and the ratio\'s CI', () => {
    // python3 -c "from scipy import stats; import math; v1=0.01**2; v2=0.012**2; df=(v1+v2)**2/(v1**2/19+v2**2/29);
    //   se=math.sqrt(v1+v2); d=math.log(1.05); t=d/se; q=stats.t.ppf(0.975, df);
    //   print(df, stats.t.sf(t, df), math.exp(d-q*se), math.exp(d+q*se))"
    const result = compareLogLocations({ log: 0, seLog: 0.01, dof: 19, n: 20 }, { log: Math.log(1.05), seLog: 0.012, dof: 29, n: 30 });
    expect(result.dof).toBeCloseTo(47.9606774427472, 10);
    expect(result.pSlower).toBeCloseTo(0.0015144210971791158, 8);
    expect(result.pValue).toBeCloseTo(0.0030288421943582317, 8);
    expect(result.ratioCi[0]).toBeCloseTo(1.0175343327117896, 8);
    expect(result.ratioCi[1]).toBeCloseTo(1.0835015237881673, 8);
    expect(result.ratio).toBeCloseTo(1.05, 12);
  });

  it('gives no spread an exact ratio and a one-sided p of 0 or 1, never a CI it did not measure', () => {
    const result = compareLogLocations(logMean(10, 1, 0), logMean(10, 1.1, 0));
    expect(result.ratioCi).toEqual([result.ratio, result.ratio]);
    expect([result.pSlower, result.pFaster]).toEqual([0, 1]);
  });
});
