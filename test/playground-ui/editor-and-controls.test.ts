import { describe, expect, it } from 'vitest';
import type { PlaygroundIssue } from '../../src/browser/protocol.js';
import { controlState, DEFAULT_SPEED, SPEEDS, strategiesToRun } from '../../playground/ui/controls.js';
import { diagnostics, issueRange, lineStarts } from '../../playground/ui/lint.js';

function issue(line: number, column: number, field: string, message: string): PlaygroundIssue {
  return { line, column, field, message, text: `scenario.yaml:${line}:${column}  ${field}: ${message}` };
}

describe('located issues as editor diagnostics', () => {
  const text = 'name: q\nrounds: -5\npipeline:\n  s1: { thresholdMs: abc, windowMs: 2s }\n';

  it('underlines the value at the line and column, with the field and message of dtrain validate', () => {
    expect(diagnostics(text, [issue(2, 9, 'rounds', 'a whole number ≥ 1, found -5')])).toEqual([
      { from: 16, to: 18, message: 'rounds: a whole number ≥ 1, found -5' },
    ]);
    const [flow] = diagnostics(text, [issue(4, 22, 'pipeline.s1.thresholdMs', 'a duration, found "abc" (a string)')]);
    expect(text.slice(flow!.from, flow!.to)).toBe('abc');
  });

  it('a whole-file issue has no field prefix; positions past the text are clamped into it', () => {
    expect(diagnostics(text, [issue(1, 1, '', 'a map, found a list')])[0]).toEqual({ from: 0, to: 5, message: 'a map, found a list' });
    const starts = lineStarts(text);
    expect(starts).toEqual([0, 8, 19, 29, 70]);
    // line 99 → the last (empty) line: one character is not available, so the range is empty at the end
    expect(issueRange(text, starts, 99, 1)).toEqual({ from: 70, to: 70 });
    expect(issueRange(text, starts, 2, 80)).toEqual({ from: 18, to: 18 + 1 });
    expect(issueRange(text, starts, 0, 0)).toEqual({ from: 0, to: 5 });
  });

  it('an empty value underlines to the end of its line', () => {
    const t = 'rounds:   \nseed: 1\n';
    expect(issueRange(t, lineStarts(t), 1, 8)).toEqual({ from: 7, to: 10 });
  });
});

describe('the controls', () => {
  const ok = { valid: true, checked: true, anyStrategy: true };

  it('nothing while the simulator loads', () => {
    expect(controlState('loading', ok)).toEqual({ run: { enabled: false, label: 'Run' }, pause: false, step: false, reset: false, why: 'the simulator is loading' });
  });

  it('idle: Run and Step when the text is valid and a strategy is ticked', () => {
    expect(controlState('idle', ok)).toEqual({ run: { enabled: true, label: 'Run' }, pause: false, step: true, reset: false, why: '' });
    expect(controlState('idle', { ...ok, valid: false })).toMatchObject({ run: { enabled: false }, step: false, why: 'the scenario has problems (see the editor)' });
    expect(controlState('idle', { ...ok, anyStrategy: false })).toMatchObject({ run: { enabled: false }, why: 'tick at least one strategy' });
    // an edit not yet checked does not block Run: the worker checks the text it runs anyway
    expect(controlState('idle', { valid: false, checked: false, anyStrategy: true }).run.enabled).toBe(true);
  });

  it('running: Pause, Step and Reset; paused: Resume; finished: Run again and Reset', () => {
    expect(controlState('running', ok)).toEqual({ run: { enabled: false, label: 'Run' }, pause: true, step: true, reset: true, why: '' });
    expect(controlState('paused', ok)).toEqual({ run: { enabled: true, label: 'Resume' }, pause: false, step: true, reset: true, why: '' });
    expect(controlState('done', ok)).toEqual({ run: { enabled: true, label: 'Run again' }, pause: false, step: true, reset: true, why: '' });
    expect(controlState('failed', { ...ok, valid: false })).toMatchObject({ run: { enabled: false, label: 'Run again' }, reset: true });
  });

  it('an edit during a run offers to run again with the new text; Step and Resume go on with the old', () => {
    const edited = { ...ok, edited: true };
    expect(controlState('running', edited)).toEqual({ run: { enabled: true, label: 'Run again' }, pause: true, step: true, reset: true, why: '' });
    expect(controlState('paused', edited)).toEqual({ run: { enabled: true, label: 'Run again' }, pause: false, step: true, reset: true, why: '' });
    // an edit with problems cannot be run: the paused run can still be resumed
    expect(controlState('paused', { ...edited, valid: false })).toMatchObject({ run: { enabled: true, label: 'Resume' } });
    expect(controlState('running', { ...edited, valid: false })).toMatchObject({ run: { enabled: false, label: 'Run' } });
  });

  it('speeds from 1 round/s to full speed, full speed by default', () => {
    expect(SPEEDS.map((s) => s.roundsPerSecond)).toEqual([1, 2, 5, 10, 30, null]);
    expect(SPEEDS[DEFAULT_SPEED]!.roundsPerSecond).toBeNull();
  });

  it('runs all strategies unless some are unticked, then the ticked ones in the scenario order', () => {
    const names = ['s1s4', 'sync-sgd', 'fedavg'];
    expect(strategiesToRun(names, new Map())).toBeUndefined();
    expect(strategiesToRun(names, new Map([['s1s4', true]]))).toBeUndefined();
    expect(strategiesToRun(names, new Map([['s1s4', false]]))).toEqual(['sync-sgd', 'fedavg']);
    expect(strategiesToRun(names, new Map([['s1s4', false], ['sync-sgd', false], ['fedavg', false]]))).toEqual([]);
  });
});
