/** Shared look of every chart, so the HTML report and notebooks render alike. */
import type { Config } from 'vega-lite/build/config';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Vega-Lite config: quiet grid, readable labels, left-aligned titles. */
export const chartConfig: Config = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  title: { anchor: 'start', fontSize: 14, fontWeight: 600, subtitleColor: '#666', subtitleFontSize: 11, offset: 12 },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 500,
    titleColor: '#333',
    labelColor: '#444',
    gridColor: '#ececec',
    domainColor: '#999',
    tickColor: '#999',
  },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, labelLimit: 220 },
  header: { labelFontSize: 12, labelFontWeight: 600, titleFontSize: 12 },
  range: { category: { scheme: 'tableau10' } },
};

/** Shared top-level fields: schema, config, title and a subtitle. */
export function chartBase(title: string, subtitle?: string) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle ? { text: title, subtitle } : title,
    config: chartConfig,
  };
}
