/**
 * Dependency rules from ARCHITECTURE.md, checked by `npm run lint`. Test files (`*.test.ts`, fixtures) may use
 * testkit and store to run against real databases; the rules bind production source.
 */
const notTest = '\\.(test|fixture|test-support)\\.ts$';
const pkg = (name) => `^packages/${name}/`;
const node = { dependencyTypes: ['core'] };

module.exports = {
  forbidden: [
    {
      name: 'canonical-is-pure',
      comment: 'canonical may import zod only (it runs in browsers): no Node built-ins, no other package',
      severity: 'error',
      from: { path: pkg('canonical') + 'src/', pathNot: notTest },
      to: { pathNot: ['^packages/canonical/', 'node_modules/zod/'] },
    },
    {
      name: 'core-imports-canonical-only',
      severity: 'error',
      from: { path: pkg('core'), pathNot: notTest },
      to: { path: ['^packages/(store|bus|flows|api|connector-kit|testkit)/', '^connectors/', '^apps/', 'node_modules/(pg|@electric-sql|fastify|@nats-io)'] },
    },
    {
      name: 'connector-kit-no-infrastructure',
      severity: 'error',
      from: { path: pkg('connector-kit'), pathNot: notTest },
      to: { path: ['^packages/(store|bus|flows|api|testkit)/', '^connectors/', '^apps/'] },
    },
    {
      name: 'connectors-stay-in-their-lane',
      comment: 'a connector may use connector-kit, core, canonical and its protocol libraries, never another connector',
      severity: 'error',
      from: { path: '^connectors/([^/]+)/', pathNot: notTest },
      to: { path: ['^packages/(store|bus|flows|api|testkit)/', '^apps/', '^connectors/'], pathNot: '^connectors/$1/' },
    },
    {
      name: 'store-no-upper-layers',
      severity: 'error',
      from: { path: pkg('store'), pathNot: notTest },
      to: { path: ['^packages/(bus|flows|api|testkit)/', '^connectors/', '^apps/'] },
    },
    {
      name: 'bus-through-ports-only',
      comment: 'bus uses core ports, never the store directly',
      severity: 'error',
      from: { path: pkg('bus'), pathNot: notTest },
      to: { path: ['^packages/(store|flows|api|testkit)/', '^connectors/', '^apps/', 'node_modules/(pg|@electric-sql)/'] },
    },
    {
      name: 'flows-no-infrastructure',
      severity: 'error',
      from: { path: pkg('flows'), pathNot: notTest },
      to: { path: ['^packages/(store|bus|api|testkit)/', '^connectors/', '^apps/', 'node_modules/(pg|@electric-sql|fastify)/'] },
    },
    {
      name: 'api-no-infrastructure',
      severity: 'error',
      from: { path: pkg('api'), pathNot: notTest },
      to: { path: ['^packages/(store|bus|testkit)/', '^connectors/', '^apps/', 'node_modules/(pg|@electric-sql)/'] },
    },
    {
      name: 'browser-packages-no-server-code',
      severity: 'error',
      from: { path: ['^packages/(client|ui)/', '^apps/(portal|console)/'], pathNot: notTest },
      to: { path: ['^packages/(core|store|bus|flows|api|connector-kit|testkit)/', '^connectors/', '^apps/server/'] },
    },
    {
      name: 'testkit-never-in-production-code',
      severity: 'error',
      from: { pathNot: [notTest, '^packages/testkit/', '\\.fixture\\.ts$', '^bench/'] },
      to: { path: '^packages/testkit/' },
    },
    {
      name: 'no-deep-imports-across-packages',
      comment: 'import another package by its name (its exports), never by a relative path into it',
      severity: 'error',
      from: { path: '^(packages|connectors|apps)/([^/]+)/' },
      to: { path: '^(packages|connectors|apps)/([^/]+)/src/', pathNot: ['^$1/$2/', '/src/index\\.ts$', '/src/testing\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-node-builtins-in-canonical',
      severity: 'error',
      from: { path: pkg('canonical') + 'src/', pathNot: notTest },
      to: node,
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '/dist/'] },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
