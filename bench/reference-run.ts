/** The run the serving benchmarks time when BENCH_RUN is not given. */
import fs from 'node:fs';
import path from 'node:path';
import { defaultRunSpec } from '../src/config/defaults';
import type { CnnSpec } from '../src/config/types';
import { saveModel } from '../src/models/io';
import { buildModel } from '../src/models/registry';

/** Writes a run folder holding the reference CNN of the default spec (untrained weights) and returns its id. */
export async function referenceRun(runsDir: string): Promise<string> {
  const id = 'bench-reference-cnn';
  const model = buildModel(defaultRunSpec().model as CnnSpec);
  await saveModel(model, path.join(runsDir, id, 'model'));
  model.dispose();
  fs.writeFileSync(path.join(runsDir, id, 'metrics.json'), JSON.stringify({ status: 'finished', name: 'reference CNN (untrained, timing only)' }));
  return id;
}
