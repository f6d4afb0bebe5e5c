/**
 * The interaction graph between personas and its PageRank: who the conversation flows to.
 *
 * An edge `from → to` means `from` mentioned, replied to, reposted or quoted `to`: attention given, as a
 * link is on the web. Repeated interactions add weight (mention 1, reply 1, quote 1.5, repost 2: a
 * repost puts the other's words in front of one's own audience).
 *
 * PageRank (damping d = 0.85), weighted by edge weight, with dangling personas (who never interact with
 * anyone) spreading their rank evenly over all personas:
 *
 *   PR(v) = (1 − d) / N + d × ( Σ_{u → v} PR(u) × w(u,v) / W(u) + Σ_{dangling u} PR(u) / N )
 *
 * where W(u) is the total weight out of u. Ranks sum to 1.
 *
 * Incremental: `addInteraction` only marks the ranks dirty; the next read runs power iteration warm-started
 * from the previous ranks (new personas start at 1/N, the vector is renormalized), until the L1 change is
 * below `tolerance` or `maxIterations`. After a small batch of interactions that takes a few iterations
 * instead of the ~50 a cold start needs. Each iteration is O(N + E).
 *
 * Normalized rank (for influence), 0..1, comparable across graph sizes: x = PR × N is 1 for an average
 * persona and 1 − d + (dangling share) ≈ 0.15–0.3 for one nobody interacts with. Then
 *   normalized = max(0, x − (1 − d)) / (max(0, x − (1 − d)) + 1)
 * so a persona nobody interacts with is near 0, an average one about 0.46, and a hub tends to 1.
 *
 * Bounded memory: at most `maxNodes` personas (default 50,000) and `maxEdges` edges (default 500,000).
 * An edge lives in the sender's out-map and the receiver's in-set (numeric ids), so the defaults stay near
 * 100 MB (measured ≈ 90 MB of heap at 50,000 personas and 400,000 edges; a cold recompute of that graph
 * takes ≈ 0.25 s, a warm one after 100 new interactions ≈ 0.13 s). Past either bound the least recently
 * active personas (by their last interaction, sent or received) are evicted with their edges, down to
 * 90 % of the bound. Rank is about
 * recent conversation, so forgetting the quietest personas costs little; `decay(factor)` also lets a
 * caller age all edge weights (e.g. × 0.5 each month) and drops edges that fall below `minEdgeWeight`.
 */

export type InteractionKind = 'mention' | 'reply' | 'repost' | 'quote';

export const INTERACTION_WEIGHTS: Readonly<Record<InteractionKind, number>> = {
  mention: 1,
  reply: 1,
  quote: 1.5,
  repost: 2,
};

export interface InteractionGraphOptions {
  /** PageRank damping factor. Default 0.85. */
  damping?: number;
  /** Stop iterating when the L1 change of the rank vector is below this. Default 1e-6. */
  tolerance?: number;
  /** Iterations per recompute at most. Default 100. */
  maxIterations?: number;
  /** Personas kept at most. Default 50,000. */
  maxNodes?: number;
  /** Edges kept at most. Default 500,000. */
  maxEdges?: number;
  /** `decay` drops edges lighter than this. Default 0.05. */
  minEdgeWeight?: number;
}

interface Node {
  readonly key: string;
  /** Receiver id → accumulated weight. */
  readonly out: Map<number, number>;
  /** Ids of senders with an edge to this node (to evict in O(degree)). */
  readonly in: Set<number>;
  outWeight: number;
  /** Last computed PageRank, NaN until the first recompute that includes this node. */
  rank: number;
}

export interface RecomputeStats {
  iterations: number;
  /** L1 change of the last iteration. */
  delta: number;
}

export class InteractionGraph {
  readonly #damping: number;
  readonly #tolerance: number;
  readonly #maxIterations: number;
  readonly #maxNodes: number;
  readonly #maxEdges: number;
  readonly #minEdgeWeight: number;
  /** Key → node id; iteration order is least recently active first (touching re-inserts). */
  readonly #ids = new Map<string, number>();
  /** Node by id; ids of removed nodes are reused. */
  readonly #nodes: (Node | undefined)[] = [];
  readonly #freeIds: number[] = [];
  #edgeCount = 0;
  #dirty = false;
  #rankMap: Map<string, number> | null = null;
  #lastStats: RecomputeStats = { iterations: 0, delta: 0 };

  constructor(options: InteractionGraphOptions = {}) {
    this.#damping = options.damping ?? 0.85;
    this.#tolerance = options.tolerance ?? 1e-6;
    this.#maxIterations = options.maxIterations ?? 100;
    this.#maxNodes = options.maxNodes ?? 50_000;
    this.#maxEdges = options.maxEdges ?? 500_000;
    this.#minEdgeWeight = options.minEdgeWeight ?? 0.05;
    if (!(this.#damping > 0 && this.#damping < 1)) throw new RangeError('damping must be between 0 and 1');
  }

  get nodeCount(): number {
    return this.#ids.size;
  }

  get edgeCount(): number {
    return this.#edgeCount;
  }

  /** Iterations and final change of the last recompute (unchanged when nothing had changed). */
  get lastRecompute(): RecomputeStats {
    return this.#lastStats;
  }

  has(key: string): boolean {
    return this.#ids.has(key);
  }

  /**
   * Records that `from` interacted with `to`. Self-interactions are ignored (replying in one's own thread
   * is not endorsement). `weight` defaults to the kind's weight in `INTERACTION_WEIGHTS`.
   */
  addInteraction(
    from: string,
    to: string,
    kind: InteractionKind,
    weight: number = INTERACTION_WEIGHTS[kind],
  ): void {
    if (from === to || !(weight > 0) || !Number.isFinite(weight)) return;
    const sourceId = this.#touch(from);
    const targetId = this.#touch(to);
    const source = this.#nodes[sourceId];
    const target = this.#nodes[targetId];
    if (source === undefined || target === undefined) return;
    const previous = source.out.get(targetId);
    source.out.set(targetId, (previous ?? 0) + weight);
    source.outWeight += weight;
    if (previous === undefined) {
      target.in.add(sourceId);
      this.#edgeCount++;
    }
    this.#dirty = true;
    this.#enforceBounds();
  }

  /** Multiplies every edge weight by `factor` (0..1), dropping edges that become lighter than `minEdgeWeight`. */
  decay(factor: number): void {
    if (!(factor >= 0 && factor <= 1)) throw new RangeError('factor must be between 0 and 1');
    for (const id of this.#ids.values()) {
      const node = this.#nodes[id];
      if (node === undefined) continue;
      node.outWeight = 0;
      for (const [to, w] of node.out) {
        const next = w * factor;
        if (next < this.#minEdgeWeight) {
          node.out.delete(to);
          this.#nodes[to]?.in.delete(id);
          this.#edgeCount--;
        } else {
          node.out.set(to, next);
          node.outWeight += next;
        }
      }
    }
    this.#dirty = true;
  }

  /** Removes a persona and its edges. */
  remove(key: string): boolean {
    const id = this.#ids.get(key);
    const node = id === undefined ? undefined : this.#nodes[id];
    if (id === undefined || node === undefined) return false;
    for (const to of node.out.keys()) this.#nodes[to]?.in.delete(id);
    this.#edgeCount -= node.out.size;
    for (const from of node.in) {
      const sender = this.#nodes[from];
      const w = sender?.out.get(id);
      if (sender === undefined || w === undefined) continue;
      sender.out.delete(id);
      sender.outWeight -= w;
      this.#edgeCount--;
    }
    this.#ids.delete(key);
    this.#nodes[id] = undefined;
    this.#freeIds.push(id);
    this.#dirty = true;
    return true;
  }

  /** PageRank of a persona (ranks sum to 1), or 0 when unknown. Recomputes first if dirty. */
  pageRank(key: string): number {
    this.#ensureFresh();
    const id = this.#ids.get(key);
    const rank = id === undefined ? undefined : this.#nodes[id]?.rank;
    return rank === undefined || Number.isNaN(rank) ? 0 : rank;
  }

  /** Normalized rank 0..1 (see the module comment), or 0 when unknown. */
  normalizedRank(key: string): number {
    if (!this.#ids.has(key)) return 0;
    const excess = Math.max(0, this.pageRank(key) * this.#ids.size - (1 - this.#damping));
    return excess / (excess + 1);
  }

  /** All ranks (sum 1). */
  ranks(): ReadonlyMap<string, number> {
    this.#ensureFresh();
    if (this.#rankMap === null) {
      const map = new Map<string, number>();
      for (const [key, id] of this.#ids) map.set(key, this.#nodes[id]?.rank ?? 0);
      this.#rankMap = map;
    }
    return this.#rankMap;
  }

  /** Runs power iteration now, warm-started from the current ranks. */
  recompute(maxIterations = this.#maxIterations): RecomputeStats {
    this.#dirty = false;
    this.#rankMap = null;
    const n = this.#ids.size;
    if (n === 0) {
      this.#lastStats = { iterations: 0, delta: 0 };
      return this.#lastStats;
    }
    // Dense positions 0..n-1 for the live nodes.
    const nodes: Node[] = [];
    const position = new Int32Array(this.#nodes.length).fill(-1);
    for (const id of this.#ids.values()) {
      const node = this.#nodes[id];
      if (node === undefined) continue;
      position[id] = nodes.length;
      nodes.push(node);
    }

    // Compressed adjacency: for position i, targets/shares in [start[i], start[i + 1]).
    const start = new Int32Array(n + 1);
    const targets = new Int32Array(this.#edgeCount);
    const shares = new Float64Array(this.#edgeCount);
    const dangling: number[] = [];
    let e = 0;
    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      start[i] = e;
      if (node === undefined || node.outWeight <= 0 || node.out.size === 0) {
        dangling.push(i);
        continue;
      }
      const total = node.outWeight;
      node.out.forEach((w, to) => {
        targets[e] = position[to] ?? 0;
        shares[e] = w / total;
        e++;
      });
    }
    start[n] = e;

    let rank = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const previous = nodes[i]?.rank ?? NaN;
      const r = Number.isNaN(previous) ? 1 / n : previous;
      rank[i] = r;
      sum += r;
    }
    for (let i = 0; i < n; i++) rank[i] = (rank[i] ?? 0) / sum;

    const d = this.#damping;
    let next = new Float64Array(n);
    let iterations = 0;
    let delta = Infinity;
    while (iterations < maxIterations && delta >= this.#tolerance) {
      let danglingMass = 0;
      for (const i of dangling) danglingMass += rank[i] ?? 0;
      next.fill((1 - d) / n + (d * danglingMass) / n);
      for (let i = 0; i < n; i++) {
        const r = d * (rank[i] ?? 0);
        if (r === 0) continue;
        for (let j = start[i] ?? 0, end = start[i + 1] ?? 0; j < end; j++) {
          const t = targets[j] ?? 0;
          next[t] = (next[t] ?? 0) + r * (shares[j] ?? 0);
        }
      }
      delta = 0;
      for (let i = 0; i < n; i++) delta += Math.abs((next[i] ?? 0) - (rank[i] ?? 0));
      [rank, next] = [next, rank];
      iterations++;
    }

    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      if (node !== undefined) node.rank = rank[i] ?? 0;
    }
    this.#lastStats = { iterations, delta: Number.isFinite(delta) ? delta : 0 };
    return this.#lastStats;
  }

  #ensureFresh(): void {
    if (this.#dirty) this.recompute();
  }

  /** The node's id, creating the node if needed, and marks it most recently active. */
  #touch(key: string): number {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#freeIds.pop() ?? this.#nodes.length;
      this.#nodes[id] = { key, out: new Map(), in: new Set(), outWeight: 0, rank: NaN };
    } else {
      this.#ids.delete(key);
    }
    this.#ids.set(key, id);
    return id;
  }

  #enforceBounds(): void {
    if (this.#ids.size <= this.#maxNodes && this.#edgeCount <= this.#maxEdges) return;
    const nodeTarget = Math.floor(this.#maxNodes * 0.9);
    const edgeTarget = Math.floor(this.#maxEdges * 0.9);
    // The two most recent (this interaction's ends) are last in #ids and never reached before the targets.
    for (const key of this.#ids.keys()) {
      if ((this.#ids.size <= nodeTarget && this.#edgeCount <= edgeTarget) || this.#ids.size <= 2) break;
      this.remove(key);
    }
  }
}
