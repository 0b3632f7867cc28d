import { describe, expect, it } from 'vitest';
import { runOnWorkers, type WorkerReply, type WorkerTask } from '../../src/sweep/pool.js';
import { makeScenario } from '../report/fixtures.js';

const WORKER = new URL('./fixtures/echo-worker.mjs', import.meta.url);

function tasks(...keys: string[]): WorkerTask[] {
  return keys.map((key) => ({ key, scenario: makeScenario(['a']), backend: 'cpu', engine: 'fast', version: 'test' }));
}

describe('runOnWorkers', () => {
  it('every task is answered exactly once, known errors included, with at most `jobs` workers', async () => {
    const replies: WorkerReply[] = [];
    await runOnWorkers(tasks('a', 'b', 'bad', 'c', 'd'), { jobs: 2, workerUrl: WORKER, onResult: (reply) => replies.push(reply) }).done;
    expect(replies.map((reply) => reply.key).sort()).toEqual(['a', 'b', 'bad', 'c', 'd']);
    expect(replies.find((reply) => reply.key === 'bad')).toEqual({ key: 'bad', error: { code: 'train.nonFiniteLoss', message: 'loss is NaN' } });
    expect(replies.find((reply) => reply.key === 'a')).toEqual({ key: 'a', outcome: { strategy: 'a', seed: 1 } });
  });

  it('no tasks: done at once, no worker started', async () => {
    await expect(runOnWorkers([], { jobs: 4, workerUrl: WORKER, onResult: () => undefined }).done).resolves.toBeUndefined();
  });

  it('a crashing worker rejects the pool (a bug is never swallowed)', async () => {
    await expect(runOnWorkers(tasks('a', 'crash'), { jobs: 1, workerUrl: WORKER, onResult: () => undefined }).done).rejects.toThrow('boom');
  });

  it('a throw in onResult (say, a full disk) stops the pool with that error', async () => {
    const onResult = () => {
      throw new Error('disk full');
    };
    await expect(runOnWorkers(tasks('a', 'b'), { jobs: 1, workerUrl: WORKER, onResult }).done).rejects.toThrow('disk full');
  });

  it('stop() rejects with the given reason', async () => {
    const pool = runOnWorkers(tasks('a', 'b', 'c'), { jobs: 1, workerUrl: WORKER, onResult: () => undefined });
    pool.stop(new Error('interrupted'));
    await expect(pool.done).rejects.toThrow('interrupted');
  });
});
