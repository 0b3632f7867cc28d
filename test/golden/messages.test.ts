import { describe, expect, it } from 'vitest';
import { checkAgainstGolden } from '../../src/golden/check.js';
import { describeReport, formatOutcome, locate, noteText } from '../../src/golden/messages.js';
import { DEFAULT_TOLERANCES } from '../../src/golden/tolerances.js';
import { editedReport, reportOf } from './helpers.js';

const OPTIONS = { tolerances: { ...DEFAULT_TOLERANCES }, anyBackend: false };

describe('golden check wording', () => {
  it('OK is one line naming the golden and what was checked', () => {
    const outcome = checkAgainstGolden(reportOf(), reportOf(), OPTIONS);
    expect(formatOutcome(outcome, 'g.json', describeReport(reportOf()))).toEqual({
      text: 'golden check OK: 376 values match g.json (s1s4, sync-sgd · 2 rounds · backend cpu)\n',
    });
  });

  it('a regression names the first difference with both values, then counts per field', () => {
    const run = editedReport((report) => {
      report.runs[0]!.rounds[1]!.nodes[1]!.batch = 12;
      report.runs[0]!.rounds[1]!.nodes[1]!.finishMs = 8200;
      report.runs[0]!.rounds[1]!.endMs = 8200;
      report.runs[1]!.rounds[0]!.nodes[0]!.finishMs = 5100;
    });
    const { text } = formatOutcome(checkAgainstGolden(run, reportOf(), OPTIONS), 'g.json', '');
    expect(text).toBe([
      'golden check FAILED: 4 of 376 values differ from g.json',
      'first difference: strategy s1s4, round 2, node b, field batch: run 12, golden 11 (Δ 1)',
      'differences by field:',
      '  batch          1  first at strategy s1s4, round 2, node b',
      '  finishMs       2  first at strategy s1s4, round 2, node b',
      '  endMs          1  first at strategy s1s4, round 2',
      '',
    ].join('\n'));
  });

  it('a golden of another seed or another scenario name says so, with both values', () => {
    // Arrange
    const golden = reportOf(undefined, { hash: 'a'.repeat(64) });
    const otherSeed = editedReport((report) => {
      report.scenario.seed = 8;
    }, { hash: 'b'.repeat(64) });
    const otherName = editedReport((report) => {
      report.scenario.name = 'straggler';
    }, { hash: 'b'.repeat(64) });
    const goldenSeed = golden.scenario.seed;

    // Act
    const seed = formatOutcome(checkAgainstGolden(otherSeed, golden, OPTIONS), 'g.json', '');
    const name = formatOutcome(checkAgainstGolden(otherName, golden, OPTIONS), 'g.json', '');

    // Assert
    expect(seed.text).toBe(`golden check FAILED: scenario changed since the golden was recorded (hash aaaaaaaaaaaa… in the golden, bbbbbbbbbbbb… now; seed ${String(goldenSeed)} in the golden, 8 now); values not compared\n`);
    expect(name.text).toBe(`golden check FAILED: the golden is of scenario ${golden.scenario.name}, this run of straggler (hash aaaaaaaaaaaa… in the golden, bbbbbbbbbbbb… now); values not compared\n`);
    expect(name.hint).toMatch(/--update/);
  });

  it('a scenario or backend mismatch says so, with a hint, not as a regression', () => {
    const scenario = formatOutcome(checkAgainstGolden(reportOf(undefined, { hash: 'b'.repeat(64) }), reportOf(undefined, { hash: 'a'.repeat(64) }), OPTIONS), 'g.json', '');
    expect(scenario.text).toBe('golden check FAILED: scenario changed since the golden was recorded (hash aaaaaaaaaaaa… in the golden, bbbbbbbbbbbb… now); values not compared\n');
    expect(scenario.hint).toMatch(/--update/);
    const onWasm = editedReport((report) => {
      for (const run of report.runs) run.backend = 'wasm';
    });
    const backend = formatOutcome(checkAgainstGolden(onWasm, reportOf(), OPTIONS), 'g.json', '');
    expect(backend.text).toBe('golden check FAILED: golden was recorded with backend cpu, this run used wasm; values not compared\n');
    expect(backend.hint).toBe('run with --backend cpu, or pass --any-backend to compare within the float tolerances');
  });

  it('locations and notes', () => {
    expect(locate({ strategy: 's1s4', round: null, node: null, field: 'finalAccuracy' })).toBe('strategy s1s4, summary, field finalAccuracy');
    expect(locate({ strategy: 's1s4', round: null, node: null, field: 'rounds' })).toBe('strategy s1s4, field rounds');
    expect(noteText({ kind: 'version', golden: '0.1.0', run: '0.2.0' })).toBe('golden was recorded with dtrain 0.1.0, this is dtrain 0.2.0');
  });

  it('strings from a shared golden or report are shown with control and bidi characters escaped', () => {
    const OSC_TITLE = '\u001b]0;pwned\u0007';
    const golden = editedReport((report) => {
      report.runs[0]!.strategy.name = `s1s4${OSC_TITLE}`;
      report.runs[0]!.backend = 'cpu\u001b[2J';
      report.runs[0]!.rounds[1]!.nodes[1]!.id = 'b\u202e';
    }, { version: '9.9.9\u001b[31m' });
    const run = editedReport((report) => {
      report.runs[0]!.strategy.name = `s1s4${OSC_TITLE}`;
      report.runs[0]!.backend = 'cpu\u001b[2J';
      report.runs[0]!.rounds[1]!.nodes[1]!.id = 'b\u202e';
      report.runs[0]!.rounds[1]!.nodes[1]!.dropReason = 'x\u001b[1A' as never;
    });
    const outcome = checkAgainstGolden(run, golden, OPTIONS);
    const { text } = formatOutcome(outcome, 'g\u001b[8m.json', describeReport(golden));
    const notes = outcome.notes.map(noteText).join('\n');
    const all = `${text}${notes}${describeReport(golden)}`;
    expect(all).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text).toContain('differ from g\\e[8m.json');
    expect(text).toContain('first difference: strategy s1s4\\e]0;pwned\\x07, round 2, node b\\u{202e}, field dropReason');
    expect(notes).toBe('golden was recorded with dtrain 9.9.9\\e[31m, this is dtrain 0.1.0');
    expect(describeReport(golden)).toBe('s1s4\\e]0;pwned\\x07, sync-sgd · 2 rounds · backend cpu\\e[2J/cpu');
  });
});
