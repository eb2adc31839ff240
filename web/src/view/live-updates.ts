/**
 * The drawn graph kept current: a graphql-ws subscription to `graphChanges(hashtag)` and the edits
 * it implies — follows added and removed between drawn actors, new members placed next to whom they
 * follow (or whoever follows them). An ingest that ends asks the app to reload.
 */
import { createClient, type Client } from 'graphql-ws';
import { apiKey } from '../api/client.js';
import { GRAPH_CHANGES } from '../api/operations.js';
import type { Actor, GraphChange } from '../api/types.js';
import { shortLabel, type ViewModel } from '../graph/model.js';
import { OTHER_COLOUR } from '../graph/communities.js';

export interface LiveHandlers {
  /** Profile of a new member, to draw it (null: not in the graph yet; it is skipped). */
  readonly fetchActor: (did: string) => Promise<Actor | null>;
  /** After each applied change (redraw legend, status). */
  readonly changed: (summary: { added: number; removed: number; newMembers: number }) => void;
  readonly ingestFinished: (runId: string | null) => void;
}

export class LiveUpdates {
  private readonly client: Client;
  private readonly unsubscribe: () => void;
  /** Changes applied since the graph was drawn (the test hook reads it). */
  applied = 0;
  /**
   * Members drawn live, without a community from the server yet: each takes, provisionally, the
   * community most of its drawn neighbours are in (one step of label propagation), and its colour,
   * until the next load brings the server's partition.
   */
  private readonly provisional = new Set<string>();
  private pending: Promise<void> = Promise.resolve();
  state: 'connecting' | 'live' | 'closed' | 'error' = 'connecting';

  constructor(
    private readonly model: ViewModel,
    hashtag: string,
    private readonly handlers: LiveHandlers,
  ) {
    const url = new URL('/graphql', window.location.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.client = createClient({
      url: url.toString(),
      lazy: false,
      connectionParams: () => {
        const key = apiKey.get();
        return key ? { authorization: `Bearer ${key}` } : {};
      },
      // A restarted server or a dropped Wi-Fi: keep trying, with graphql-ws's backoff.
      retryAttempts: Infinity,
      shouldRetry: () => true,
      on: { connected: () => (this.state = 'live'), closed: () => (this.state = this.state === 'closed' ? 'closed' : 'connecting') },
    });
    this.unsubscribe = this.client.subscribe<{ graphChanges: GraphChange }>(
      { query: GRAPH_CHANGES, variables: { hashtag } },
      {
        next: (value) => {
          // One change at a time, in order: a new member's node is added (after fetching its
          // profile) before the follows pushed right after it are drawn.
          const change = value.data?.graphChanges;
          if (change) this.pending = this.pending.then(() => this.apply(change)).catch(() => undefined);
        },
        error: () => (this.state = 'error'),
        complete: () => undefined,
      },
    );
  }

  close(): void {
    this.state = 'closed';
    this.unsubscribe();
    void this.client.dispose();
  }

  private async apply(change: GraphChange): Promise<void> {
    if (change.kind === 'INGEST_FINISHED') return this.handlers.ingestFinished(change.runId);
    const { graph } = this.model;
    let newMembers = 0;
    for (const did of change.newMembers) {
      if (graph.hasNode(did)) continue;
      const actor = await this.handlers.fetchActor(did).catch(() => null);
      if (!actor || graph.hasNode(did) || this.state === 'closed') continue;
      const near = this.anchorOf(did, change);
      graph.addNode(did, {
        x: near.x + (Math.random() - 0.5) * 20,
        y: near.y + (Math.random() - 0.5) * 20,
        size: 3,
        color: OTHER_COLOUR,
        label: shortLabel(actor),
        zIndex: 0,
        actor,
        community: -1,
        score: null,
      });
      this.model.follows.mergeNode(did, { x: near.x, y: near.y });
      this.provisional.add(did);
      newMembers++;
    }
    let added = 0;
    for (const { source, target } of change.followsAdded) {
      if (!graph.hasNode(source) || !graph.hasNode(target) || this.model.follows.hasDirectedEdge(source, target)) continue;
      this.model.follows.addDirectedEdge(source, target);
      graph.mergeDirectedEdge(source, target, { color: '#ccc', size: 0.6 });
      added++;
    }
    let removed = 0;
    for (const { source, target } of change.followsRemoved) {
      if (!this.model.follows.hasDirectedEdge(source, target)) continue;
      this.model.follows.dropDirectedEdge(source, target);
      if (graph.hasDirectedEdge(source, target)) graph.dropDirectedEdge(source, target);
      removed++;
    }
    for (const did of this.provisional) if (graph.hasNode(did)) this.placeInCommunity(did);
    this.model.followCount = this.model.follows.size;
    this.model.drawnEdges = graph.size;
    this.applied++;
    this.handlers.changed({ added, removed, newMembers });
  }

  /** Gives a live member the community (and colour) most of its drawn neighbours have, beside them. */
  private placeInCommunity(did: string): void {
    const { graph, follows } = this.model;
    const votes = new Map<number, string[]>();
    follows.forEachNeighbor(did, (other) => {
      if (this.provisional.has(other) || !graph.hasNode(other)) return;
      const community = graph.getNodeAttribute(other, 'community');
      if (community < 0) return;
      votes.set(community, [...(votes.get(community) ?? []), other]);
    });
    // Most neighbours first; a tie goes to the lower id, so every browser draws the same.
    const [best] = [...votes.entries()].sort((x, y) => y[1].length - x[1].length || x[0] - y[0]);
    if (!best) return;
    const [community, neighbours] = best;
    const { color } = graph.getNodeAttributes(neighbours[0]!);
    if (graph.getNodeAttribute(did, 'community') === community) return;
    const x = neighbours.reduce((s, n) => s + graph.getNodeAttribute(n, 'x'), 0) / neighbours.length;
    const y = neighbours.reduce((s, n) => s + graph.getNodeAttribute(n, 'y'), 0) / neighbours.length;
    graph.mergeNodeAttributes(did, { community, color, x, y });
  }

  /** Where to put a new member: beside a drawn actor it is tied to in this change, else the centre. */
  private anchorOf(did: string, change: GraphChange): { x: number; y: number } {
    const { graph } = this.model;
    for (const { source, target } of change.followsAdded) {
      const other = source === did ? target : target === did ? source : null;
      if (other && graph.hasNode(other)) return graph.getNodeAttributes(other);
    }
    return { x: 0, y: 0 };
  }
}
