// Import rules checked by `npm run lint` (depcruise). They keep the direction
// of dependencies that docs/architecture.md describes.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'cli-is-the-top',
      comment: 'Only bench/cli knows exit codes and commands; nothing below imports it.',
      severity: 'error',
      from: { pathNot: '^bench/cli/' },
      to: { path: '^bench/cli/' },
    },
    {
      name: 'api-and-bench-meet-over-http',
      comment: 'apps/api and bench never import each other (docs/api-contract.md is their interface).',
      severity: 'error',
      from: { path: '^apps/' },
      to: { path: '^(bench|infra)/' },
    },
    {
      name: 'bench-does-not-import-the-api',
      severity: 'error',
      from: { path: '^(bench|infra)/' },
      to: { path: '^apps/' },
    },
    {
      name: 'infra-below-bench',
      comment: 'infra starts topologies; it does not know about plans, runs or reports.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^bench/' },
    },
    {
      name: 'source-does-not-import-tests',
      severity: 'error',
      from: { path: '^(apps|bench|infra)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules|reports)/' },
  },
};
