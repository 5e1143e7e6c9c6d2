#!/usr/bin/env node
// @ts-check
// `npm run nb:clean [-- files]`: strip outputs and execution counts from notebooks/*.ipynb (in place,
// atomically, only files that change). Committed notebooks carry no outputs.
'use strict';
const fs = require('fs');
const path = require('path');
const { readNotebook, cleaned, serialize } = require('./nb-format');
const { listNotebooks } = require('./common');

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : listNotebooks();
let changed = 0;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const next = serialize(cleaned(readNotebook(file)));
  if (next === text) continue;
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, next);
  fs.renameSync(tmp, file);
  changed++;
  console.log(`cleaned ${path.relative(process.cwd(), file)}`);
}
console.log(`nb:clean: ${changed} of ${files.length} notebook(s) changed`);
