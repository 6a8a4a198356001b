/**
 * `npm run fuzz`: every fuzz target at its long size (over 10⁶ cases in all), each in its own
 * child process under a watchdog, then a summary — cases per target, failures, hangs, the
 * slowest case — and one JSON line for machines. Exit status 1 if anything broke.
 *
 *   npm run fuzz                                   all targets, seed 1
 *   npm run fuzz -- --seed 7 --scale 0.1           a tenth of the cases, another seed
 *   npm run fuzz -- --target decoder               one target
 *   npm run fuzz -- --target decoder --from 812 --count 1   one case again (as a failure names it)
 *
 * A case that neither finishes nor fails within HANG_MS is a hang, and a child that dies is a
 * crash: either way the target is replayed from the last case the child reported, one case per
 * message, to name the case; the run then goes on after it.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cliDecodeTarget } from '../test/hardening/hostile-files.js';
import { runCases, type FuzzCaseFailure, type FuzzRun } from '../test/fuzz/runner.js';
import { FUZZ_TARGETS, type FuzzTarget } from '../test/fuzz/targets.js';

const TARGETS: readonly FuzzTarget[] = [...FUZZ_TARGETS, cliDecodeTarget];
const HANG_MS = 60_000;
/** Progress messages from a child at most this often (every case when tracing). */
const PROGRESS_MS = 250;
/** Cases replayed one by one to find the one that stopped a child. */
const TRACE_WINDOW = 2000;

interface Args {
  seed: number;
  scale: number;
  target?: string;
  from: number;
  count?: number;
  child: boolean;
  trace: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seed: 1, scale: 1, from: 0, child: false, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--seed') args.seed = Number(value());
    else if (a === '--scale') args.scale = Number(value());
    else if (a === '--target') args.target = value();
    else if (a === '--from') args.from = Number(value());
    else if (a === '--count') args.count = Number(value());
    else if (a === '--child') args.child = true;
    else if (a === '--trace') args.trace = true;
    else throw new Error(`unknown argument ${a}`);
  }
  const count = args.count ?? 1;
  if (!Number.isInteger(args.seed) || !(args.scale > 0) || !Number.isInteger(args.from) || args.from < 0 || !Number.isInteger(count) || count < 1) {
    throw new Error('--seed, --from and --count take whole numbers (--count ≥ 1), --scale a positive number');
  }
  return args;
}

type ChildMessage = { type: 'progress'; next: number } | { type: 'failure'; failure: FuzzCaseFailure } | { type: 'done'; run: FuzzRun };

/** In the child: run the cases, reporting progress and failures to the parent as they happen. */
async function child(a: Args): Promise<void> {
  const target = TARGETS.find((t) => t.name === a.target)!;
  const send = (m: ChildMessage): void => void process.send!(m);
  let last = 0;
  const run = await runCases(target, a.seed, a.count!, {
    from: a.from,
    onProgress: (next) => {
      const now = Date.now();
      if (a.trace || now - last >= PROGRESS_MS) {
        last = now;
        send({ type: 'progress', next });
      }
    },
    onFailure: (failure) => send({ type: 'failure', failure }),
  });
  send({ type: 'done', run });
  process.disconnect();
}

type Outcome = { readonly failures: FuzzCaseFailure[] } & (
  | { readonly kind: 'done'; readonly run: FuzzRun }
  | { readonly kind: 'stopped'; readonly why: 'hang' | 'crash'; readonly next: number }
);

/** In the parent: one watched child for `count` cases of `target` from `from`. */
function watch(target: FuzzTarget, seed: number, from: number, count: number, trace: boolean): Promise<Outcome> {
  const script = fileURLToPath(import.meta.url);
  const argv = ['--child', '--target', target.name, '--seed', String(seed), '--from', String(from), '--count', String(count), ...(trace ? ['--trace'] : [])];
  return new Promise((resolve) => {
    const c = fork(script, argv, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const failures: FuzzCaseFailure[] = [];
    let next = from;
    let run: FuzzRun | undefined;
    let hung = false;
    const arm = (): NodeJS.Timeout =>
      setTimeout(() => {
        hung = true;
        c.kill('SIGKILL');
      }, HANG_MS);
    let timer = arm();
    c.on('message', (m: ChildMessage) => {
      clearTimeout(timer);
      timer = arm();
      if (m.type === 'progress') next = m.next;
      else if (m.type === 'failure') failures.push(m.failure);
      else run = m.run;
    });
    c.on('exit', () => {
      clearTimeout(timer);
      resolve(run ? { kind: 'done', run, failures } : { kind: 'stopped', why: hung ? 'hang' : 'crash', next, failures });
    });
  });
}

interface Row {
  readonly target: string;
  readonly cases: number;
  readonly failures: FuzzCaseFailure[];
  readonly stopped: number;
  readonly seconds: number;
  readonly slowestMs: number;
}

async function fuzzTarget(target: FuzzTarget, a: Args): Promise<Row> {
  const count = a.count ?? Math.max(1, Math.round(target.longCases * a.scale));
  const started = performance.now();
  const failures: FuzzCaseFailure[] = [];
  let stopped = 0;
  let slowestMs = 0;
  for (let from = a.from, end = a.from + count; from < end; ) {
    const o = await watch(target, a.seed, from, end - from, false);
    failures.push(...o.failures);
    if (o.kind === 'done') {
      slowestMs = Math.max(slowestMs, o.run.slowestMs);
      break;
    }
    // Name the case: replay from the last one reported, reporting every case.
    const traced = await watch(target, a.seed, o.next, Math.min(end - o.next, TRACE_WINDOW), true);
    const index = traced.kind === 'stopped' ? traced.next : o.next;
    const again = traced.kind === 'stopped' ? '' : ' (not reproduced when replayed alone)';
    failures.push({ index, message: `${o.why === 'hang' ? `hang: no result within ${HANG_MS / 1000} s` : 'the process died'}${again}` });
    stopped++;
    from = index + 1;
  }
  return { target: target.name, cases: count, failures, stopped, seconds: (performance.now() - started) / 1000, slowestMs };
}

async function parent(a: Args): Promise<number> {
  const targets = a.target ? TARGETS.filter((t) => t.name === a.target) : TARGETS;
  if (targets.length === 0) throw new Error(`no target named ${a.target}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  console.log(`fuzz: seed ${a.seed}, ${targets.length} target(s), watchdog ${HANG_MS / 1000} s per case`);
  const rows: Row[] = [];
  for (const target of targets) {
    const row = await fuzzTarget(target, a);
    rows.push(row);
    const verdict = row.failures.length === 0 ? 'ok' : `${row.failures.length} FAILED`;
    console.log(`  ${row.target.padEnd(15)} ${String(row.cases).padStart(9)} cases  ${verdict.padEnd(10)} ${row.seconds.toFixed(1).padStart(7)} s   slowest case ${row.slowestMs.toFixed(0)} ms`);
    for (const f of row.failures.slice(0, 5)) {
      console.log(`      case ${f.index}: ${f.message}\n        rerun: npm run fuzz -- --target ${row.target} --seed ${a.seed} --from ${f.index} --count 1`);
    }
  }
  const cases = rows.reduce((s, r) => s + r.cases, 0);
  const failures = rows.reduce((s, r) => s + r.failures.length, 0);
  const seconds = rows.reduce((s, r) => s + r.seconds, 0);
  console.log(`fuzz: ${cases} cases, ${failures} failures (${rows.reduce((s, r) => s + r.stopped, 0)} hangs or crashes), ${seconds.toFixed(1)} s`);
  console.log(
    JSON.stringify({
      bench: 'fuzz',
      seed: a.seed,
      cases,
      failures,
      seconds: Math.round(seconds * 10) / 10,
      targets: Object.fromEntries(rows.map((r) => [r.target, { cases: r.cases, failures: r.failures.length, seconds: Math.round(r.seconds * 10) / 10, slowestMs: Math.round(r.slowestMs) }])),
    }),
  );
  return failures === 0 ? 0 : 1;
}

const args = parseArgs(process.argv.slice(2));
if (args.child) await child(args);
else process.exitCode = await parent(args);
