import assert from 'node:assert/strict';
import { expandTaskString, isLive, parseSqueueJson } from '../../../src/runner/slurm/squeue';

/** The fields digit-lab reads, as Slurm 22.05.8's squeue --json prints them (trimmed). */
const SQUEUE_2205 = JSON.stringify({
  meta: { plugin: { type: 'openapi/v0.0.38' }, Slurm: { version: { major: 22, micro: 8, minor: 5 }, release: '22.05.8' } },
  errors: [],
  jobs: [
    { job_id: 2, array_job_id: 1, array_task_id: 0, array_task_string: '', job_state: 'COMPLETED', state_reason: 'None', restart_cnt: 0, nodes: 'n1' },
    { job_id: 3, array_job_id: 1, array_task_id: 1, array_task_string: '', job_state: 'RUNNING', state_reason: 'None', restart_cnt: 1, nodes: 'n2' },
    { job_id: 1, array_job_id: 1, array_task_id: null, array_task_string: '2-4,6%2', job_state: 'PENDING', state_reason: 'JobArrayTaskLimit', restart_cnt: 0, nodes: '' },
    { job_id: 9, array_job_id: 0, array_task_id: null, array_task_string: '', job_state: 'RUNNING', state_reason: 'None', restart_cnt: 0, nodes: 'n1' },
  ],
});

describe('runner/slurm/squeue', () => {
  describe('parseSqueueJson', () => {
    it('gives one state per array task, expanding a pending record, leaving out non-array jobs', () => {
      const tasks = parseSqueueJson(SQUEUE_2205);
      assert.deepEqual(tasks.map((t) => `${t.key} ${t.state} ${t.restarts}`), [
        '1_0 COMPLETED 0', '1_1 RUNNING 1', '1_2 PENDING 0', '1_3 PENDING 0', '1_4 PENDING 0', '1_6 PENDING 0',
      ]);
      assert.equal(tasks[1].node, 'n2');
      assert.equal(tasks[2].reason, 'JobArrayTaskLimit');
    });
    it('treats NO_VAL as no single index', () => {
      const text = JSON.stringify({ jobs: [{ job_id: 5, array_job_id: 5, array_task_id: 4294967294, array_task_string: '0-1', job_state: 'PENDING' }] });
      assert.deepEqual(parseSqueueJson(text).map((t) => t.key), ['5_0', '5_1']);
    });
  });
  describe('expandTaskString', () => {
    it('reads ranges, steps and a %limit', () => assert.deepEqual(expandTaskString('0-2,5,7-11:2%3'), [0, 1, 2, 5, 7, 9, 11]));
  });
  describe('isLive', () => {
    it('knows queued and running states from ended ones', () => {
      assert.ok(isLive('PENDING') && isLive('RUNNING') && isLive('REQUEUED') && isLive('COMPLETING'));
      assert.ok(!isLive('COMPLETED') && !isLive('CANCELLED') && !isLive('TIMEOUT') && !isLive('NODE_FAIL'));
    });
  });
});
