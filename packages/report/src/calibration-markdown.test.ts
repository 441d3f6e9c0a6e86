import { describe, expect, it } from 'vitest';
import type { CalibrationRow } from '@ratchet/types';
import { renderCalibrationMarkdown } from './calibration-markdown.js';

const row: CalibrationRow = {
  id: 'rmsnorm/fp16/rows8192_cols4096', regressionPct: 1.5, remeasured: 0, trials: 100,
  verdicts: { regression: 0, improvement: 0, unchanged: 99, new: 0, missing: 0, invalid: 0, inconclusive: 1 },
  falseAlarmRate: 0, falseAlarmTrials: [], noiseFloorPct: 0.41, thresholdBelowNoise: false, mdcPct: 2.2,
  sensitivity: [
    { slowdownPct: 1, trials: 20, detected: 3, rate: 0.15, measuredSlowdownPct: 0.83, waitScale: 1.25, statedMdcPct: 2.2, statedHolds: null },
    { slowdownPct: 3, trials: 20, detected: 20, rate: 1, measuredSlowdownPct: 2.96, statedMdcPct: 2.2, statedHolds: true },
    { slowdownPct: 5, trials: 20, detected: 15, rate: 0.75, measuredSlowdownPct: 4.9, statedMdcPct: 2.2, statedHolds: false },
  ],
  smallestReliablePct: 3, smallestReliableLandedPct: 2.96,
};

describe('renderCalibrationMarkdown', () => {
  const text = renderCalibrationMarkdown('NVIDIA H100 80GB HBM3', { regressionPct: 3, improvementPct: 5, alpha: 0.05 }, [{ regressionPct: 1.5, suiteSize: 16, suiteFalseAlarmRate: 0, rows: [row] }]);

  it("reports detection at the slowdown that landed, the wait's correction beside it, and the stated sensitivity checked against it", () => {
    expect(text).toContain('| Benchmark | A/A trials | false alarms | inconclusive | noise floor (95% CI half-width) | stated MDC | +1% asked: detected | +3% asked: detected | +5% asked: detected | smallest ≥95% (landed) |');
    expect(text).toContain('| rmsnorm/fp16/rows8192\\_cols4096 | 100 | 0 (0.0%) | 1 | 0.41% | +2.20% | 15.0% at +0.83% landed, wait x1.25 | 100.0% at +2.96% landed ✓ | 75.0% at +4.90% landed ✗ under the stated | 3% (+2.96%) |');
    expect(text).toContain('held on 1 of the 2 injected slowdowns that landed at or past it');
    expect(text).toContain('each wait is scaled by at most x0.8-x1.25 to land near the size asked, from one probe and only when that probe is precise to a tenth of the size, and reported where it landed');
  });
});
