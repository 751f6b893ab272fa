// The worker of the scale benchmark, in its own process so its memory is its own: node bench/scale-worker.cjs
// <address> <taskQueue> <bundle.js> [maxCachedWorkflows]. Prints `ready`, then `activities <count>` lines.
'use strict';
require('tsx/cjs/api').register();
require('./scale-worker-main.ts').main(process.argv.slice(2));
