/** Training checkpoints: a run stopped after an epoch and resumed from its checkpoint file ends as an uninterrupted one. */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RunSpec } from '../../src/config/types';
import { disposeCheckpoint, readCheckpoint, writeCheckpoint, type TrainingCheckpoint } from '../../src/train/checkpoint';
import { trainRun } from '../../src/train/loop';
import type { TrainResult } from '../../src/train/options';
import type { StepMetrics } from '../../src/train/types';
import { repeatable, syntheticFixture, TINY_CNN, tinySpec } from './helpers';

describe('train/checkpoint', () => {
  const fixture = syntheticFixture();
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-checkpoint-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** What must match between two runs: every epoch's metrics, the step points, the weights, the test predictions. */
  async function outcome(r: TrainResult, steps: StepMetrics[]) {
    const weights = await Promise.all(r.model.getWeights().map(async (w) => Array.from(await w.data())));
    const result = { history: repeatable(r.history), steps, weights, probs: Array.from(r.testProbs ?? []), epochs: r.summary.epochs, bestEpoch: r.summary.bestEpoch };
    r.model.dispose();
    return result;
  }

  /** Trains `spec` stopped after epoch `stopAfter` (its checkpoint written to a file), then resumed from that file. */
  async function stoppedAndResumed(spec: RunSpec, stopAfter: number) {
    const controller = new AbortController();
    const steps: StepMetrics[] = [];
    const first = await trainRun(spec, fixture.data, {
      signal: controller.signal,
      onStep: (m) => steps.push(m),
      onEpoch: (m) => void (m.epoch === stopAfter && controller.abort()),
      onCheckpoint: (c) => writeCheckpoint(path.join(dir, `epoch-${c.state.epoch}`), c, 'hash-1'),
    });
    assert.equal(first.status, 'interrupted');
    first.model.dispose();
    const resume = readCheckpoint(path.join(dir, `epoch-${stopAfter}`), 'hash-1');
    assert.ok(resume, 'the checkpoint reads back');
    // The checkpoint carries the points emitted before it; the resumed run emits the rest.
    const kept = resume.state.points;
    assert.deepEqual(kept, steps.filter((s) => s.step <= resume.state.steps!.step - resume.state.steps!.pending));
    let resumedAt = 0;
    const rest: StepMetrics[] = [];
    const second = await trainRun(spec, fixture.data, { resume, onStep: (m) => rest.push(m), onResumed: (e) => (resumedAt = e) });
    assert.equal(second.status, 'finished');
    assert.equal(resumedAt, stopAfter + 1);
    return outcome(second, [...kept, ...rest]);
  }

  async function uninterrupted(spec: RunSpec) {
    const steps: StepMetrics[] = [];
    return outcome(await trainRun(spec, fixture.data, { onStep: (m) => steps.push(m) }), steps);
  }

  /** Trains a 2-epoch `spec` and returns its one checkpoint (after epoch 1), written to <dir>/c under `hash` and read back. */
  async function firstCheckpoint(spec: RunSpec, hash: string): Promise<{ saved: string; checkpoint: TrainingCheckpoint }> {
    const saved = path.join(dir, 'c');
    let checkpoint: TrainingCheckpoint | null = null;
    const r = await trainRun(spec, fixture.data, {
      onCheckpoint: (c) => {
        writeCheckpoint(saved, c, hash);
        checkpoint = readCheckpoint(saved, hash);
      },
    });
    r.model.dispose();
    assert.ok(checkpoint, 'a checkpoint was written and reads back');
    return { saved, checkpoint };
  }

  it('resumes with Adam, augmentation, dropout, a moving average and early stopping exactly where it stopped', async () => {
    const spec = tinySpec({
      epochs: 4, augment: { enabled: true, rotation: 10, shift: 0.1, zoom: 0.1 }, ema: 0.9,
      earlyStopping: { monitor: 'val_loss', patience: 10, minDelta: 0 }, schedule: { kind: 'exponential', decayRate: 0.5, decayEpochs: 1 },
    });
    const whole = await uninterrupted(spec);
    assert.equal(whole.epochs, 4);
    assert.deepEqual(await stoppedAndResumed(spec, 2), whole);
  });

  it('resumes Adam bit for bit after hundreds of steps (its running beta powers are in the checkpoint)', async () => {
    const spec = tinySpec({ epochs: 4, batchSize: 2 }); // 48 steps an epoch: beta2 to the power of 145 drifts from repeated products
    assert.deepEqual(await stoppedAndResumed(spec, 3), await uninterrupted(spec));
  });

  it('resumes SGD with momentum and batch norm exactly (its statistics are in the checkpoint)', async () => {
    const spec = tinySpec({ epochs: 3, optimizer: { name: 'sgd', learningRate: 0.05, momentum: 0.9 } });
    spec.model = { ...TINY_CNN, blocks: [{ ...TINY_CNN.blocks[0], batchNorm: true }] };
    assert.deepEqual(await stoppedAndResumed(spec, 1), await uninterrupted(spec));
  });

  it('resumes a run trained by two replica threads exactly (the replicas start from the restored weights)', async () => {
    const spec = tinySpec({ epochs: 3, replicas: 2 });
    assert.deepEqual(await stoppedAndResumed(spec, 1), await uninterrupted(spec));
  });

  it('is not written after the last epoch, nor after early stopping ends training', async () => {
    const written: number[] = [];
    const r = await trainRun(tinySpec({ epochs: 3 }), fixture.data, { onCheckpoint: (c) => void written.push(c.state.epoch) });
    r.model.dispose();
    assert.deepEqual(written, [1, 2]);
    // Early stopping that ends training at epoch 2 of 5 (no improvement by 10 in the loss, patience 1): no checkpoint for it.
    const stopped: number[] = [];
    const early = await trainRun(tinySpec({ epochs: 5, earlyStopping: { monitor: 'val_loss', patience: 1, minDelta: 10 } }), fixture.data, {
      onCheckpoint: (c) => void stopped.push(c.state.epoch),
    });
    early.model.dispose();
    assert.equal(early.summary.epochs, 2, 'early stopping ended training at epoch 2');
    assert.deepEqual(stopped, [1]);
  });

  it('is ignored (nothing read) for another trial, another format, or damaged files; the run starts over', async () => {
    const { saved, checkpoint } = await firstCheckpoint(tinySpec({ epochs: 2 }), 'hash-1');
    disposeCheckpoint(checkpoint);
    const before = tf.memory().numTensors;
    assert.equal(readCheckpoint(saved, 'hash-2'), null, 'another trial');
    assert.equal(readCheckpoint(path.join(dir, 'missing'), 'hash-1'), null, 'no folder');
    const meta = JSON.parse(fs.readFileSync(path.join(saved, 'checkpoint.json'), 'utf8'));
    fs.writeFileSync(path.join(saved, 'checkpoint.json'), JSON.stringify({ ...meta, version: 99 }));
    assert.equal(readCheckpoint(saved, 'hash-1'), null, 'another format version');
    fs.writeFileSync(path.join(saved, 'checkpoint.json'), JSON.stringify(meta));
    const damaged = (change: (m: { state: Record<string, unknown>; tensors: Record<string, unknown>[] }) => void) => {
      const copy = JSON.parse(JSON.stringify(meta));
      change(copy);
      fs.writeFileSync(path.join(saved, 'checkpoint.json'), JSON.stringify(copy));
      return readCheckpoint(saved, 'hash-1');
    };
    assert.equal(damaged((m) => (m.state.epoch = 5)), null, 'an epoch its history does not have');
    assert.equal(damaged((m) => (m.state.history = null)), null, 'no history');
    assert.equal(damaged((m) => (m.state.points = null)), null, 'no step points');
    assert.equal(damaged((m) => (m.state.rngState = -1)), null, 'a generator state out of range');
    assert.equal(damaged((m) => (m.tensors[0].length = 1e12)), null, 'a tensor bigger than memory');
    fs.writeFileSync(path.join(saved, 'checkpoint.json'), JSON.stringify(meta));
    const bin = path.join(saved, 'tensors.bin');
    const good = fs.readFileSync(bin);
    fs.appendFileSync(bin, Buffer.alloc(8));
    assert.equal(readCheckpoint(saved, 'hash-1'), null, 'tensors.bin longer than its entries');
    fs.rmSync(bin);
    fs.symlinkSync('/dev/zero', bin);
    assert.equal(readCheckpoint(saved, 'hash-1'), null, 'tensors.bin an endless device: not read');
    fs.rmSync(bin);
    fs.writeFileSync(bin, good.subarray(0, 10));
    assert.equal(readCheckpoint(saved, 'hash-1'), null, 'tensors.bin cut short');
    assert.equal(tf.memory().numTensors, before, 'nothing allocated for a refused checkpoint');
  });

  it('starts over when the checkpoint was written at or after the last epoch of this spec', async () => {
    const { checkpoint: captured } = await firstCheckpoint(tinySpec({ epochs: 2 }), 'h');
    let resumed = false;
    const again = await trainRun(tinySpec({ epochs: 1 }), fixture.data, { resume: captured, onResumed: () => (resumed = true) });
    assert.equal(resumed, false, 'epoch 1 of 1 is done: nothing to go on with, so train it all');
    assert.equal(again.summary.epochs, 1);
    again.model.dispose();
  });

  it('starts over when the checkpoint does not fit the model, and frees the checkpoint either way', async () => {
    const { checkpoint: captured } = await firstCheckpoint(tinySpec({ epochs: 2 }), 'h');
    const other = tinySpec({ epochs: 2 });
    other.model = { ...TINY_CNN, blocks: [{ ...TINY_CNN.blocks[0], filters: 3 }] };
    const before = tf.memory().numTensors;
    let resumed = false;
    const fresh = await trainRun(other, fixture.data, { resume: captured, onResumed: () => (resumed = true) });
    assert.equal(resumed, false);
    assert.equal(fresh.summary.epochs, 2, 'all epochs trained');
    const plain = await trainRun(other, fixture.data);
    assert.deepEqual(repeatable(fresh.history), repeatable(plain.history));
    fresh.model.dispose();
    plain.model.dispose();
    assert.ok(tf.memory().numTensors < before, 'the unused checkpoint was disposed');
  });
});
