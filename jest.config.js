/**
 * Jest: TypeScript tests in tests/, mirroring src/. Type errors are caught by `tsc --strict` (npm run typecheck), so
 * ts-jest only transpiles (isolatedModules, set here over tsconfig.json). 'ai-course' resolves as tsconfig.json's
 * `paths` say (to src/index.ts), the same mapping typecheck and nb:check use.
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }],
  },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testTimeout: 120000,
};
