/**
 * One process of contender `dtrain-2proc` (dtrain-processes.mjs): the `dtrain` contender on
 * the workload of N nodes and K local steps (argv), running the rounds its parent asks for.
 */
import { initBackend } from '../dist/train/backend.js';
import { makeDtrainContender } from './dtrain.mjs';
import { makeWorkload } from './workload.mjs';

const [nodes, localSteps] = process.argv.slice(2).map(Number);
await initBackend('wasm');
const contender = await makeDtrainContender(makeWorkload(nodes, localSteps), localSteps);
process.on('message', async (message) => {
  if (message.kind === 'rounds') for (let r = 0; r < message.rounds; r++) await contender.round();
  process.send({ done: true });
});
process.on('disconnect', () => process.exit(0));
