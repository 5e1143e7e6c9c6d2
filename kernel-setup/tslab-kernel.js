#!/usr/bin/env node
// The course's kernel: the project's tslab, with zeromq sends serialized per socket
// (see serial-send.js for why). The kernelspec that `npm start` registers runs this file.
'use strict';
const path = require('path');
const { serializeSends } = require('./serial-send');

const tslabDir = path.dirname(require.resolve('tslab/package.json'));
// The zeromq that tslab itself loads (the same module instance, so the patch applies to its sockets).
const zmq = require(require.resolve('zeromq', { paths: [tslabDir] }));
serializeSends(zmq.Publisher.prototype); // iopub: outputs and status
serializeSends(zmq.Router.prototype); // shell and control replies
require(path.join(tslabDir, 'dist', 'main.js')).main();
