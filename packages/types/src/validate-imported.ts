import { array, failWith, integer, nonEmptyString, nonNegative, nullable, object, oneOf, positive, string, type Check } from './_check.js';
import { importFormats, type ImportedFrom, type ReportedStatistics } from './imported.js';

const kinds = ['mean-std', 'median-iqr', 'single'] as const;

const shapes = {
  'mean-std': object({ kind: oneOf(kinds), n: integer(1), meanMs: positive, stdMs: nonNegative }),
  'median-iqr': object({ kind: oneOf(kinds), n: integer(1), medianMs: positive, p25Ms: positive, p75Ms: positive }),
  single: object({ kind: oneOf(kinds), valueMs: positive, statistic: nonEmptyString, roundingMs: nonNegative }),
};

/** Reported statistics (Measurement.reported, BaselineEntry.reported): the fields of their kind, quartiles in order. */
export const checkReported: Check<ReportedStatistics> = (v, w) => {
  const kind = object({ kind: oneOf(kinds) }, { n: positive, meanMs: positive, stdMs: nonNegative, medianMs: positive, p25Ms: positive, p75Ms: positive, valueMs: positive, statistic: string, roundingMs: nonNegative })(v, w).kind;
  const stats = shapes[kind](v, w) as ReportedStatistics;
  if (stats.kind === 'median-iqr' && !(stats.p25Ms <= stats.medianMs && stats.medianMs <= stats.p75Ms)) {
    failWith(w, `expected p25Ms <= medianMs <= p75Ms but received ${stats.p25Ms}, ${stats.medianMs}, ${stats.p75Ms}`);
  }
  return stats;
};

export const checkImportedFrom: Check<ImportedFrom> = object(
  { format: oneOf(importFormats), harness: nonEmptyString, harnessVersion: nullable(string), files: array(string) },
  { runs: integer(1) },
) as Check<ImportedFrom>;
