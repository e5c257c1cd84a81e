// Jest projects, one per kind of suite, each with the timeout its tests need:
// `npm run test:unit` (pure, seconds), `test:e2e` (one API in-process against
// real Redis), `test:integration` (real nginx, Redis, processes, Chromium).
// ts-jest transpiles only (isolatedModules in tsconfig); type errors are
// caught by `npm run build`, which `npm test` runs first.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const project = (name) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: [`<rootDir>/test/${name}`],
  testMatch: ['**/*.spec.ts'],
  transform,
  // The project's default timeout, set in test/timeouts/<name>.timeout.js.
  setupFilesAfterEnv: [`<rootDir>/test/timeouts/${name}.timeout.js`],
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [project('unit'), project('e2e'), project('integration')],
};
