/**
 * danfojs-node (DataFrames, 数据框), loaded on first use: it takes one to two seconds to load, so
 * `import ... from 'ai-course'` stays fast for notebooks that never build a DataFrame. It runs on
 * the same @tensorflow/tfjs 4.22 as the rest of the course (npm overrides in package.json).
 *
 * ```ts
 * const dfd = lazyDanfo();
 * const df = new dfd.DataFrame({ a: [1, 2], b: ['x', 'y'] });
 * ```
 */
import type * as Dfd from 'danfojs-node';

let cached: typeof Dfd | null = null;

/** The danfojs-node module (`import * as dfd from 'danfojs-node'`), required on the first call. */
export function lazyDanfo(): typeof Dfd {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  cached ??= require('danfojs-node') as typeof Dfd;
  return cached;
}
