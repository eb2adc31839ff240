/** A mistake in the command line: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: bsky-graph <command> [options]

Commands (the same lines as the README's "Command line"):
  ingest <hashtag> [--max-posts N] [--since ISO] [--until ISO] [--resume RUN_ID] [--allow-shrink] [--follows-from appview|repo] [--json]
                         crawl #hashtag into Neo4j (resumable)
  serve
                         GraphQL server at /graphql and the graph view at /
  export <hashtag> [--out FILE] [--format csv|gexf|graphml] [--scope all|community] [--dids]
                         write the follow edges of the community (--dids: CSV source_did/target_did columns)
  watch <hashtag> [--source jetstream|firehose] [--status-every S]
                         keep #hashtag's crawled graph current from Jetstream (BSKY_JETSTREAM) or the firehose (BSKY_FIREHOSE) until Ctrl-C
  devnet [--members N] [--seed S] [--groups G] [--port P] [--rate N/S] [--search-cap N] [--latency MIN-MAX] [--error-rate R] [--faults JSON|@FILE] [--truth FILE] [--live]
                         local AT Protocol network with a synthetic community (--live: it changes, with Jetstream)
  demo [--members N] [--seed S] [--fresh] [--live [--changes-per-second N]]
                         local Neo4j + devnet + ingest + server, offline (--live: the devnet changes and the view moves)
  neo4j start|stop|status|install
                         the project's local Neo4j server

Configuration comes from the environment (see README.md).`;
