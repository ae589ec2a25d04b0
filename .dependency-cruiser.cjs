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
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(lambdas|lib|bin|node_modules|node:)',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
