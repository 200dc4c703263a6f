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
    const stride = b.stride;
    for (let c = 0; c < b.convs && h >= 1 && w >= 1; c++) {
      [h, w] = b.padding === 'same'
        ? [Math.ceil(h / stride), Math.ceil(w / stride)]
        : [Math.floor((h - kh) / stride) + 1, Math.floor((w - kw) / stride) + 1];
    }
    if (b.pool !== null) [h, w] = [Math.floor(h / b.pool), Math.floor(w / b.pool)];
    return [h, w];
  });
}

/**
 * The one check that a CNN's blocks leave at least a 1x1 feature map of the 28x28 image: the rule
 * text names the first block that shrinks it away, with its size there and the settings that did it.
 */
export function cnnShapeProblem(cnn: CnnSpec): { block: number; rule: string } | null {
  const sizes = cnnBlockSizes(cnn);
  const b = sizes.findIndex(([h, w]) => h < 1 || w < 1);
  if (b < 0) return null;
  const block = cnn.blocks[b];
  const [kh, kw] = kernelDims(block);
  return {
    block: b,
    rule: `the 28x28 image shrinks to ${sizes[b].map((n) => Math.max(0, n)).join('x')} here (kernel ${kh}x${kw}, stride ${block.stride}, ` +
      `padding "${block.padding}", pool ${block.pool}); use fewer blocks, padding "same", or smaller kernels, strides or pools`,
  };
}

function cnnShapeIssues(cnn: CnnSpec, path: (string | number)[]): Issue[] {
  const problem = cnnShapeProblem(cnn);
  return problem ? [{ path: [...path, 'blocks', problem.block], rule: problem.rule }] : [];
}
