/**
 * The layering of src/, checked by `npm run lint` (depcruise src). Read bottom-up, each layer may
 * import only the ones below it:
 *
 *   API (schema, resolvers, server)   CLI (cli)
 *                 features (ingest, analytics, export, read-model, watch)
 *                 graph (Neo4j access)
 *                 config, logging, random
 *                 core (shared vocabulary, imports nothing)
 *
 * The devnet (devnet/, formerly src/devnet/) and test/ are dev tools: product code does not import
 * them, except the `demo` and `devnet` commands of the CLI, whose whole job is to start the devnet.
 * Paths match both devnet/ and src/devnet/ so the rules hold wherever the devnet lives.
 */
const DEV_TOOLS = '^((src/)?devnet|test)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing',
      comment: 'src/core/ is the vocabulary every layer shares; it must not depend on any of them.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src|devnet|test)/', pathNot: '^src/core/' },
    },
    {
      name: 'base-imports-core-only',
      comment: 'config, logging and random sit just above core: they may not reach into the graph, features or API.',
      severity: 'error',
      from: { path: '^src/(config|logging|random)/' },
      to: { path: '^(src|devnet|test)/', pathNot: '^src/(core|config|logging|random)/' },
    },
    {
      name: 'graph-imports-core-only',
      comment: 'src/graph/ is the data layer: it knows core, config and logging, never the features or the API above it.',
      severity: 'error',
      from: { path: '^src/graph/' },
      to: { path: '^(src|devnet|test)/', pathNot: '^src/(core|config|logging|graph)/' },
    },
    {
      name: 'features-below-api',
      comment: 'ingest, analytics and export are used by the API and the CLI, and do not know about them.',
      severity: 'error',
      from: { path: '^src/(ingest|analytics|export|read-model|watch)/' },
      to: { path: '^src/(schema|resolvers|server|cli)/' },
    },
    {
      name: 'features-independent',
      comment: 'A feature shares vocabulary through core and data through graph, not by importing another feature.',
      severity: 'error',
      from: { path: '^src/(ingest|analytics|export|read-model|watch)/' },
      to: { path: '^src/(ingest|analytics|export|read-model|watch)/', pathNot: '^src/$1/' },
    },
    {
      name: 'schema-imports-core-only',
      comment: 'GraphQL types and argument checks; the resolvers use them, so they must not use the resolvers (the schema is assembled in src/server/build-schema.ts).',
      severity: 'error',
      from: { path: '^src/schema/' },
      to: { path: '^(src|devnet|test)/', pathNot: '^src/(core|schema)/' },
    },
    {
      name: 'resolvers-below-server',
      comment: 'The server composes the resolvers, never the other way round.',
      severity: 'error',
      from: { path: '^src/resolvers/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'cli-is-the-top',
      comment: 'Only the CLI itself imports src/cli/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-dev-tools-in-product',
      comment: 'The devnet and test support are dev tools; only the `demo` and `devnet` commands may start the devnet.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/commands/(demo|devnet)\\.ts$' },
      to: { path: DEV_TOOLS },
    },
    {
      name: 'no-test-support-in-product',
      comment: 'Not even the devnet commands may import test/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle means two modules are one; split out what they share.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: they couple layers as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // ESM-only packages (p-queue, @atproto/api) export only `import`/`default` conditions.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
