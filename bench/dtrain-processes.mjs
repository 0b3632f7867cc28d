/**
 * Contender `dtrain-2proc`: two `dtrain` engines, one thread each, in two processes at once,
 * each training the whole workload. It is what this machine's two cores give two independent
 * engines at that moment: no engine on two threads can do better, and on a shared machine it
 * is often well below 2× one thread. `dtrain-mt2` is read against it (bench/README.md).
 *
 * Each process (dtrain-process-child.mjs) builds its engine once; a timed repetition asks both
 * for the same number of rounds at once and counts the node-steps of both.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./dtrain-process-child.mjs', import.meta.url));

/** One child process: its messages in order (the first says it is ready), as promises. */
function startChild(nodes, localSteps) {
  const child = fork(CHILD, [String(nodes), String(localSteps)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const failed = new Promise((_, reject) => {
    child.on('exit', (code, signal) => reject(new Error(`dtrain-2proc child exited (${code ?? signal})`)));
  });
  failed.catch(() => undefined);
  const waiting = [];
  const next = () => Promise.race([new Promise((resolve) => waiting.push(resolve)), failed]);
  child.on('message', (message) => waiting.shift()?.(message));
  const ready = next();
  const ask = (message) => {
    const answer = next();
    child.send(message);
    return answer;
  };
  return { ask, ready, kill: () => child.kill() };
}

export async function makeDtrainProcessesContender(workload, localSteps) {
  const children = [0, 1].map(() => startChild(workload.tasks.length, localSteps));
  try {
    await Promise.all(children.map((c) => c.ready));
  } catch (error) {
    for (const c of children) c.kill();
    throw error;
  }
  const runRounds = async (rounds) => {
    const start = performance.now();
    await Promise.all(children.map((c) => c.ask({ rounds })));
    return performance.now() - start;
  };
  return {
    /** node-steps of one round: both engines' */
    copies: 2,
    runRounds,
    round: () => runRounds(1),
    params: () => {
      throw new Error('dtrain-2proc keeps its parameters in its processes');
    },
    dispose: () => {
      for (const c of children) c.kill();
    },
  };
}
