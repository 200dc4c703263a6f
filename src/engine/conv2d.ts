import * as tf from '@tensorflow/tfjs';
import { Backend, Info } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs?: tf.NamedAttrMap };

/**
 * Conv2D / FusedConv2D for the wasm backend with 'same' padding passed to XNNPACK as explicit
 * padding. With XNNPACK's own TF-SAME mode some shapes silently come out as all zeros (e.g. a
 * 1x3 or 3x1 kernel with stride 2 on 28x28 input: tfjs-backend-wasm 4.22 does not check the
 * status XNNPACK returns). Explicit padding gives the same output shape and works for all.
 */
export function makeExplicitPadConv(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs): Info => {
    const { inputs } = args;
    const attrs = args.attrs as unknown as tf.Conv2DAttrs;
    const { x, filter } = inputs as { x: Info; filter: Info };
    if (attrs.pad !== 'same') return stock(args) as Info;
    const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      dataFormat,
    );
    const { top, bottom, left, right } = info.padInfo;
    const pad = [[0, 0], [top, bottom], [left, right], [0, 0]];
    return stock({ ...args, attrs: { ...args.attrs, pad } as unknown as tf.NamedAttrMap }) as Info;
  }) as unknown as tf.KernelFunc;
}
