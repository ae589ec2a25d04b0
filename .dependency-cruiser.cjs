/**
 * The import rules of DESIGN.md, checked in CI (`npm run lint:imports`). Each rule says which
 * layer may not import which; ARCHITECTURE.md explains the layers.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core holds domain logic and the ports: it imports no app, adapter, handler, local runtime or infrastructure code',
      severity: 'error',
      from: { path: '^lambdas/core/' },
      to: { path: '^(lambdas/(app|adapters|handlers|local|cli)/|lib/|bin/)' },
    },
    {
      name: 'core-does-no-io',
      comment: 'core talks to nothing outside the process: no AWS SDK, no HTTP client, no files, sockets, DNS or child processes',
      severity: 'error',
      from: { path: '^lambdas/core/' },
      to: {
        path: '^(node:)?(fs|fs/promises|http|https|http2|dns|dns/promises|child_process|dgram|tls)$|^node_modules/(@aws-sdk|undici|ioredis|redis)/',
        dependencyTypes: ['core', 'npm', 'npm-dev'],
      },
    },
    {
      name: 'app-imports-no-adapter',
      comment: 'app composes core and ports; the handlers choose the adapters',
      severity: 'error',
      from: { path: '^lambdas/app/' },
      to: { path: '^(lambdas/(adapters|handlers|local|cli)/|lib/|bin/)' },
    },
    {
      name: 'adapters-implement-ports',
      comment: 'an adapter implements a port from core; it does not reach into app, handlers or the runtimes',
      severity: 'error',
      from: { path: '^lambdas/adapters/' },
      to: { path: '^(lambdas/(app|handlers|local|cli)/|lib/|bin/)' },
    },
    {
      name: 'lambdas-do-not-import-infrastructure',
      comment: 'runtime code never imports the CDK app; shared facts live in lambdas/contract',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: '^(lib|bin)/|^node_modules/(aws-cdk-lib|constructs|aws-cdk)/' },
    },
    {
      name: 'lib-imports-only-the-contract',
      comment: 'lib names handler entry files by path and imports only the contract module from lambdas',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { path: '^lambdas/', pathNot: '^lambdas/contract/' },
    },
    {
      name: 'only-the-demo-imports-the-demo',
      comment:
        'lambdas/demo (npm run demo: the mock provider and its traffic) is a runtime of its own; npm start and the Lambdas never use it',
      severity: 'error',
      from: { path: '^lambdas/', pathNot: '^lambdas/demo/' },
      to: { path: '^lambdas/demo/' },
    },
    {
      name: 'dashboard-runs-in-the-browser',
      comment:
        'dashboard/src is bundled for the browser: of lambdas/ it imports types (erased from the bundle) and, as values, only modules that import nothing but types',
      severity: 'error',
      from: { path: '^dashboard/src/' },
      to: {
        path: '^lambdas/',
        pathNot: '^lambdas/(contract/metric-names|core/alerts/alert-requests-link)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'dashboard-uses-front-end-packages-only',
      comment:
        'the dashboard bundles preact, htm and uPlot; anything else (zod, the AWS SDK, Node built-ins) would not run there or weighs too much',
      severity: 'error',
      from: { path: '^dashboard/src/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '^node_modules/(preact|htm|uplot)/',
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Node's built-ins resolve to their bare names (`fs`, `fs/promises`), which the rules above name too.
    includeOnly: '^(lambdas|lib|bin|dashboard|node_modules)/|^(node:)?[a-z_/]+$',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
