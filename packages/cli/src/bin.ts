#!/usr/bin/env node
import { dropOutputWhenStdoutCloses } from './closed-stdout.js';
import { main } from './main.js';

// For the whole process: a write that fails after main returns still lands on this handler.
dropOutputWhenStdoutCloses();
process.exitCode = await main(process.argv);
