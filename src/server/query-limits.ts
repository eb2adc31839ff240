/**
 * Limits applied to every operation before it runs: nesting depth (a validation rule), cost
 * (graphql-query-complexity, priced in src/schema/complexity.ts, database work included), fan-out
 * (root fields, analytics computations) and, in the same hook, the API key for mutations. A refused operation costs the database nothing.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { databaseWorkEstimator } from '../schema/complexity.js';
import { requestError, unauthenticated } from '../schema/errors.js';
import type { ApiContext } from '../resolvers/context.js';

export const MAX_DEPTH = 12;
/** Distinct root fields (aliases included) in one operation. */
export const MAX_ROOT_FIELDS = 20;
/** Root fields that run an analytics computation (a centrality ranking, Louvain). */
export const ANALYTICS_FIELDS: ReadonlySet<string> = new Set(['centrality', 'communities']);
export const MAX_ANALYTICS_FIELDS = 4;

/**
 * Refuses operations nested deeper than `max` fields. Introspection (`__schema`, `__type`) is not
 * counted: its `ofType` chains are deep by design and introspection is off in production.
 * Fragment depths are memoised, so a "fragment bomb" costs linear time here.
 */
export function depthLimit(max: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const memo = new Map<string, number>();

    const depthOf = (set: SelectionSetNode, visiting: Set<string>): number => {
      let deepest = 0;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.name.value.startsWith('__')) continue;
          deepest = Math.max(deepest, 1 + (sel.selectionSet ? depthOf(sel.selectionSet, visiting) : 0));
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(sel.selectionSet, visiting));
        } else {
          const name = sel.name.value;
          const fragment = fragments.get(name);
          // Unknown and cyclic spreads are reported by graphql's own rules.
          if (!fragment || visiting.has(name)) continue;
          let d = memo.get(name);
          if (d === undefined) {
            visiting.add(name);
            d = depthOf(fragment.selectionSet, visiting);
            visiting.delete(name);
            memo.set(name, d);
          }
          deepest = Math.max(deepest, d);
        }
      }
      return deepest;
    };

    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`the query is nested ${depth} fields deep; the limit is ${max}`, {
              nodes: [operation],
              extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP' },
            }),
          );
        }
      },
    };
  };
}

/**
 * The root fields an operation runs, by response key (alias or name) as graphql-js collects them:
 * two selections with the same key are one execution. Fragment spreads and inline fragments at the
 * root are followed; @skip/@include are ignored (counted as if they ran).
 */
export function rootFields(document: DocumentNode, operation: OperationDefinitionNode): Map<string, string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const fields = new Map<string, string>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (!sel.name.value.startsWith('__')) fields.set(sel.alias?.value ?? sel.name.value, sel.name.value);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        collect(sel.selectionSet);
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const fragment = fragments.get(sel.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return fields;
}

/** Refuses fan-out by aliases: too many root fields, or too many analytics computations. */
export function checkFanOut(document: DocumentNode, operation: OperationDefinitionNode): void {
  const fields = rootFields(document, operation);
  if (fields.size > MAX_ROOT_FIELDS) {
    throw requestError('BAD_USER_INPUT', `the operation asks for ${fields.size} root fields; the limit is ${MAX_ROOT_FIELDS}: send several requests`, {
      reason: 'TOO_MANY_ROOT_FIELDS',
      rootFields: fields.size,
      maxRootFields: MAX_ROOT_FIELDS,
    });
  }
  const analytics = [...fields.values()].filter((name) => ANALYTICS_FIELDS.has(name)).length;
  if (analytics > MAX_ANALYTICS_FIELDS) {
    throw requestError(
      'BAD_USER_INPUT',
      `the operation runs ${analytics} analytics computations (centrality, communities); the limit is ${MAX_ANALYTICS_FIELDS} per request`,
      { reason: 'TOO_MANY_ANALYTICS', analyticsFields: analytics, maxAnalyticsFields: MAX_ANALYTICS_FIELDS },
    );
  }
}

export interface OperationGuardOptions {
  readonly maxComplexity: number;
  /** Queries need the API key too (config.server.apiKeyQueries). */
  readonly apiKeyQueries: boolean;
}

export function operationGuards(options: OperationGuardOptions): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema, contextValue, operationName }) {
          if (operation?.operation === 'subscription') {
            throw requestError('BAD_USER_INPUT', 'this API has no subscriptions: poll ingestRun(id) for progress', { reason: 'UNSUPPORTED_OPERATION' });
          }
          const needsKey = operation?.operation === 'mutation' || options.apiKeyQueries;
          if (needsKey && !contextValue.auth.authenticated) throw unauthenticated();
          if (operation) checkFanOut(document, operation);

          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: operationName ?? undefined,
              estimators: [databaseWorkEstimator(), fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (err) {
            // Bad variables, or more than 10,000 fields after expanding fragments.
            throw requestError('BAD_USER_INPUT', (err as Error).message, { reason: 'QUERY_TOO_COMPLEX' });
          }
          if (complexity > options.maxComplexity) {
            throw requestError(
              'BAD_USER_INPUT',
              `the query would cost ${complexity}, more than the limit of ${options.maxComplexity}: ask for fewer items (first, limit) or less nesting`,
              { reason: 'QUERY_TOO_COMPLEX', complexity, maxComplexity: options.maxComplexity },
            );
          }
        },
      };
    },
  };
}
