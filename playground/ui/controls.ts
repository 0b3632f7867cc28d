/**
 * What the Run / Pause / Step / Reset buttons may do in each state of the page, and the
 * speed choices. Pure, so that the rules (no Run while the text has problems or no strategy
 * is ticked; Step from idle starts a paused run) are tested without a browser.
 */
export type PageState = 'loading' | 'idle' | 'running' | 'paused' | 'done' | 'failed';

export interface ControlState {
  run: { enabled: boolean; label: 'Run' | 'Resume' | 'Run again' };
  pause: boolean;
  step: boolean;
  reset: boolean;
  /** why Run is off, for its tooltip and the status line; '' when it is on */
  why: string;
}

export interface Readiness {
  /** the worker's last check found no problem in the editor's current text */
  valid: boolean;
  /** the last check is for the current text (an edit is not yet checked otherwise) */
  checked: boolean;
  /** at least one strategy is ticked */
  anyStrategy: boolean;
  /** the editor's text is not the one the current run was started with */
  edited?: boolean;
}

export function controlState(state: PageState, ready: Readiness): ControlState {
  if (state === 'loading') return { run: { enabled: false, label: 'Run' }, pause: false, step: false, reset: false, why: 'the simulator is loading' };
  let why = '';
  if (!ready.anyStrategy) why = 'tick at least one strategy';
  else if (ready.checked && !ready.valid) why = 'the scenario has problems (see the editor)';
  const startable = why === '';
  // an edit during a run offers to start again with the new text (Step and Resume go on with the old)
  const restart = ready.edited === true && startable;
  switch (state) {
    case 'running':
      return { run: { enabled: restart, label: restart ? 'Run again' : 'Run' }, pause: true, step: true, reset: true, why: '' };
    case 'paused':
      return { run: { enabled: true, label: restart ? 'Run again' : 'Resume' }, pause: false, step: true, reset: true, why: '' };
    case 'done':
    case 'failed':
      return { run: { enabled: startable, label: 'Run again' }, pause: false, step: startable, reset: true, why };
    default:
      return { run: { enabled: startable, label: 'Run' }, pause: false, step: startable, reset: false, why };
  }
}

export interface SpeedChoice {
  label: string;
  /** rounds per second of wall time; null = as fast as the machine goes */
  roundsPerSecond: number | null;
}

export const SPEEDS: readonly SpeedChoice[] = [
  { label: '1 round/s', roundsPerSecond: 1 },
  { label: '2 rounds/s', roundsPerSecond: 2 },
  { label: '5 rounds/s', roundsPerSecond: 5 },
  { label: '10 rounds/s', roundsPerSecond: 10 },
  { label: '30 rounds/s', roundsPerSecond: 30 },
  { label: 'as fast as it goes', roundsPerSecond: null },
];

/** The index of the default speed: full speed, so a run's time is the simulator's own. */
export const DEFAULT_SPEED = SPEEDS.length - 1;

/**
 * The strategies to run: the ticked ones in the scenario's order, or undefined for all of
 * them (the message then names none, as `dtrain simulate` without --strategy).
 */
export function strategiesToRun(names: readonly string[], ticked: ReadonlyMap<string, boolean>): string[] | undefined {
  const chosen = names.filter((name) => ticked.get(name) !== false);
  return chosen.length === names.length ? undefined : chosen;
}
