/**
 * Reciprocal rank fusion: several rankings of the same documents (by words, by meaning) merged into
 * one score per document, 1 / (60 + rank) from each ranking it appears in. Ranks, not raw scores,
 * are added, so a BM25 score and a cosine never have to be put on one scale.
 */
const k = 60;

export class RankFusion {
  readonly scores = new Map<string, number>();

  /** Adds one ranking, best first. */
  add(ids: readonly string[]): this {
    ids.forEach((id, rank) => this.scores.set(id, (this.scores.get(id) ?? 0) + 1 / (k + rank)));
    return this;
  }
}
