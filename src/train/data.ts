import * as tf from '@tensorflow/tfjs';
import type { RunSpec } from '../config';
import { splitTrainValidation, subset, toTensors } from '../data';
import type { DigitSet, Mnist } from '../data';
import type { LabeledImages, TrainingData } from './options';

/**
 * The three splits a run trains and evaluates on, as tensors: the first `data.trainLimit`
 * training images split into train/validation with `data.splitSeed` (by default the run's seed), and the first
 * `data.testLimit` test images. The caller disposes them with disposeData.
 *
 * @example const data = prepareData(await loadMnist(), spec);
 */
export function prepareData(mnist: Mnist, spec: RunSpec): TrainingData {
  const pool = spec.data.trainLimit === null ? mnist.train : subset(mnist.train, spec.data.trainLimit);
  const { train, validation } = splitTrainValidation(pool, { validationFraction: spec.data.validationFraction, seed: spec.data.splitSeed });
  const test = spec.data.testLimit === null ? mnist.test : subset(mnist.test, spec.data.testLimit);
  return { train: labeled(train), validation: labeled(validation), test: labeled(test) };
}


/** Frees the tensors of prepareData. */
export function disposeData(data: TrainingData): void {
  tf.dispose([data.train.xs, data.validation.xs, data.test.xs]);
}

function labeled(set: DigitSet): LabeledImages {
  const { xs, labels } = toTensors(set); // xs [N, 28, 28, 1] in [0,1]
  labels.dispose();
  return { xs, labels: Uint8Array.from(set.labels) };
}
