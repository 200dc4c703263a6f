/** Checks that need more than one field at a time, run on a resolved spec. */
import { IMAGE_SIDE } from './defaults';
import type { Issue } from './schema';
import type { CnnSpec, RunSpec } from './types';

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

/** The CNN's blocks must leave at least a 1x1 feature map of the 28x28 image. */
function cnnShapeIssues(cnn: CnnSpec, path: (string | number)[]): Issue[] {
  let h = IMAGE_SIDE;
  let w = IMAGE_SIDE;
  for (let i = 0; i < cnn.blocks.length; i++) {
    const b = cnn.blocks[i];
    const [kh, kw] = Array.isArray(b.kernelSize) ? b.kernelSize : [b.kernelSize, b.kernelSize];
    for (let c = 0; c < b.convs && b.padding === 'valid'; c++) {
      h -= kh - 1;
      w -= kw - 1;
    }
    if (b.pool !== null) {
      h = Math.floor(h / b.pool);
      w = Math.floor(w / b.pool);
    }
    if (h < 1 || w < 1) {
      return [{
        path: [...path, 'blocks', i],
        rule: `shrinks the 28x28 image to nothing (use padding: same, smaller kernels or fewer pools)`,
        got: b,
      }];
    }
  }
  return [];
}
