/**
 * A stored record is taken only as the complete record of the grid run its file is named
 * after, with figures a run can have; otherwise parseRecord says what is wrong (a merge names
 * the file with it, a resume runs the run again).
 */
import { describe, expect, it } from 'vitest';
import { parseRecord, recordText, studyRecord, type StudyRecord } from '../../src/study/record.js';

const RUN = { key: 'k'.repeat(64), strategy: 'lb-bsp', seed: 1 };
const RECORD = studyRecord(RUN, {
  summary: { finalAccuracy: 0.8, bestAccuracy: 0.9, simulatedMs: 300, samplesTrained: 96, timeToTargetMs: null },
  rounds: {
    round: [1, 2], endMs: [150, 300], accuracy: [0.9, 0.8], loss: [0.7, 0.6], globalBatch: [48, 48], effectiveParticipants: [2, 1.9],
    skipped: [false, false], samples: [48, 96], minWeightShare: [1, 0.8],
  },
});

/** The record's text with `edit` applied to its data. */
function edited(edit: (data: StudyRecord & Record<string, unknown>) => void): string {
  const data = JSON.parse(recordText(RECORD)) as StudyRecord & Record<string, unknown>;
  edit(data);
  return JSON.stringify(data);
}

describe('parseRecord', () => {
  it('the record of the run, as written, reads back whole', () => {
    expect(parseRecord(recordText(RECORD), RUN)).toEqual({ record: RECORD });
  });

  it('names what is wrong: not JSON, another run, another strategy or seed', () => {
    const text = recordText(RECORD);
    expect(parseRecord(text.slice(0, 200), RUN)).toEqual({ problem: 'is not complete JSON (cut short or edited)' });
    expect(parseRecord('[]', RUN)).toEqual({ problem: 'is not a dtrain study record (studyRecord 1)' });
    expect(parseRecord(text, { ...RUN, key: 'x'.repeat(64) })).toEqual({ problem: 'key: expected the key of the run the file is named after, found another' });
    expect(parseRecord(text, { ...RUN, strategy: 's1s4' })).toEqual({ problem: 'strategy: expected "s1s4" (the run the file is named after), found "lb-bsp"' });
    expect(parseRecord(edited((d) => { d.strategy = '\u001b[2J'; }), RUN)).toEqual({ problem: 'strategy: expected "lb-bsp" (the run the file is named after), found "\\u001b[2J"' });
    expect(parseRecord(text, { ...RUN, seed: 2 })).toEqual({ problem: 'seed: expected 2 (the run the file is named after), found 1' });
  });

  it('figures no run can have: an accuracy outside [0, 1], a time or count below 0 or above 1e300, a round column of another length', () => {
    const cases: Array<[(d: StudyRecord) => void, string]> = [
      [(d) => { (d.summary as { finalAccuracy: unknown }).finalAccuracy = 5; }, 'summary.finalAccuracy: expected an accuracy in [0, 1] or null, found 5'],
      [(d) => { (d.summary as { bestAccuracy: unknown }).bestAccuracy = -0.1; }, 'summary.bestAccuracy: expected an accuracy in [0, 1] or null, found -0.1'],
      [(d) => { (d.summary as { samplesTrained: unknown }).samplesTrained = -4; }, 'summary.samplesTrained: expected a number in [0, 1e300] or null, found -4'],
      [(d) => { (d.summary as { simulatedMs: unknown }).simulatedMs = '300'; }, 'summary.simulatedMs: expected a number in [0, 1e300] or null, found "300"'],
      [(d) => { delete (d.summary as { timeToTargetMs?: unknown }).timeToTargetMs; }, 'summary.timeToTargetMs: expected a number in [0, 1e300] or null, found nothing'],
      [(d) => { d.rounds.accuracy[1] = 1.5; }, 'rounds.accuracy[1]: expected an accuracy in [0, 1] or null, found 1.5'],
      [(d) => { d.rounds.endMs[0] = -150; }, 'rounds.endMs[0]: expected a number in [0, 1e300] or null, found -150'],
      [(d) => { (d.summary as { simulatedMs: unknown }).simulatedMs = 1e308; }, 'summary.simulatedMs: expected a number in [0, 1e300] or null, found 1e+308'],
      [(d) => { d.rounds.globalBatch[0] = 1e301; }, 'rounds.globalBatch[0]: expected a number in [0, 1e300] or null, found 1e+301'],
      [(d) => { d.rounds.samples.pop(); }, 'rounds.samples: expected 2 values (one per round), found 1'],
      [(d) => { (d.rounds.skipped as unknown[])[0] = 0; }, 'rounds.skipped[0]: expected true or false, found 0'],
    ];
    for (const [edit, problem] of cases) expect(parseRecord(edited(edit), RUN), problem).toEqual({ problem });
    // the loss may be any number (or null): no range is assumed for it
    expect(parseRecord(edited((d) => { d.rounds.loss[0] = -2; }), RUN)).toHaveProperty('record');
  });
});
