/**
 * Small damped least-squares problems, solved in place: the normal equations of a handful of
 * unknowns (at most a few dozen), accumulated sample by sample and solved once. Used where a
 * stage refits a model on data whose labels are known (frame-sequence.ts: the sync's levels).
 *
 * Damping pulls each unknown towards a prior value in proportion to how much the data say about
 * it (Levenberg–Marquardt's scaling), plus a tiny absolute term: an unknown the data never
 * touch keeps its prior instead of making the system singular.
 */

/** Relative damping of each unknown's diagonal, and the absolute floor. */
const RELATIVE_DAMPING = 1e-3;
const ABSOLUTE_DAMPING = 1e-9;

/** Normal equations AᵀA·x = Aᵀy of `size` unknowns, with preallocated storage for up to `capacity`. */
export class NormalEquations {
  private readonly capacity: number;
  private size = 0;
  /** AᵀA, row-major size × size, and Aᵀy. */
  private readonly matrix: Float64Array;
  private readonly vector: Float64Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.matrix = new Float64Array(capacity * capacity);
    this.vector = new Float64Array(capacity);
  }

  /** Starts a problem of `size` unknowns. */
  reset(size: number): void {
    if (size > this.capacity) throw new RangeError(`at most ${this.capacity} unknowns`);
    this.size = size;
    this.matrix.fill(0, 0, size * size);
    this.vector.fill(0, 0, size);
  }

  /** One equation a·x ≈ y (a: the regressors, `size` of them). */
  add(a: ArrayLike<number>, y: number): void {
    const n = this.size;
    const m = this.matrix;
    for (let r = 0; r < n; r++) {
      const ar = a[r]!;
      if (ar === 0) continue;
      this.vector[r] = this.vector[r]! + ar * y;
      for (let c = 0; c < n; c++) m[r * n + c] = m[r * n + c]! + ar * a[c]!;
    }
  }

  /**
   * Solves for x, damped towards `prior` (which receives the solution). Returns false, leaving
   * `prior` unchanged, if the system is numerically singular.
   */
  solveInto(prior: Float64Array): boolean {
    const n = this.size;
    const m = this.matrix;
    const v = this.vector;
    for (let r = 0; r < n; r++) {
      const damping = RELATIVE_DAMPING * m[r * n + r]! + ABSOLUTE_DAMPING;
      m[r * n + r] = m[r * n + r]! + damping;
      v[r] = v[r]! + damping * prior[r]!;
    }
    // Gaussian elimination with partial pivoting (the damped matrix is symmetric positive definite,
    // pivoting only guards the rounding).
    for (let col = 0; col < n; col++) {
      let pivot = col;
      for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
      if (!(Math.abs(m[pivot * n + col]!) > 0)) return false;
      if (pivot !== col) {
        for (let c = 0; c < n; c++) {
          const t = m[col * n + c]!;
          m[col * n + c] = m[pivot * n + c]!;
          m[pivot * n + c] = t;
        }
        const t = v[col]!;
        v[col] = v[pivot]!;
        v[pivot] = t;
      }
      for (let r = col + 1; r < n; r++) {
        const f = m[r * n + col]! / m[col * n + col]!;
        if (f === 0) continue;
        for (let c = col; c < n; c++) m[r * n + c] = m[r * n + c]! - f * m[col * n + c]!;
        v[r] = v[r]! - f * v[col]!;
      }
    }
    for (let r = n - 1; r >= 0; r--) {
      let s = v[r]!;
      for (let c = r + 1; c < n; c++) s -= m[r * n + c]! * v[c]!;
      v[r] = s / m[r * n + r]!;
      if (!Number.isFinite(v[r]!)) return false;
    }
    for (let r = 0; r < n; r++) prior[r] = v[r]!;
    return true;
  }
}
