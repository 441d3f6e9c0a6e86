export { compareSamples, compareSorted, mannWhitneyU } from './compare.js';
export type { CompareOptions, TwoSampleComparison } from './compare.js';
export { normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';
export { medianCi, quantileSorted, sortedSamples, summarize, summarizeSorted } from './summary.js';
