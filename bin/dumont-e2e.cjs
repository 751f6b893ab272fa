#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are (no build step to forget).
'use strict';
require('tsx/cjs/api').register();
require('../src/client/cli.ts').runCli();
