import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../../src/engine';
import { applyTemperature } from '../../src/train/calibrate';
import { startServer } from '../../src/web/server';
import { folderCatalog } from '../../src/web/runs';
import { digitImage, mnistSample, saveTinyRun } from './fixtures';

type Started = Awaited<ReturnType<typeof startServer>>;
const bin = path.join(__dirname, '..', '..', 'bin', 'digits.js');

/** An ensemble run folder over `members` (run ids, or 'inline:<run id>' for a member trained inside it). */
function ensembleRun(runsDir: string, id: string, members: string[], combine: 'average' | 'weighted' | 'vote', weights?: number[]): void {
  const dir = path.join(runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  const described = members.map((m, i) => {
    const inline = m.startsWith('inline:');
    if (inline) fs.cpSync(path.join(runsDir, m.slice(7), 'model'), path.join(dir, 'members', String(i), 'model'), { recursive: true });
    return { kind: inline ? 'spec' : 'run', label: `member ${i}`, runId: inline ? null : m, weight: weights?.[i] ?? 1 / members.length, validationAccuracy: 0.9 };
  });
  fs.writeFileSync(path.join(dir, 'members.json'), JSON.stringify(described));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ seed: 1, model: { kind: 'ensemble', combine, members: [] } }));
  fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify({ name: `ensemble ${id}`, status: 'finished', validation: { accuracy: 0.5 }, test: { accuracy: 0.5 } }));
}

async function predict(url: string, image: Buffer, run: string) {
  const res = await fetch(`${url}/api/predict?run=${run}`, { method: 'POST', body: new Uint8Array(image), headers: { 'content-type': 'image/png' } });
  return { status: res.status, json: await res.json() };
}

describe('web/run-model', () => {
  let runsDir: string;
  let server: Started;
  let image: Buffer;

  before(async function () {
    this.timeout(120_000);
    await selectBackend();
    runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-run-model-'));
    await saveTinyRun(runsDir, 'good', 'good');
    await saveTinyRun(runsDir, 'weak', 'weak');
    ensembleRun(runsDir, 'ens-avg', ['good', 'weak'], 'average');
    ensembleRun(runsDir, 'ens-inline', ['inline:good', 'weak'], 'weighted', [0.75, 0.25]);
    fs.cpSync(path.join(runsDir, 'good'), path.join(runsDir, 'good-cal'), { recursive: true });
    fs.writeFileSync(path.join(runsDir, 'good-cal', 'calibration.json'), JSON.stringify({ method: 'temperature', temperature: 2, unsureBelow: 0.999 }));
    image = await digitImage(mnistSample('test', 1), 0, { scale: 4, invert: true });
    server = await startServer({ catalog: folderCatalog(runsDir), host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    fs.rmSync(runsDir, { recursive: true, force: true });
  });

  describe('loadRunModel through the server', () => {
    it('predicts with an ensemble run by combining its members (average, and weighted with an inline member)', async () => {
      const good = (await predict(server.url, image, 'good')).json.probabilities as number[];
      const weak = (await predict(server.url, image, 'weak')).json.probabilities as number[];
      const avg = await predict(server.url, image, 'ens-avg');
      assert.equal(avg.status, 200, JSON.stringify(avg.json));
      avg.json.probabilities.forEach((p: number, d: number) => assert.ok(Math.abs(p - (good[d] + weak[d]) / 2) < 1e-5));
      const weighted = await predict(server.url, image, 'ens-inline');
      weighted.json.probabilities.forEach((p: number, d: number) => assert.ok(Math.abs(p - (0.75 * good[d] + 0.25 * weak[d])) < 1e-5));
      const runs = (await (await fetch(`${server.url}/api/runs`)).json()).runs.map((r: { id: string }) => r.id);
      assert.ok(runs.includes('ens-avg') && runs.includes('ens-inline'), 'the run switcher lists ensembles');
    });

    it('applies the run\'s temperature and says "unsure" below its threshold', async () => {
      const raw = (await predict(server.url, image, 'good')).json;
      const cal = (await predict(server.url, image, 'good-cal')).json;
      const expected = applyTemperature(Float32Array.from(raw.probabilities), 2);
      // The API rounds to 1e-6, so tiny probabilities lose their ratios: compare where raw p > 1e-3.
      cal.probabilities.forEach((p: number, d: number) => raw.probabilities[d] > 1e-3 && assert.ok(Math.abs(p - expected[d]) < 1e-3, `digit ${d}: ${p} vs ${expected[d]}`));
      assert.ok(cal.confidence < raw.confidence, 'T = 2 softens');
      assert.equal(raw.calibrated, false);
      assert.equal(raw.unsure, false);
      assert.equal(cal.calibrated, true);
      assert.equal(cal.unsure, true);
      assert.equal(cal.confidence, cal.probabilities[cal.digit]);
    });

    it('answers 404 for an ensemble whose member run is gone', async () => {
      ensembleRun(runsDir, 'ens-broken', ['good', 'gone'], 'average');
      const r = await predict(server.url, image, 'ens-broken');
      assert.equal(r.status, 404);
      assert.match(r.json.message, /member 1 is run gone, whose model is gone/);
    });
    it('answers 404 naming the damage for an ensemble whose config.json or members.json is damaged, rather than guessing', async () => {
      ensembleRun(runsDir, 'ens-no-combine', ['good', 'weak'], 'average');
      fs.writeFileSync(path.join(runsDir, 'ens-no-combine', 'config.json'), JSON.stringify({ seed: 1, model: { kind: 'ensemble' } }));
      const noCombine = await predict(server.url, image, 'ens-no-combine');
      assert.equal(noCombine.status, 404, JSON.stringify(noCombine.json));
      assert.match(noCombine.json.message, /config\.json names no combine rule .*the ensemble run is damaged, re-run it/);
      ensembleRun(runsDir, 'ens-cut', ['good', 'weak'], 'vote');
      fs.writeFileSync(path.join(runsDir, 'ens-cut', 'config.json'), '{"seed": 1, "mod');
      const cut = await predict(server.url, image, 'ens-cut');
      assert.equal(cut.status, 404, JSON.stringify(cut.json));
      assert.match(cut.json.message, /config\.json cannot be read/);
      ensembleRun(runsDir, 'ens-no-members', ['good', 'weak'], 'average');
      fs.writeFileSync(path.join(runsDir, 'ens-no-members', 'members.json'), '[]');
      assert.match((await predict(server.url, image, 'ens-no-members')).json.message, /members\.json does not list members/);
    });
  });

  describe('digits predict --run <ensemble>', () => {
    it('prints the ensemble\'s answer and, in --json, unsure and calibrated', () => {
      const file = path.join(runsDir, 'digit.png');
      fs.writeFileSync(file, image);
      const r = spawnSync(process.execPath, [bin, 'predict', file, '--run', 'ens-avg', '--runs-dir', runsDir, '--json'], { encoding: 'utf8', env: { ...process.env, DIGITS_DB: '' } });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.run.id, 'ens-avg');
      assert.equal(out.predictions[0].probabilities.length, 10);
      assert.equal(typeof out.predictions[0].unsure, 'boolean');
      assert.equal(out.predictions[0].calibrated, false);
    });
  });
});
