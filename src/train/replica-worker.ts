/**
 * A replica thread of data-parallel training (started by replicas.ts, never imported): builds the
 * same network on the same engine, then for every job loads the current weights, computes the
 * gradients of its share of the batch and leaves them in shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../data';
import { selectBackend, type BackendName } from '../engine';
import { buildModel } from '../models';
import { createRng } from '../random';
import { batchGradients } from './gradients';
import { layout, type ReplicaInit, type ReplicaJob, type ReplicaReply } from './replicas';

async function main(): Promise<void> {
  const init = workerData as ReplicaInit;
  const port = parentPort!;
  const send = (reply: ReplicaReply) => port.postMessage(reply);
  try {
    await selectBackend({ force: init.backend as BackendName });
    const model = buildModel(init.model, { seed: 0 }); // its weights are replaced before every job
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const shapes = variables.map((v) => v.shape);
    if (JSON.stringify(shapes) !== JSON.stringify(init.shapes)) {
      throw new Error(`the replica's network has weights ${JSON.stringify(shapes)}, not ${JSON.stringify(init.shapes)}`);
    }
    const offsets = layout(shapes);
    const weights = new Float32Array(init.weights);
    const grads = new Float32Array(init.grads);
    const augment = init.train.augment.enabled ? augmentBatch : null;
    port.on('message', (job: ReplicaJob) => {
      try {
        tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(weights.subarray(offsets[i], offsets[i + 1]), v.shape))));
        const xs = tf.tensor4d(job.pixels, [job.labels.length, ...job.imageShape] as [number, number, number, number]);
        const result = batchGradients({ model, xs, labels: job.labels, augment, spec: init.train.augment, rng: createRng(job.seed) });
        xs.dispose();
        result.grads.forEach((g, i) => {
          grads.set(g.dataSync() as Float32Array, offsets[i]);
          g.dispose();
        });
        send({ loss: result.loss, correct: result.correct });
      } catch (err) {
        send({ error: (err as Error).message });
      }
    });
    send({ ready: true });
  } catch (err) {
    send({ error: (err as Error).message });
  }
}

void main();
