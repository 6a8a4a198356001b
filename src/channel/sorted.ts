/** Searching the increasing time arrays the stages produce. */

/** Index of the first element of the increasing array `xs` that is ≥ x (`xs.length` if none). */
export function firstAtOrAfter(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
