export { main } from './main.js';
export { buildProgram } from './program.js';
export { exitCodeFor, exitCodes } from './exit-codes.js';
