#!/usr/bin/env node
// @ts-check
// The course's kernel: the project's tslab, with zeromq sends serialized per socket, bounded, and
// failed sends counted (see serial-send.js for why). The kernelspec that `npm start` registers runs
// this file. Notebook code runs in this process (tslab uses vm.runInThisContext), so the counts are
// on `globalThis[Symbol.for('ai-course.kernelSends')]` — `{ failed, dropped, lastError }` — where the
// headless runner's check after every cell reads them (a run that lost a message fails).
'use strict';
const path = require('path');
const { serializeSends, newSendStats, maxQueuedFromEnv } = require('./serial-send');

const tslabDir = path.dirname(require.resolve('tslab/package.json'));
// The zeromq that tslab itself loads (the same module instance, so the patch applies to its sockets).
const zmq = require(require.resolve('zeromq', { paths: [tslabDir] }));
const stats = newSendStats();
Object.defineProperty(globalThis, Symbol.for('ai-course.kernelSends'), { value: stats, enumerable: false });
const maxQueued = maxQueuedFromEnv();
// iopub: outputs and status. noDrop: a full pipe (Jupyter reading slowly) is an error that serializeSends
// retries, not a message zeromq drops silently.
serializeSends(zmq.Publisher.prototype, { stats, maxQueued, socketOptions: { noDrop: true } });
serializeSends(zmq.Router.prototype, { stats, maxQueued }); // shell and control replies
require(path.join(tslabDir, 'dist', 'main.js')).main();
