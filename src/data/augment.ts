/**
 * Random rotation, shift and zoom of a batch of images as ONE engine op: each image gets an affine
 * matrix (built in JS from seeded parameters) and tf.image.transform resamples the whole batch
 * (bilinear, zeros outside). The Transform kernel exists on the cpu and wasm backends (see
 * transformBatch for the cpu kernel's batch bug).
 */
import * as tf from '@tensorflow/tfjs';
import type { AugmentSpec } from '../config';
import { Rng, uniform } from '../random';

/** One image's transform: rotate and scale about the centre, then shift. */
export interface AffineParams {
  rotation: number; // degrees, positive turns clockwise on screen (y points down)
  scale: number; // 1 = unchanged, 1.1 = content 10% larger
  dx: number; // pixels to the right
  dy: number; // pixels down
}

/** Draws `n` parameter sets within `spec`'s ranges (4 draws per image, always, so streams line up). */
export function sampleAugmentParams(n: number, spec: AugmentSpec, rng: Rng, size: [number, number]): AffineParams[] {
  const [height, width] = size;
  const params: AffineParams[] = [];
  for (let i = 0; i < n; i++) {
    params.push({
      rotation: uniform(rng, -spec.rotation, spec.rotation),
      scale: uniform(rng, 1 - spec.zoom, 1 + spec.zoom),
      dx: uniform(rng, -spec.shift, spec.shift) * width,
      dy: uniform(rng, -spec.shift, spec.shift) * height,
    });
  }
  return params;
}

/**
 * Rows of 8 numbers [a0 a1 a2 b0 b1 b2 c0 c1] mapping OUTPUT pixels to INPUT pixels, as
 * tf.image.transform wants: input = R^T (output - centre - shift) / scale + centre.
 */
export function affineMatrices(params: AffineParams[], height: number, width: number): Float32Array {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const out = new Float32Array(params.length * 8);
  params.forEach((p, i) => {
    const theta = (p.rotation * Math.PI) / 180;
    const a0 = Math.cos(theta) / p.scale;
    const a1 = Math.sin(theta) / p.scale;
    const b0 = -Math.sin(theta) / p.scale;
    const b1 = Math.cos(theta) / p.scale;
    const u = cx + p.dx;
    const v = cy + p.dy;
    out.set([a0, a1, cx - a0 * u - a1 * v, b0, b1, cy - b0 * u - b1 * v, 0, 0], i * 8);
  });
  return out;
}

/** Applies one affine transform per image: xs [N, H, W, C] -> [N, H, W, C]. */
export function transformBatch(xs: tf.Tensor4D, params: AffineParams[]): tf.Tensor4D {
  const [n, height, width] = xs.shape;
  if (params.length !== n) throw new Error(`transformBatch: ${params.length} transforms for ${n} images`);
  if (n === 0) return xs.clone();
  return tf.tidy(() => {
    const matrices = tf.tensor2d(affineMatrices(params, height, width), [n, 8]); // [N, 8]
    if (tf.getBackend() !== 'cpu' || n === 1) return tf.image.transform(xs, matrices, 'bilinear', 'constant', 0);
    // The cpu backend's Transform kernel (tfjs 4.22) returns inside its batch loop: only image 0 is
    // transformed and the rest come back as fill. Transform one image at a time there.
    const one = (i: number) =>
      tf.image.transform(xs.slice([i, 0, 0, 0], [1, -1, -1, -1]), matrices.slice([i, 0], [1, 8]), 'bilinear', 'constant', 0);
    return tf.concat(Array.from({ length: n }, (_, i) => one(i)), 0);
  });
}

/**
 * A randomly rotated, shifted and zoomed copy of the batch (a plain copy when augmentation is off);
 * the same rng state gives the same result. The caller disposes the result.
 * @example const aug = augmentBatch(xs, spec.train.augment, createRng(seed + epoch));
 */
export function augmentBatch(xs: tf.Tensor4D, spec: AugmentSpec, rng: Rng): tf.Tensor4D {
  if (!spec.enabled) return xs.clone();
  const [n, height, width] = xs.shape;
  return transformBatch(xs, sampleAugmentParams(n, spec, rng, [height, width]));
}
