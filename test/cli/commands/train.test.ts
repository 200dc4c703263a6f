import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../../src/tracking/open';
import { readRunArtifacts } from '../../../src/tracking';
import { digits } from './helpers';

const MNIST = path.resolve(__dirname, '../../../../shared/datasets/mnist');
const bin = path.join(__dirname, '..', '..', '..', 'bin', 'digits.js');

describe('cli/commands/train', () => {
  let dir: string;
  let db: string;
  let runsFolder: string;
  let savedRunsDir: string | undefined;
  // A tiny CNN for 1 epoch on 512 images: a few seconds on wasm.
  const small = ['--preset', 'cnn-tiny', '--train-limit', '512', '--test-limit', '300'];
  const quick = [...small, '--seed', '4'];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-train-'));
    db = path.join(dir, 'digits.sqlite');
    runsFolder = path.join(dir, 'runs');
    savedRunsDir = process.env.DIGITS_RUNS_DIR;
    process.env.DIGITS_RUNS_DIR = runsFolder; // the CLI processes inherit it: run folders stay in the temp folder
  });
  after(() => {
    if (savedRunsDir === undefined) delete process.env.DIGITS_RUNS_DIR;
    else process.env.DIGITS_RUNS_DIR = savedRunsDir;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const idOf = (stdout: string) => /^run (\w+) /m.exec(stdout)?.[1] ?? assert.fail(`no run id in: ${stdout}`);

  describe('digits train', () => {
    let first: string;

    it('trains, records the run and writes its artifacts', () => {
      const r = digits(['train', ...quick, '--db', db], { DIGITS_DATA_DIR: MNIST });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /epoch 1\/1 .*val_acc/);
      first = idOf(r.stdout);
      assert.match(r.stdout, /finished: validation accuracy 0\.\d+, test accuracy 0\.\d+/);
      for (const f of ['config.json', 'metrics.json', 'history.json', 'tracking.json', 'test-probs.bin', 'model/model.json']) {
        assert.ok(fs.existsSync(path.join(runsFolder, first, f)), f);
      }
      const store = openStore(db, { mustExist: true });
      const run = store.getRun(first);
      store.close();
      assert.equal(run?.status, 'finished');
      assert.equal(run?.test?.count, 300);
      assert.equal(run?.spec.data.trainLimit, 512);
      assert.equal(run?.experiment, 'cnn-tiny', 'recorded under the preset\'s experiment name, as digits runs --experiment finds it');
    });

    it('prints the recorded run with its history as JSON with --json, and nothing else on stdout', () => {
      const r = digits(['train', ...small, '--seed', '5', '--json', '--db', db], { DIGITS_DATA_DIR: MNIST });
      assert.equal(r.code, 0, r.stderr);
      const run = JSON.parse(r.stdout);
      assert.equal(run.schemaVersion, 1);
      assert.equal(run.status, 'finished');
      assert.equal(run.history.length, 1);
      assert.equal(run.seed, 5);
      const store = openStore(db, { mustExist: true });
      assert.equal(store.getRun(run.id)?.test?.accuracy, run.test.accuracy);
      store.close();
    });

    it('repeats the same metrics with the same seed', () => {
      const r = digits(['train', ...quick, '--db', db], { DIGITS_DATA_DIR: MNIST });
      assert.equal(r.code, 0, r.stderr);
      const metrics = (id: string) => JSON.parse(fs.readFileSync(path.join(runsFolder, id, 'metrics.json'), 'utf8'));
      const [a, b] = [metrics(first), metrics(idOf(r.stdout))];
      assert.deepEqual(b.test, a.test);
      assert.deepEqual(b.validation, a.validation);
    });

    it('trains with --replicas threads sharing every batch, to the same result, and records the count in the spec', () => {
      const r = digits(['train', ...quick, '--replicas', '2', '--db', db], { DIGITS_DATA_DIR: MNIST });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /training cnn-tiny on \w+, 2 replicas, 1 epoch/);
      const store = openStore(db, { mustExist: true });
      const run = store.getRun(idOf(r.stdout));
      store.close();
      assert.equal(run?.status, 'finished');
      assert.equal(run?.spec.train.replicas, 2);
      // cnn-tiny has no dropout and no augmentation: two replicas take the same steps as one thread.
      const single = JSON.parse(fs.readFileSync(path.join(runsFolder, first, 'metrics.json'), 'utf8')).test.accuracy;
      assert.ok(Math.abs((run?.test?.accuracy ?? 0) - single) <= 1 / 300, `test accuracy ${run?.test?.accuracy}, one thread ${single}`);
    });

    it('holds out the validation images of --split-seed, whatever --seed, and records it in the spec', () => {
      const r = digits(['train', ...small, '--seed', '5', '--split-seed', '4', '--db', db], { DIGITS_DATA_DIR: MNIST });
      assert.equal(r.code, 0, r.stderr);
      const id = idOf(r.stdout);
      const store = openStore(db, { mustExist: true });
      const run = store.getRun(id);
      store.close();
      assert.deepEqual([run?.spec.seed, run?.spec.data.splitSeed], [5, 4]);
      const validationLabels = (runId: string) => Array.from(readRunArtifacts(path.join(runsFolder, runId)).validationProbs?.labels ?? []);
      assert.equal(validationLabels(id).length, 51); // 10% of 512
      assert.deepEqual(validationLabels(id), validationLabels(first), 'the same split as the seed-4 run');
      const testProbs = (runId: string) => Array.from(readRunArtifacts(path.join(runsFolder, runId)).testProbs?.probs.slice(0, 10) ?? []);
      assert.notDeepEqual(testProbs(id), testProbs(first), 'but trained with seed 5');
    });

    it('rejects bad flags with exit code 2, naming each one', () => {
      const r = digits(['train', '--epochs', '0', '--train-limit', 'many', '--replicas', '17', '--ema', '1.5', '--split-seed', '-1', '--db', db]);
      assert.equal(r.code, 2);
      // The same rules and words as the fields in an experiment file (they are overrides of them).
      assert.match(r.stderr, /--epochs 0: train\.epochs: must be an integer in \[1, 10000\], got 0/);
      assert.match(r.stderr, /--train-limit NaN: data\.trainLimit: must be an integer in \[1, 60000\], got NaN/);
      assert.match(r.stderr, /--replicas 17: train\.replicas: must be an integer in \[1, 16\], got 17/);
      assert.match(r.stderr, /--split-seed -1: data\.splitSeed: must be an integer in \[0, 2147483647\], got -1/);
      assert.match(r.stderr, /--ema 1\.5: train\.ema: must be a number in \(0, 1\), got 1\.5/);
      const preset = digits(['train', '--preset', 'cnn-huge', '--db', db]);
      assert.match(preset.stderr, /preset "cnn-huge" does not exist; use one of: cnn-deep, cnn-default/);
      const clash = digits(['train', '--preset', 'lstm-128', '--model', 'cnn', '--db', db]);
      assert.match(clash.stderr, /--model cnn contradicts --preset lstm-128/);
    });

    it('stops after the batch on Ctrl-C, records "interrupted" and exits 130', async () => {
      const child = spawn(process.execPath, [bin, 'train', '--preset', 'cnn-tiny', '--train-limit', '2000', '--epochs', '50', '--db', db], {
        env: { ...process.env, DIGITS_DATA_DIR: MNIST },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/epoch 2\/50/.test(stderr)) child.kill('SIGINT'); // after epoch 1 ended, when a grid's run would have a checkpoint
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 130, stderr);
      const id = idOf(stdout);
      assert.match(stdout, /interrupted after \d+ epoch/);
      const store = openStore(db, { mustExist: true });
      assert.equal(store.getRun(id)?.status, 'interrupted');
      store.close();
      assert.ok(!fs.existsSync(path.join(runsFolder, id, 'checkpoint')), 'digits train never resumes a run, so it writes no checkpoint');
    });
  });

  describe('digits evaluate', () => {
    it('prints accuracy, macro and per-class metrics and the confusion matrix by run id', () => {
      const runs = openStore(db, { mustExist: true });
      const id = runs.listRuns({ status: ['finished'] })[0].id;
      runs.close();
      const r = digits(['evaluate', id.slice(0, 6), '--db', db]); // a unique prefix, as every command takes
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^test\s+300\s+0\.\d{4}/m);
      assert.match(r.stdout, /macro F1/);
      assert.match(r.stdout, /per class:\ndigit\s+precision\s+recall\s+f1\s+support/);
      assert.match(r.stdout, /confusion matrix[^\n]*\ntrue\s+0\s+1\s+2/);
      const json = JSON.parse(digits(['evaluate', path.join(runsFolder, id), '--json']).stdout);
      assert.equal(json.test.count, 300);
      assert.equal(json.test.confusion.flat().reduce((a: number, b: number) => a + b, 0), 300);
    });

    it('says when there is no such run', () => {
      const r = digits(['evaluate', 'no-such-run', '--db', db]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no run with id "no-such-run" in the tracking database/);
    });
  });
});
