/**
 * The order of the dense part of the blocked system (blocked-layout.ts): reverse Cuthill–McKee (Cuthill &
 * McKee 1969; George & Liu 1981 §4.3) on the graph of the Schur complement's random-effect rows, which
 * narrows the envelope that the factor of S is computed in (crossed terms: ~20 % fewer operations on
 * InstEval's lecturers). The β rows stay last. Kept only when it shrinks the envelope's work.
 */

/** A permutation of the first ru dense indices (old → new), or null when the given order is as good. */
export function envelopeOrder(ru: number, cliques: readonly Int32Array[], direct: readonly Int32Array[]): Int32Array | null {
  if (ru < 3) return null;
  const adj = adjacency(ru, [...cliques, ...direct]);
  const identity = Int32Array.from({ length: ru }, (_, i) => i);
  const rcm = reverseCuthillMcKee(adj);
  const pos = new Int32Array(ru);
  rcm.forEach((old, i) => (pos[old] = i));
  return envelopeWork(adj, pos) < 0.95 * envelopeWork(adj, identity) ? pos : null;
}

/** Neighbour lists of the graph whose cliques are the given index sets (entries ≥ ru, the β rows, ignored). */
function adjacency(ru: number, cliques: readonly Int32Array[]): Int32Array[] {
  const seen = new Uint8Array(ru * ru);
  const lists: number[][] = Array.from({ length: ru }, () => []);
  for (const c of cliques) {
    for (let a = 0; a < c.length; a++) {
      const x = c[a];
      if (x >= ru) continue;
      for (let b = 0; b < c.length; b++) {
        const y = c[b];
        if (y >= ru || y === x || seen[x * ru + y]) continue;
        seen[x * ru + y] = 1;
        lists[x].push(y);
      }
    }
  }
  return lists.map((l) => Int32Array.from(l));
}

/** Σ over rows of (row width)², the envelope factor's work up to a constant, for positions pos (old → new). */
function envelopeWork(adj: readonly Int32Array[], pos: Int32Array): number {
  let work = 0;
  adj.forEach((nb, v) => {
    let f = pos[v];
    for (const u of nb) if (pos[u] < f) f = pos[u];
    work += (pos[v] - f) ** 2;
  });
  return work;
}

/** The RCM order (new position → old index): breadth-first from a low-degree vertex per component, neighbours by degree, reversed. */
function reverseCuthillMcKee(adj: readonly Int32Array[]): Int32Array {
  const n = adj.length;
  const deg = (v: number): number => adj[v].length;
  const visited = new Uint8Array(n);
  const order: number[] = [];
  const starts = Array.from({ length: n }, (_, i) => i).sort((a, b) => deg(a) - deg(b) || a - b);
  for (const s of starts) {
    if (visited[s]) continue;
    visited[s] = 1;
    let head = order.length;
    order.push(s);
    while (head < order.length) {
      const v = order[head++];
      const next = Array.from(adj[v]).filter((u) => !visited[u]).sort((a, b) => deg(a) - deg(b) || a - b);
      for (const u of next) { visited[u] = 1; order.push(u); }
    }
  }
  return Int32Array.from(order.reverse());
}
