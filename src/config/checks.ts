/** Checks that need more than one field at a time, run on a resolved spec. */
import { IMAGE_SIDE } from './defaults';
import type { Issue } from './schema';
import type { CnnSpec, ConvBlockSpec, RunSpec } from './types';

/** Problems in a resolved spec that no single-field rule can see. */
export function crossFieldIssues(spec: RunSpec): Issue[] {
  const issues: Issue[] = [];
  if (spec.model.kind === 'cnn') issues.push(...cnnShapeIssues(spec.model, ['model']));
  if (spec.model.kind === 'ensemble') {
    spec.model.members.forEach((m, i) => {
      if (typeof m === 'object' && m !== null && 'spec' in m && m.spec.kind === 'cnn') issues.push(...cnnShapeIssues(m.spec, ['model', 'members', i, 'spec']));
    });
  }
  return issues;
}

/** A block's kernel as [height, width]. */
export function kernelDims(block: ConvBlockSpec): [number, number] {
  return Array.isArray(block.kernelSize) ? block.kernelSize : [block.kernelSize, block.kernelSize];
}

/**
 * The feature-map size after each block of a CNN, starting from the 28x28 image: each convolution
 * (kernel, padding, stride as in TF.js), then the pool. Sizes below 1 mean the image shrank away.
 */
export function cnnBlockSizes(cnn: CnnSpec): [number, number][] {
  let h = IMAGE_SIDE;
  let w = IMAGE_SIDE;
  return cnn.blocks.map((b) => {
    const [kh, kw] = kernelDims(b);
    const stride = b.stride ?? 1;
    for (let c = 0; c < b.convs && h >= 1 && w >= 1; c++) {
      [h, w] = b.padding === 'same'
        ? [Math.ceil(h / stride), Math.ceil(w / stride)]
        : [Math.floor((h - kh) / stride) + 1, Math.floor((w - kw) / stride) + 1];
    }
    if (b.pool !== null) [h, w] = [Math.floor(h / b.pool), Math.floor(w / b.pool)];
    return [h, w];
  });
}

/** The CNN's blocks must leave at least a 1x1 feature map of the 28x28 image. */
function cnnShapeIssues(cnn: CnnSpec, path: (string | number)[]): Issue[] {
  const i = cnnBlockSizes(cnn).findIndex(([h, w]) => h < 1 || w < 1);
  if (i < 0) return [];
  return [{
    path: [...path, 'blocks', i],
    rule: 'shrinks the 28x28 image to nothing (use padding: same, smaller kernels or strides, or fewer pools)',
    got: cnn.blocks[i],
  }];
}
