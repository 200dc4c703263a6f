/**
 * The live grid view of `digits run` in a real terminal: runs a 4-trial grid on 2 workers inside a
 * tmux session (160 x 40), captures the screen twice a second, and measures how good the ETA on
 * the total line was: at the first capture after the first trial finished, and at every capture
 * after it, the ETA shown against the time the grid really took from then on.
 *   npm run bench:grid-view   (~1.5 min on 2 free cores; BENCH_VIEW_LIMIT=3000 for a quick look)
 * Writes bench/results/grid-view.json and the screen at the first trial's end to
 * bench/results/grid-view-capture.txt. Needs tmux. The CPU is shared: the load average is recorded.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.join(__dirname, '..', 'bin', 'digits.js');
const MNIST = path.resolve(__dirname, '../../shared/datasets/mnist');
const RESULTS = path.join(__dirname, 'results');
const TRIALS = 4;
const LIMIT = Number(process.env.BENCH_VIEW_LIMIT ?? 12000);

interface Capture {
  at: number; // ms since the command started
  screen: string;
}

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Seconds in "42s", "3m07s" or "1h02m" (the CLI's duration format). */
export function parseDuration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!m) return NaN;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

async function main(): Promise<void> {
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('bench:grid-view needs tmux (Debian: apt-get install tmux)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-view-bench-'));
  const file = path.join(dir, 'view-bench.yaml');
  const seeds = Array.from({ length: TRIALS }, (_, i) => i + 1).join(', ');
  fs.writeFileSync(file, [
    'name: view-bench',
    `data: {trainLimit: ${LIMIT}, testLimit: 1000}`,
    'model: {kind: cnn, blocks: [{filters: 8, kernelSize: 3, convs: 1, padding: same, batchNorm: false, pool: 2, dropout: 0}], dense: [32]}',
    'train: {epochs: 2, batchSize: 64}',
    `grid: {seed: [${seeds}]}`,
    '',
  ].join('\n'));
  const session = `digits-view-${process.pid}`;
  const done = path.join(dir, 'done');
  const command = `${process.execPath} ${BIN} run ${file} --workers 2 --no-report --db ${path.join(dir, 'db.sqlite')} --data-dir ${MNIST}; touch ${done}; sleep 600`;
  const started = Date.now();
  tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', command);
  const captures: Capture[] = [];
  try {
    while (!fs.existsSync(done)) {
      captures.push({ at: Date.now() - started, screen: tmux('capture-pane', '-p', '-t', session) });
      if (Date.now() - started > 15 * 60_000) throw new Error('the grid took over 15 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    captures.push({ at: Date.now() - started, screen: tmux('capture-pane', '-p', '-t', session) });
    tmux('kill-session', '-t', session);
  }
  // The grid's end: the first capture that shows the summary (within one capture interval).
  const end = captures.find((c) => /view-bench: \d+ trials? finished/.test(c.screen));
  if (!end) throw new Error(`no summary in the last screen:\n${captures[captures.length - 1].screen}`);
  const samples = captures
    .filter((c) => c.at < end.at)
    .map((c) => ({ at: c.at, done: Number(/total\s+\[.*?\]\s+(\d+)\/\d+ done/.exec(c.screen)?.[1] ?? NaN), eta: /\| ETA (\S+)/.exec(c.screen)?.[1] }))
    .filter((s) => s.done >= 1 && s.eta !== undefined && s.eta !== '-')
    .map((s) => {
      const etaSeconds = parseDuration(s.eta!);
      const realSeconds = (end.at - s.at) / 1000;
      return { atSeconds: s.at / 1000, done: s.done, etaSeconds, realSeconds, error: (etaSeconds - realSeconds) / realSeconds };
    });
  if (samples.length === 0) throw new Error('no capture showed an ETA after the first trial finished');
  const first = samples[0];
  const firstScreen = captures.find((c) => c.at / 1000 === first.atSeconds)!.screen;
  const figures = {
    command: 'npm run bench:grid-view',
    loadavg: os.loadavg(),
    trials: TRIALS, workers: 2, trainLimit: LIMIT, epochs: 2,
    gridSeconds: end.at / 1000,
    afterFirstTrial: first,
    // Later captures while at least 10 s remain (near the end a second off is a large share).
    medianAbsError: median(samples.filter((x) => x.realSeconds >= 10).map((x) => Math.abs(x.error))),
    maxAbsError: Math.max(...samples.filter((x) => x.realSeconds >= 10).map((x) => Math.abs(x.error))),
    samples: samples.length,
    trace: samples.map((x) => [Math.round(x.atSeconds * 10) / 10, x.done, x.etaSeconds, Math.round(x.realSeconds * 10) / 10]), // [t, done, eta, real]
    goal: 'ETA within 30% of the real remaining time after the first trial',
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'grid-view.json'), JSON.stringify(figures, null, 2) + '\n');
  fs.writeFileSync(path.join(RESULTS, 'grid-view-capture.txt'), firstScreen.trimEnd() + '\n');
  console.log(firstScreen.trimEnd());
  console.log(`\ngrid ${figures.gridSeconds.toFixed(1)} s; after the first trial (t=${first.atSeconds.toFixed(1)} s): ETA ${first.etaSeconds} s, ` +
    `real ${first.realSeconds.toFixed(1)} s, error ${(first.error * 100).toFixed(0)}%; later captures with >= 10 s left: median |error| ` +
    `${(figures.medianAbsError * 100).toFixed(0)}%, max ${(figures.maxAbsError * 100).toFixed(0)}%; load ${figures.loadavg.map((l) => l.toFixed(1)).join(' ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
