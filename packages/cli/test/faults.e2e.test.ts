import { cases } from '../../../scripts/fault-cases.mjs';
import { describeFaultRows } from './fault-rows.js';

/**
 * A subset of docs/faults.md's table (scripts/fault-table.mjs runs all of it), as regression tests:
 * cases not covered by the other e2e files, one or more of each group. Each asserts the exit status
 * and what was left on disk, exactly as the table checks them.
 */
const subset = [
  'config-not-json', 'shape-s-string', 'threshold-alpha', 'budget-time', 'results-is-dir', 'baseline-proc', 'history-sys',
  'usage-accept-empty-reason', 'usage-config-dir', 'usage-base-build-missing', 'baseline-version', 'baseline-dir',
  'history-not-event', 'results-duplicate', 'comparison-corrupt-ci', 'tuning-other-device', 'lock-garbage', 'lock-other-host',
  'readonly-results', 'immutable-report', 'disk-full', 'sigterm-measuring', 'control-first-run', 'control-no-ratchet',
  'tuning-legacy-pin', 'check-infinite', 'gate-base-config-invalid', 'gate-pr-loosens', 'env-python-protocol', 'identity-base-other-arch', 'history-import-not-parquet',
  'native-prebuilt-truncated', 'native-prebuilt-other-arch', 'native-prebuilt-none', 'native-driver-too-old',
];

describeFaultRows('the fault table, in part', subset.map((id) => cases.find((c) => c.id === id)!));
