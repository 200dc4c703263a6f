import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createRunView } from '../../src/cli/run-view';
import type { RunnerEvent } from '../../src/runner/events';
import { MNIST, tinyGrid } from '../runner/helpers';
import { spec } from '../tracking/fixtures';

const BIN = path.resolve(__dirname, '../../bin/digits.js');
const trial = { experiment: 'g', name: 'seed=1', spec: spec(), hash: 'h1', overrides: {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A file stream (not a terminal) and a way to read what was written to it. */
function fileStream() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'digits-view-')), 'out.txt');
  const stream = fs.createWriteStream(file) as unknown as NodeJS.WriteStream;
  return { stream, read: () => new Promise<string>((resolve) => (stream as unknown as fs.WriteStream).end(() => resolve(fs.readFileSync(file, 'utf8')))) };
}

describe('cli/run-view', () => {
  describe('createRunView (no terminal)', () => {
    it('writes the events as lines and a status line every few seconds, not a line per batch', async () => {
      const { stream, read } = fileStream();
      const view = createRunView({ stream, statusEveryMs: 100, env: {} });
      const events: RunnerEvent[] = [
        { type: 'plan', experiment: 'g', total: 2, alreadyFinished: 0, runningElsewhere: [], toRun: 2, resumed: 0, workers: 1, staleMarked: [] },
        { type: 'worker-ready', worker: 1, pid: 7, backend: 'cpu', startupSeconds: 1.2 },
        { type: 'trial-start', worker: 1, pid: 7, trial, runId: 'r1', resumed: false },
      ];
      events.forEach(view.onEvent);
      for (let b = 1; b <= 20; b++) view.onEvent({ type: 'batch', worker: 1, runId: 'r1', member: null, epoch: 1, epochs: 2, batch: b, batches: 40, imagesPerSec: 321 });
      await sleep(250);
      view.stop();
      await sleep(250);
      const out = await read();
      const lines = out.trim().split('\n');
      assert.deepEqual(lines.slice(0, 3), [
        'g: 2 trials, 2 to run on 1 worker',
        'worker 1 (pid 7) ready on cpu in 1.2 s',
        'worker 1 (pid 7): starting "seed=1" as run r1',
      ]);
      const status = lines.slice(3);
      assert.ok(status.length >= 1 && status.length <= 3, `status lines after 250 ms at most every 100 ms, then stopped:\n${out}`);
      assert.match(status[0], /^status: 0\/2 done, 0 failed, 2 left, \d+s elapsed, ETA \d+s \|\| worker 1 epoch 1\/2 batch 20\/40 \| 321 img\/s \| val_acc - \| seed=1$/);
      assert.doesNotMatch(out, /\x1b\[/, 'no escape codes in a file');
    });
  });

  describe('createRunView (terminal stream, cluster tasks)', () => {
    it('gives a trial with no worker process here (an array task) a bar while it runs, and removes it when it ends', async () => {
      const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
      Object.assign(stream, { isTTY: true, columns: 120, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true });
      let out = '';
      stream.on('data', (d: Buffer) => (out += d.toString()));
      const view = createRunView({ stream, env: {} });
      view.onEvent({ type: 'plan', experiment: 'g', total: 1, alreadyFinished: 0, runningElsewhere: [], toRun: 1, resumed: 0, workers: 1, staleMarked: [] });
      view.onEvent({ type: 'trial-start', worker: 3, pid: 7, trial, runId: 'r1', resumed: false });
      await sleep(300);
      assert.match(out, /worker 3 \[[^\]]*\] starting \| seed=1/);
      const result = { trial, runId: 'r1', status: 'finished' as const, error: null, valAccuracy: 0.5, testAccuracy: 0.5, trainSeconds: 1, wallSeconds: 1, worker: 3 };
      view.onEvent({ type: 'trial-end', result, left: 0 });
      out = '';
      await sleep(300);
      view.stop();
      assert.match(out, /\S/, 'the view drew again after the trial ended');
      assert.doesNotMatch(out, /worker 3 \[/);
    });
  });

  describe('createRunView (terminal)', function () {
    this.timeout(120_000);
    const session = `digits-view-test-${process.pid}`;
    before(function () {
      if (spawnSync('tmux', ['-V']).status !== 0) this.skip(); // Debian package tmux
    });
    after(() => spawnSync('tmux', ['kill-session', '-t', session]));

    it('draws a total line with an ETA and a line per worker in a real terminal (tmux), then clears them', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-view-tty-'));
      const file = tinyGrid(dir, 'view-tty', [1, 2, 3, 4], 2000);
      const done = path.join(dir, 'done');
      const command = `${process.execPath} ${BIN} run ${file} --workers 2 --no-report --db ${path.join(dir, 'db.sqlite')} --data-dir ${MNIST}; touch ${done}; sleep 120`;
      assert.equal(spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '40', command]).status, 0);
      const screens: string[] = [];
      while (!fs.existsSync(done)) {
        screens.push(spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout);
        await sleep(150);
      }
      const last = spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout;
      const live = screens.find((s) => /^worker 1 \[.*\] epoch \d\/1 batch \d+\/\d+ \| \d+ img\/s \| val_acc \S+ \| seed=\d/m.test(s)
        && /^worker 2 \[.*\] epoch \d\/1 batch/m.test(s) && /^total +\[.*\] \d\/4 done, 0 failed, \d left \| \d+s elapsed \| ETA \d+s/m.test(s));
      assert.ok(live, `no screen showed both workers and an ETA; the last one:\n${screens[screens.length - 1]}`);
      assert.match(last, /view-tty: 4 trials finished, 0 failed, 0 interrupted/);
      assert.doesNotMatch(last, /^(total|worker \d) +\[/m, 'the live lines are cleared at the end');
      assert.match(last, /^finished "seed=1" \(run \w+\): val [\d.]+ test [\d.]+ in \d+s$/m, 'a logged line carries no leftover of a bar line');
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});
