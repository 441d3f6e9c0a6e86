// Every command, in the order `ratchet --help` lists them. Each registers itself (its name,
// arguments, options and help) and loads what it does only when it runs; no command imports
// another: what several share lives beside commands/ (measuring/, judging/, peers/).
import type { Command } from 'commander';
import type { CommandKit } from '../command-kit.js';
import { register as accept } from './accept/index.js';
import { register as autotune } from './autotune/index.js';
import { register as bench } from './bench/index.js';
import { register as calibrate } from './calibrate/index.js';
import { register as check } from './check/index.js';
import { register as ci } from './ci/index.js';
import { register as compare } from './compare/index.js';
import { register as dashboard } from './dashboard/index.js';
import { register as devices } from './devices/index.js';
import { register as history } from './history/index.js';
import { register as merge } from './merge/index.js';
import { register as problems } from './problems/index.js';
import { register as report } from './report/index.js';
import { register as run } from './run/index.js';
import { register as sota } from './sota/index.js';

export const commands: readonly ((program: Command, kit: CommandKit) => void)[] = [
  run, bench, compare, merge, report, accept, sota, autotune, calibrate, ci, dashboard, history, problems, check, devices,
];
