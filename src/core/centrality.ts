/** The centrality measures the analytics engines compute and the API offers. */
export const CENTRALITY_METRICS = ['PAGERANK', 'BETWEENNESS', 'DEGREE', 'IN_DEGREE', 'OUT_DEGREE', 'CLOSENESS'] as const;
export type CentralityMetric = (typeof CENTRALITY_METRICS)[number];
