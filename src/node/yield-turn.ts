/**
 * Signals (Ctrl-C, SIGTERM) and messages from helper threads are handled between event-loop
 * turns: long synchronous work (a round, a merge's reading of every report) gives them one
 * whole turn now and then. One setImmediate is not always one: a round that began in a
 * helper's message callback (the poll phase) resumes in the same loop iteration's check phase,
 * without polling again, and the fast engine's second thread, started during that round, joined
 * a round later than it could (131,072 nodes, three local steps: round 2 on one thread, 18 s
 * instead of 12). The second setImmediate runs in the next iteration, after its poll.
 */
export function yieldTurn(): Promise<void> {
  return new Promise((done) => setImmediate(() => setImmediate(done)));
}
