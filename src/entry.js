// The runtime entry of the 'ai-course' package (node_modules/ai-course is a link to src/).
// Node resolves `main` relative to the link, so it points here, and this file (whose own path is
// resolved) loads the compiled library. Run `npm run build` after editing src/*.ts.
'use strict';
try {
  module.exports = require('../build/lib/index.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /build[\\/]lib[\\/]index\.js/.test(String(err.message))) {
    throw new Error("ai-course: the library is not built yet (build/lib/index.js is missing). Run `npm run build` in the course folder, then restart the kernel.");
  }
  throw err;
}
