import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files';
import { UserError } from '../errors';

/**
 * Saves a layers model as `model.json` + `weights.bin` in `dir`: the TF.js layers format that
 * tf.loadLayersModel reads in Node and in a browser (fetched over HTTP).
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsManifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      const modelJson = {
        format: 'layers-model',
        generatedBy: `digit-lab (tfjs ${tf.version.tfjs})`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest,
      };
      const weights = artifacts.weightData ? Buffer.from(tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[])) : Buffer.alloc(0);
      writeFileAtomic(path.join(dir, 'weights.bin'), weights);
      writeFileAtomic(path.join(dir, 'model.json'), Buffer.from(JSON.stringify(modelJson)));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Loads a model written by saveModel (or any single-shard TF.js layers model) from `dir`. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = path.join(dir, 'model.json');
  if (!fs.existsSync(jsonPath)) {
    throw new UserError(`${jsonPath}: no model here (model.json is missing); train one with \`digits train\` or name another run`);
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (err) {
    throw new UserError(`${jsonPath}: not valid JSON (${(err as Error).message}); the model files are damaged, retrain or restore them`);
  }
  const damaged = (what: string) => new UserError(`${dir}: ${what}; the model files are damaged, retrain the run or restore them`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  try {
    for (const group of modelJson.weightsManifest ?? []) {
      specs.push(...group.weights);
      for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
    }
  } catch (err) {
    throw damaged(`a weights file cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const expected = specs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (BYTES_PER[w.dtype] ?? 4), 0);
  const actual = buffers.reduce((sum, b) => sum + b.length, 0);
  if (actual !== expected) throw damaged(`the weights hold ${actual} bytes where model.json describes ${expected}`);
  const weightData = new Uint8Array(Buffer.concat(buffers)).buffer;
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }));
  } catch (err) {
    throw damaged(`TF.js cannot build it (${(err as Error).message.split('\n')[0]})`);
  }
  // Overwritten bytes of the right length load fine but hold NaN or infinities: refuse those too.
  const finite = tf.tidy(() => model.getWeights().every((w) => w.dtype !== 'float32' || tf.all(tf.isFinite(w)).dataSync()[0] === 1));
  if (!finite) {
    model.dispose();
    throw damaged('the weights hold NaN or infinite values');
  }
  return model;
}

const BYTES_PER: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

