/**
 * Reliability diagram: how often the answers of run A are right against how sure it was, before
 * and after its temperature (calibration.json, see train/calibrate.ts). A calibrated model's dots
 * lie on the diagonal; the expected calibration error (ECE) is in the subtitle.
 */
import fs from 'node:fs';
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../../tracking';
import { applyTemperature, expectedCalibrationError, readRunCalibration, reliabilityBins } from '../../train';
import type { TestPredictions } from '../types';
import { round } from '../runs';
import { chartBase } from './theme';

/**
 * The diagram for one run's test predictions; `temperature` adds the calibrated series. Null when
 * there are no predictions.
 */
export function reliabilitySpec(predictions: TestPredictions, runName: string, temperature?: number): TopLevelSpec | null {
  if (predictions.labels.length === 0) return null;
  const series: Array<[string, Float32Array]> = [['as trained', predictions.probs]];
  if (temperature !== undefined && temperature !== 1) series.push([`calibrated (T = ${temperature})`, applyTemperature(predictions.probs, temperature)]);
  const values = series.flatMap(([name, probs]) =>
    reliabilityBins(probs, predictions.labels).filter((b) => b.count > 0).map((b) => ({ series: name, confidence: round(b.confidence), accuracy: round(b.accuracy), count: b.count, bin: `${b.lo.toFixed(2)}–${b.hi.toFixed(2)}` })),
  );
  const ece = series.map(([name, probs]) => `${name} ${expectedCalibrationError(probs, predictions.labels).toFixed(4)}`).join(', ');
  return {
    ...chartBase(`Reliability · A = ${runName}`, `test answers in 15 confidence bins; on the diagonal = calibrated; ECE ${ece}`),
    width: 360,
    height: 300,
    layer: [
      { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', title: 'confidence (mean of the bin)', scale: { domain: [0, 1] } },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
          color: { field: 'series', type: 'nominal', title: null },
          size: { field: 'count', type: 'quantitative', title: 'answers', legend: null },
          tooltip: [{ field: 'series' }, { field: 'bin', title: 'confidence bin' }, { field: 'count', title: 'answers' }, { field: 'confidence', format: '.3f' }, { field: 'accuracy', format: '.3f' }],
        },
      },
    ],
  } as TopLevelSpec;
}

/** The run's fitted temperature from its run folder, or undefined (no folder, no calibration, damaged). */
export function runTemperature(run: Run): number | undefined {
  if (!run.artifactDir || !fs.existsSync(run.artifactDir)) return undefined;
  try {
    return readRunCalibration(run.artifactDir)?.temperature;
  } catch {
    return undefined; // a damaged calibration.json shows the raw series only; `digits evaluate` names the problem
  }
}
