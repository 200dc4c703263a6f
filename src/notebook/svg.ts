/**
 * Vega-Lite to SVG in Node, without a browser: vega-lite compiles the spec, a headless vega View
 * renders it. chartBundle rasterises it to the PNG a chart output carries (SVG itself is not shown:
 * Jupyter's HTML export strips it).
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { vegaLibraries } from '../report';

/**
 * Renders a Vega-Lite spec to an SVG document (static: hover and click selections keep their
 * initial state).
 * @example fs.writeFileSync('balance.svg', await vegaLiteSvg(classBalanceSpec({ train: mnist.train })));
 */
export async function vegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const { vl, vega } = await vegaLibraries();
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
