export { buildProgram, main } from './main.js';
export { exitCodeFor, exitCodes } from './exit-codes.js';
