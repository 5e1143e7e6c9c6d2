// Types of the 'ai-course' package: the declarations `npm run build` writes from src/*.ts.
export * from '../build/lib/index';
