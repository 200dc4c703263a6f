/**
 * One training process of bench:accuracy: trains a preset on the full MNIST (or a limit), writes
 * its run folder, and prints one JSON line with the result. Started by bench/accuracy.ts:
 *   ts-node --transpile-only bench/accuracy-member.ts <preset> <seed> <runsDir> [epochs] [trainLimit] [replicas]
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadMnist } from '../src/data/mnist';
import { selectBackend } from '../src/engine';
import { collectProvenance } from '../src/train/provenance';
import { trainAndRecord } from '../src/train/record';
import { memberSpec } from './member-spec';

async function main(): Promise<void> {
  const [preset, seed, runsDir, epochs, trainLimit, replicas] = process.argv.slice(2);
  const engine = await selectBackend();
  const overrides = { epochs: Number(epochs) || undefined, trainLimit: Number(trainLimit) || undefined };
  const spec = memberSpec({ preset, seed: Number(seed), replicas: Number(replicas) || undefined }, overrides);
  const dataDir = process.env.DIGITS_DATA_DIR ?? `${__dirname}/../../shared/datasets/mnist`;
  const mnist = await loadMnist({ dataDir, download: false });
  const started = performance.now();
  const run = await trainAndRecord({
    spec, mnist, runsDir, provenance: collectProvenance(engine), name: `${preset} seed=${seed}`,
    onEpoch: (m) => process.stderr.write(`[${preset} s${seed}] epoch ${m.epoch}/${spec.train.epochs} val_acc ${m.valAccuracy.toFixed(4)} ${Math.round(m.imagesPerSec)} img/s\n`),
  });
  const result = {
    preset, seed: spec.seed, backend: engine.backend, runId: run.id, dir: run.dir, status: run.status,
    testAccuracy: run.test?.accuracy ?? null, validationAccuracy: run.validation?.accuracy ?? null,
    epochs: run.summary.epochs, bestEpoch: run.summary.bestEpoch, trainSeconds: run.summary.trainSeconds,
    wallSeconds: (performance.now() - started) / 1000, imagesPerSec: run.summary.imagesPerSec,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    // On a shared machine wall-clock figures understate the engine; CPU time does not.
    cpuSeconds: cpuSeconds(),
    epochsOverride: overrides.epochs ?? null, trainLimit: overrides.trainLimit ?? null, replicas: spec.train.replicas ?? 1,
  };
  // Kept beside the run so a later `bench:accuracy --reuse` can combine it without retraining.
  fs.writeFileSync(path.join(run.dir, 'bench-member.json'), JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result) + '\n');
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
