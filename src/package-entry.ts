// What the build makes dist/jailthread.cjs of (dist/index.js re-exports it): the public API, and the start of a
// thread's child when the worker entry loads that file (src/child/main.ts).
// The declarations come from index.ts alone.
export * from './index.js';

import './child/main.js';
