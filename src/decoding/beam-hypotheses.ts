/**
 * The n-best list of finished hypotheses of one beam group, with the semantics of transformers'
 * `BeamHypotheses` (used by its `BeamSearchScorer`, which scores group beam search): scores are
 * `logProb / generatedLength^lengthPenalty` in double precision; a hypothesis enters while the list
 * is not full or when it beats the worst kept one strictly; the list keeps insertion order, and the
 * worst (the earliest among equal worst) leaves when a better one enters a full list.
 */
export interface ScoredHypothesis {
  /** Generated tokens (prompt excluded; the EOS token included when it ended the hypothesis). */
  tokens: Int32Array;
  /** Length-normalised score, double precision. */
  score: number;
  /** Sum of the processed log-probabilities (a float32 value). */
  logProb: number;
  eos: boolean;
}

export class BeamHypotheses {
  /** Kept hypotheses in insertion order (HF's `beams`). */
  readonly items: ScoredHypothesis[] = [];
  /** HF's `worst_score`: 1e9 while empty. */
  worst = 1e9;

  constructor(
    /** Hypotheses kept (the group size). */
    readonly capacity: number,
    readonly lengthPenalty: number,
    readonly earlyStopping: boolean | 'never',
    /** Most tokens a hypothesis can have (`max_length` − prompt length). */
    readonly maxGenerated: number,
  ) {}

  /** The score a hypothesis of `generated` tokens and log-probability `logProb` gets. */
  scoreOf(logProb: number, generated: number): number {
    return logProb / Math.pow(generated, this.lengthPenalty);
  }

  /** Whether a hypothesis with this score would be kept (checked before its tokens are copied). */
  accepts(score: number): boolean {
    return this.items.length < this.capacity || score > this.worst;
  }

  /** Adds a hypothesis (HF `add`); `tokens` is copied only when it is kept. */
  add(tokens: () => Int32Array, logProb: number, generated: number, eos: boolean): void {
    const score = this.scoreOf(logProb, generated);
    if (!this.accepts(score)) return;
    this.items.push({ tokens: tokens(), score, logProb, eos });
    if (this.items.length > this.capacity) {
      let lo = 0;
      let second = -1;
      for (let i = 1; i < this.items.length; i++) {
        const s = this.items[i].score;
        if (s < this.items[lo].score) {
          second = lo;
          lo = i;
        } else if (second < 0 || s < this.items[second].score) second = i;
      }
      this.worst = this.items[second].score;
      this.items.splice(lo, 1);
    } else {
      this.worst = Math.min(score, this.worst);
    }
  }

  /**
   * HF `is_done`: whether no running beam can still enter. `bestLogProb` is the best candidate score of
   * the step (a continuation that just ended with EOS included); `generated` the tokens generated so far.
   * `true`: done once full. `false`: the best candidate at the current length cannot beat the worst kept.
   * `"never"`: the same, at the maximum length when `lengthPenalty > 0` (the best it could still reach).
   */
  isDone(bestLogProb: number, generated: number): boolean {
    if (this.items.length < this.capacity) return false;
    if (this.earlyStopping === true) return true;
    const len = this.earlyStopping === 'never' && this.lengthPenalty > 0 ? this.maxGenerated : generated;
    return this.worst >= bestLogProb / Math.pow(len, this.lengthPenalty);
  }
}
