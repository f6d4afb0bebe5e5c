/** Influence, advocacy and roll-up scores of personas and people. Pure: no I/O. */
export * from './influence.ts';
export * from './graph.ts';
export * from './advocacy.ts';
export * from './helpful-answers.ts';
export * from './rollup.ts';
