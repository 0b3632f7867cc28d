/**
 * One process of contender `dtrain-2proc` (dtrain-processes.mjs): the `dtrain` contender on
 * the workload of N nodes and K local steps (argv), running the rounds its parent asks for.
 * It says when it is ready, then answers each request once its rounds are done.
 */
import { initBackend } from '../dist/train/backend.js';
import { makeDtrainContender } from './dtrain.mjs';
import { makeWorkload } from './workload.mjs';

const [nodes, localSteps] = process.argv.slice(2).map(Number);
await initBackend('wasm');
const contender = await makeDtrainContender(makeWorkload(nodes, localSteps), localSteps);
process.on('message', async ({ rounds }) => {
  for (let r = 0; r < rounds; r++) await contender.round();
  process.send({ done: true });
});
process.send({ ready: true });
process.on('disconnect', () => process.exit(0));
