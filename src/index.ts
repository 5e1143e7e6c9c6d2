/**
 * The course's helper library. Notebooks import it by one specifier:
 *
 * ```ts
 * import { selectBackend, show, lineChart, seed } from 'ai-course';
 * ```
 *
 * One concept per file; this barrel is the only public entry point.
 */
export * from './backend';
export * from './display';
export * from './plot';
export * from './progress';
export * from './random';
