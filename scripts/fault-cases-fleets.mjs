// The bad inputs of issue 26 (a fleet: any GPU of a host, shards, merge, a digested baseline,
// drift issues): each refused with one line, its exit code, nothing written. Run with the rest
// by `node scripts/fault-table.mjs` (group `fleets`).
const run = ['run', '--backend', 'cpu'];
const refused = { exit: 2, disk: 'nothing', message: /^(ratchet|error): / };
const environment = { exit: 3, disk: 'nothing', message: /^ratchet: / };

/** The seeded project's comparison as shard `index` of `count`, in directory `dir`, with `stamp` over its stamp. */
function shard(p, dir, index, count, stamp = {}) {
  const comparison = p.json('results/comparison.json');
  p.write(`${dir}/comparison.json`, { ...comparison, shard: { ...comparison.shard, index, count, ...stamp } });
}

export const fleetsCases = [
  { id: 'shard-out-of-range', group: 'fleets', title: '`--shard 3/2`: an index past the count', args: [...run, '--shard', '3/2'], expect: refused },
  { id: 'shard-malformed', group: 'fleets', title: '`--shard half`', args: ['bench', '--backend', 'cpu', '--shard', 'half'], expect: refused },
  { id: 'device-missing', group: 'fleets', title: '`--device 7`: a device that is not there', args: [...run, '--device', '7'], expect: environment },
  { id: 'device-malformed', group: 'fleets', title: '`--device gpu0`: neither an index nor a UUID', args: [...run, '--device', 'gpu0'], expect: refused },
  {
    id: 'merge-other-config', group: 'fleets', title: '`merge` of two shards, one judged with another ratchet.config.json', args: ['merge', 'a', 'b'], expect: refused,
    setup: (p) => {
      shard(p, 'a', 1, 2);
      shard(p, 'b', 2, 2, { config: 'sha256:0ther' });
    },
  },
  { id: 'merge-missing-shard', group: 'fleets', title: '`merge` of shard 1/2 alone', args: ['merge', 'a'], expect: refused, setup: (p) => shard(p, 'a', 1, 2) },
  {
    id: 'digest-mismatch', group: 'fleets', title: 'a baseline entry whose digest does not match its summary (median edited)', args: run, expect: refused,
    setup: (p) => {
      const baseline = p.json('.ratchet/baseline.json');
      const entry = Object.values(Object.values(baseline.devices)[0].benchmarks)[0];
      entry.summary.median *= 1.5;
      p.write('.ratchet/baseline.json', baseline);
    },
  },
  { id: 'drift-no-token', group: 'fleets', title: '`ci --drift` without GITHUB_TOKEN', args: ['ci', '--drift'], setup: () => ({ env: { GITHUB_TOKEN: '' } }), expect: environment },
];
