/** Jest: TypeScript tests in tests/, mirroring src/. Type errors are caught by `tsc --strict` (npm run typecheck), so ts-jest only transpiles. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    '^ai-course$': '<rootDir>/src/index.ts',
  },
  testTimeout: 120000,
};
