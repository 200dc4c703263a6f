import type { TrainingCheckpoint } from './checkpoint';
import type * as tf from '@tensorflow/tfjs';
import type { AugmentSpec } from '../config';
import type { RunSummary } from '../tracking';
import type { Rng } from '../random';
import type { EpochMetrics, Evaluation, StepMetrics } from './types';

/** Images and their labels for one split: xs [N, 28, 28, 1] float32 in [0,1], labels 0..9. */
export interface LabeledImages {
  xs: tf.Tensor4D;
  labels: Uint8Array;
}

/** The three splits a run uses. The caller owns (and disposes) these tensors. */
export interface TrainingData {
  train: LabeledImages;
  validation: LabeledImages;
  test: LabeledImages;
}

/** Progress inside an epoch, reported after every batch. */
export interface BatchProgress {
  epoch: number; // 1-based
  epochs: number;
  batch: number; // 1-based
  batches: number;
  images: number; // seen so far this epoch
  loss: number; // running mean this epoch
  accuracy: number; // running mean this epoch
  imagesPerSec: number;
  seconds: number; // since the epoch started
}

/** Returns a new augmented batch [batch, 28, 28, 1]; must not dispose its input. */
export type AugmentFn = (xs: tf.Tensor4D, spec: AugmentSpec, rng: Rng) => tf.Tensor4D;

export interface TrainOptions {
  /** Called after each epoch's validation; awaited (log it to the store here). */
  onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  /**
   * Per-step training metrics: called every k steps (train/steps.ts: at most MAX_STEP_POINTS calls
   * per run) with the mean loss and accuracy of those steps. Not awaited; buffer and write in batches.
   */
  onStep?: (metrics: StepMetrics) => void;
  /** Called after each training batch (progress display). */
  onBatch?: (progress: BatchProgress) => void;
  /** When aborted, training stops after the current batch and the result has status 'interrupted'. */
  signal?: AbortSignal;
  /** Batch augmentation; defaults to src/data's augmentBatch. Used only when spec.train.augment.enabled; with train.replicas > 1 only augmentBatch. */
  augment?: AugmentFn;
  /** Images per forward pass when predicting validation/test (default 500). */
  predictBatchSize?: number;
  /**
   * Called after every epoch but the last (and not after early stopping) with the state to go on
   * from; awaited. Its tensors are the trainer's: serialize them during the call (writeCheckpoint).
   */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
  /**
   * Go on from this checkpoint (of the same spec) instead of starting over; the trainer disposes its
   * tensors. Ignored, and training starts over, when its tensors do not fit the model.
   */
  resume?: TrainingCheckpoint;
  /** Called once when training goes on from `resume`, with the first epoch it trains. */
  onResumed?: (epoch: number) => void;
}

export interface TrainResult {
  status: 'finished' | 'interrupted';
  /** The trained model (best validation weights restored when early stopping is on). Caller disposes. */
  model: tf.LayersModel;
  history: EpochMetrics[];
  summary: RunSummary;
  /** Evaluations and probabilities [N*10] of the returned model; null when interrupted. */
  validation: Evaluation | null;
  test: Evaluation | null;
  validationProbs: Float32Array | null;
  testProbs: Float32Array | null;
}
