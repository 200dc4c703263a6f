/** Running the built `digits` CLI against a temp tracking database filled through the store API. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/tracking/open';
import type { SqliteStore } from '../../../src/tracking/store';
import { epochs, finishedRun, spec, tempDir } from '../../tracking/fixtures';

const bin = path.join(__dirname, '..', '..', '..', 'bin', 'digits.js');

/** The test's environment without the colour switches (a CI that sets FORCE_COLOR would colour the output). */
export function plainEnv(): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = process.env;
  return rest;
}

/** Runs `digits ...args` as a user would (needs `npm run build`). */
export function digits(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...plainEnv(), ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface Filled {
  file: string;
  dir: string;
  ids: Record<string, string>; // 'lr=0.003 seed=2' -> id, plus 'rnn' and 'queued'
}

/**
 * A database with a 2 (lr) x 3 (seed) cnn-grid whose accuracy rises with lr and seed, one finished
 * rnn run with an artifact folder, and one queued run.
 */
export function filledDb(): Filled {
  const dir = tempDir('digits-cli-');
  const file = path.join(dir, 'digits.sqlite');
  const store: SqliteStore = openStore(file);
  const ids: Record<string, string> = {};
  for (const lr of [0.001, 0.003]) {
    for (const seed of [1, 2, 3]) {
      const name = `lr=${lr} seed=${seed}`;
      const s = spec((x) => { x.seed = seed; x.train.optimizer.learningRate = lr; });
      ids[name] = finishedRun(store, 'cnn-grid', name, s, 0.98 + lr + seed / 1000, 0.979 + lr + seed / 1000, 30 + seed);
      store.logEpochs(ids[name], epochs(3));
    }
  }
  ids.rnn = finishedRun(store, 'rnn-lstm', 'rnn-lstm', spec((x) => { x.model = { kind: 'rnn', cell: 'lstm', layers: 1, units: 128, bidirectional: false, dropout: 0 }; }), 0.97, 0.975, 90);
  const artifacts = path.join(dir, 'runs', ids.rnn);
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, 'model.json'), '{}');
  store.startRun(ids.rnn, store.getRun(ids.rnn)!.provenance!, artifacts);
  store.finishRun(ids.rnn, { summary: store.getRun(ids.rnn)!.summary!, validation: store.getRun(ids.rnn)!.validation!, test: store.getRun(ids.rnn)!.test! });
  ids.queued = store.createRun({ experiment: 'cnn-grid', name: 'pending', trialHash: 'q', spec: spec(), seed: 9 }).id;
  store.close();
  return { file, dir, ids };
}
