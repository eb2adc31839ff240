/**
 * Parameters both engines (GDS and the in-process graphology fallback) run with, so the same
 * question gets the same answer whichever engine is installed.
 */
export const PAGERANK = Object.freeze({
  damping: 0.85,
  // Both engines converge geometrically at rate `damping`: 0.85^200 ≈ 1e-14, so this cap is only a
  // guard; the tolerance is what stops them.
  maxIterations: 200,
  // GDS: largest per-node change between iterations (its scores are ≈ 1 per node). graphology: total
  // L1 change of the normalised vector (its scores sum to 1). Both are far below the resolution at
  // which ranks are compared (RANK_SIGNIFICANT_DIGITS).
  tolerance: 1e-9,
});

// Closeness is the Wasserman–Faust variant, over *incoming* shortest paths (how near the rest of
// the graph is to the actor): `(r / (N - 1)) * (r / Σ d(v, actor))`, r = actors that can reach it.
// Both engines ask for it (GDS `useWassermanFaust: true`, graphology `wassermanFaust: true`); both
// walk inbound edges, and WF keeps scores comparable across disconnected parts of the graph.

/** Scores are compared at this precision when ranking, so float noise never reorders ties. */
export const RANK_SIGNIFICANT_DIGITS = 10;

/** Louvain is randomised: a fixed seed (graphology) and one thread (GDS) make reruns identical. */
export const LOUVAIN_SEED = 20240601;

/** GDS Leiden's seed (with one thread): reruns on the same graph give the same partition. */
export const LEIDEN_SEED = 20240601;

/** How many DIDs `communities` lists per community. */
export const COMMUNITY_TOP_MEMBERS = 10;

/** Rows per write-back transaction (UNWIND … SET). */
export const WRITE_BACK_BATCH = 10_000;
