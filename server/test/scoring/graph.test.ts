import { expect } from 'chai';
import { InteractionGraph } from '../../src/scoring/graph.ts';

/** PageRank solved exactly (Gaussian elimination), to check the power iteration against. */
function exactPageRank(n: number, edges: [number, number, number][], d = 0.85): number[] {
  const out = new Array<number>(n).fill(0);
  for (const [u, , w] of edges) out[u] = (out[u] ?? 0) + w;
  // (I − d·M) x = (1 − d)/N, with dangling columns 1/N.
  const a: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n + 1 }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let u = 0; u < n; u++) {
    for (let v = 0; v < n; v++) {
      const w = edges.filter(([s, t]) => s === u && t === v).reduce((sum, [, , x]) => sum + x, 0);
      const share = (out[u] ?? 0) === 0 ? 1 / n : w / (out[u] ?? 1);
      a[v]![u]! -= d * share;
    }
  }
  for (let i = 0; i < n; i++) a[i]![n] = (1 - d) / n;
  for (let c = 0; c < n; c++) {
    const pivot = a[c]![c]!;
    for (let j = c; j <= n; j++) a[c]![j]! /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      for (let j = c; j <= n; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row) => row[n]!);
}

describe('scoring/InteractionGraph', () => {
  it('ranks a hub that many reply to above a leaf', () => {
    const graph = new InteractionGraph();
    for (let i = 0; i < 10; i++) graph.addInteraction(`x:fan${i}`, 'x:hub', 'reply');
    graph.addInteraction('x:hub', 'x:fan0', 'mention');
    graph.addInteraction('x:fan1', 'x:leaf', 'mention');
    expect(graph.pageRank('x:hub')).to.be.greaterThan(graph.pageRank('x:leaf'));
    expect(graph.pageRank('x:hub')).to.be.greaterThan(graph.pageRank('x:fan5'));
    expect(graph.normalizedRank('x:hub')).to.be.greaterThan(0.5);
    expect(graph.normalizedRank('x:fan5')).to.be.below(0.2);
    expect(graph.normalizedRank('x:unknown')).to.equal(0);
    const total = [...graph.ranks().values()].reduce((s, r) => s + r, 0);
    expect(total).to.be.closeTo(1, 1e-9);
  });

  it('agrees with the exact weighted PageRank, dangling nodes included', () => {
    const edges: [number, number, number][] = [
      [0, 1, 1],
      [0, 2, 2],
      [1, 2, 1],
      [2, 0, 1.5],
      [3, 2, 1],
      // node 4 is dangling (only receives)
      [3, 4, 1],
    ];
    const graph = new InteractionGraph({ tolerance: 1e-12, maxIterations: 1000 });
    for (const [u, v, w] of edges) graph.addInteraction(`n${u}`, `n${v}`, 'mention', w);
    const exact = exactPageRank(5, edges);
    exact.forEach((r, i) => expect(graph.pageRank(`n${i}`)).to.be.closeTo(r, 1e-9));
  });

  it('weights reposts above mentions by default and accumulates repeats', () => {
    const graph = new InteractionGraph();
    graph.addInteraction('a', 'b', 'mention');
    graph.addInteraction('a', 'c', 'repost');
    expect(graph.pageRank('c')).to.be.greaterThan(graph.pageRank('b'));
    graph.addInteraction('a', 'b', 'mention');
    graph.addInteraction('a', 'b', 'mention');
    expect(graph.pageRank('b')).to.be.greaterThan(graph.pageRank('c'));
    expect(graph.edgeCount).to.equal(2);
  });

  it('ignores self-interactions', () => {
    const graph = new InteractionGraph();
    graph.addInteraction('a', 'a', 'reply');
    expect(graph.nodeCount).to.equal(0);
  });

  it('recomputes lazily and warm-starts from the previous ranks', () => {
    const build = (): InteractionGraph => {
      const graph = new InteractionGraph({ tolerance: 1e-8 });
      let seed = 42;
      const random = (): number => {
        // mulberry32: a small seeded PRNG, so the graph is the same on every run.
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
      };
      // A skewed graph: low-numbered personas attract most of the replies.
      for (let i = 0; i < 2_000; i++) {
        const from = Math.floor(random() * 300);
        const to = Math.floor(Math.pow(random(), 3) * 300);
        graph.addInteraction(`p${from}`, `p${to}`, random() < 0.5 ? 'reply' : 'repost');
      }
      return graph;
    };
    const graph = build();
    graph.pageRank('p0');
    const cold = graph.lastRecompute.iterations;
    expect(cold).to.be.greaterThan(5);
    graph.pageRank('p1');
    expect(graph.lastRecompute.iterations).to.equal(cold); // not dirty: nothing recomputed
    graph.addInteraction('p250', 'p251', 'reply');
    graph.pageRank('p251');
    const warm = graph.lastRecompute.iterations;
    expect(warm).to.be.greaterThan(0);
    expect(warm).to.be.below(cold);

    const fresh = build();
    fresh.addInteraction('p250', 'p251', 'reply');
    for (const key of ['p0', 'p1', 'p251'])
      expect(graph.pageRank(key)).to.be.closeTo(fresh.pageRank(key), 1e-7);
  });

  it('stays within its node and edge bounds, evicting the least recently active', () => {
    const graph = new InteractionGraph({ maxNodes: 100, maxEdges: 150 });
    for (let i = 0; i < 1_000; i++) graph.addInteraction(`u${i}`, `u${i + 1}`, 'mention');
    expect(graph.nodeCount).to.be.at.most(100);
    expect(graph.edgeCount).to.be.at.most(150);
    expect(graph.has('u1000')).to.equal(true);
    expect(graph.has('u0')).to.equal(false);
    const total = [...graph.ranks().values()].reduce((s, r) => s + r, 0);
    expect(total).to.be.closeTo(1, 1e-9);
  });

  it('decays old interactions and removes personas with their edges', () => {
    const graph = new InteractionGraph({ minEdgeWeight: 0.5 });
    graph.addInteraction('a', 'b', 'mention');
    graph.addInteraction('c', 'b', 'repost');
    graph.decay(0.4);
    expect(graph.edgeCount).to.equal(1); // 1 × 0.4 dropped, 2 × 0.4 kept
    expect(graph.remove('b')).to.equal(true);
    expect(graph.edgeCount).to.equal(0);
    expect(graph.pageRank('a')).to.be.closeTo(0.5, 1e-9);
  });
});
