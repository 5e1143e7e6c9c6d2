/**
 * The course's helper library. Notebooks import it by one specifier:
 *
 * ```ts
 * import { selectBackend, show, lineChart, seed } from 'ai-course';
 * ```
 *
 * src/ is grouped by domain; each folder's index.ts names its public exports one by one (internals such as kernel
 * configs stay out), and this barrel re-exports those folders.
 */
export * from './backends';
export * from './data';
export * from './deploy';
export * from './exercises';
export * from './explain';
export * from './metrics';
export * from './models';
export * from './notebook';
export * from './privacy';
export * from './scratch';
export * from './training';
export * from './tuning';
export * from './vision';
