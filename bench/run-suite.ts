/** Shared by the benchmark files: one benchmark.js suite run to completion, its cases returned. */
import type Benchmark from 'benchmark';

/** Runs `suite` asynchronously, printing each case as it finishes; rejects on a case's error. */
export function runSuite(suite: Benchmark.Suite): Promise<Benchmark[]> {
  return new Promise((resolve, reject) => {
    suite
      .on('cycle', (event: Benchmark.Event) => console.log(`  ${String(event.target)}`))
      .on('error', (event: Benchmark.Event) => reject((event.target as unknown as { error: Error }).error))
      .on('complete', function (this: Benchmark.Suite) {
        resolve(this.map((b: Benchmark) => b) as Benchmark[]);
      })
      .run({ async: true });
  });
}
