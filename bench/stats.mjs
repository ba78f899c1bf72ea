/** Count and percentiles (nearest rank) of latency samples in milliseconds. */
export function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: samples.length, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}
