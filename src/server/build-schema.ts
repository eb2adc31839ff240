/**
 * The executable schema, and its SDL as committed in schema.graphql. Assembled here, where the server
 * is composed, so src/schema/ (the types) never imports src/resolvers/ (which use them).
 */
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import { RESOLVERS } from '../resolvers/index.js';

export function buildApiSchema(): Promise<GraphQLSchema> {
  // validate: false — arguments are checked by hand (src/schema/arguments.ts); no class-validator.
  // pubSub: type-graphql requires one for any subscription; ours bring their own event streams
  // (`subscribe:` in subscription-resolver.ts), so this one never carries an event.
  return buildSchema({ resolvers: [...RESOLVERS], validate: false, pubSub: createPubSub() });
}

const HEADER = `# bsky-graph GraphQL API. Generated from the type-graphql classes in src/schema and src/resolvers:
# regenerate with \`node --import @swc-node/register/esm-register src/server/emit-schema.ts\`; do not edit.

`;

/** Sorted, so the file changes only when the schema does. */
export function schemaSdl(schema: GraphQLSchema): string {
  return HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
