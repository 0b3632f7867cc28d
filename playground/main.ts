/**
 * The playground page: wires the editor, the controls and the views to the simulator worker
 * (src/browser/protocol.ts). State lives here; what to show is computed by the pure modules
 * in ui/ and painted at most once per animation frame, so a fast run (a round per frame)
 * never queues up work on the UI thread. Every user-given string reaches the DOM as text.
 */
import type {
  BundledScenario, FromWorker, JsonRound, PlaygroundIssue, RunMessage, StateMessage, ToWorker,
} from '../src/browser/protocol.js';
import { linkTooLong } from '../src/browser/protocol.js';
import { MAX_SHOWN_ISSUES } from '../src/errors.js';
import { controlState, DEFAULT_SPEED, SPEEDS, strategiesToRun, type PageState } from './ui/controls.js';
import { byId, el, measureCanvases, pointerIn, replaceChildren } from './ui/dom.js';
import { drawHeatmap, drawLineChart, drawTimeline, strategyColour, type HeatPaint } from './ui/draw.js';
import { createEditor, type ScenarioEditor } from './ui/editor.js';
import { duration, fixed, percent } from './ui/format.js';
import {
  cellAt, cellText, heatColour, heatDomain, HEAT_TITLES, heatRows, representative, scaleText, type HeatField, type HeatRow,
} from './ui/heatmap.js';
import {
  addRound, finishedRounds, followSelection, NO_SELECTION, selectedRound, startRun, type RunModel, type Selection,
} from './ui/model.js';
import { nearestPoint, progressSeries, scoreboard, type ProgressSeries } from './ui/progress.js';
import type { Linear } from './ui/scale.js';
import { readScenarioHash, scenarioHash } from './ui/share.js';
import { TABLE_COLUMNS, tableRows, type TableRow } from './ui/table.js';
import { kindsPresent, nodeAtY, PHASE_COLOURS, PHASE_LABELS } from './ui/timeline.js';

/** The worker's script, next to this one in the build. */
const WORKER_URL = new URL('./worker.js', import.meta.url);
const VALIDATE_DELAY_MS = 300;
/** Past this many characters some mail and chat programs cut a link. */
const LONG_LINK = 8000;
const HASH_DELAY_MS = 500;
const HEAT_FIELDS: readonly HeatField[] = ['efficiency', 'batch', 'weight'];
const EXPLAIN_HINT = 'Click a node in a heat map, the timeline or the table to see why it got its batch, threads and weight in that round.';

// ---------------------------------------------------------------------------------------------
// state

let pageState: PageState = 'loading';
let bundled: BundledScenario[] = [];
let model: RunModel | null = null;
let selection: Selection = NO_SELECTION;
let heatRowsOfRun: HeatRow[] = [];
/** per strategy and field: the canvas and its last layout (for clicks) */
interface HeatCanvas extends HeatPaint { scale: HTMLElement }
let heatCanvases: Array<Map<HeatField, HeatCanvas>> = [];
let dirty = true;

let validateId = 0;
let validatedText: string | null = null;
let validIssues: PlaygroundIssue[] = [];
let validateTimer: ReturnType<typeof setTimeout> | undefined;
let hashTimer: ReturnType<typeof setTimeout> | undefined;

/** the strategies of the last valid text, from the worker (none yet: a run runs all of them) */
let strategyNames: string[] = [];
const ticked = new Map<string, boolean>();
let pendingStep = false;
/** Run (false) or Step (true) clicked before the text's strategies were known: it goes when they are */
let runAfterCheck: boolean | null = null;
/** the worker began the run last asked for (a `start` came): a failure then stopped it, else it never ran */
let startedThisRun = false;
/** the run's target accuracy and local steps, from the text it ran (the scoreboard's "to target" and samples) */
let runTarget: number | null = null;
let runLocalSteps = 1;
let lastRun: RunMessage | null = null;
/** the text the large-scenario confirmation is shown for, while it is shown */
let confirming: string | null = null;
let explainId = 0;
let downloadUrl: string | null = null;

// ---------------------------------------------------------------------------------------------
// the worker

const worker = new Worker(WORKER_URL, { type: 'module' });
function send(message: ToWorker): void {
  worker.postMessage(message);
}
worker.addEventListener('error', (event) => {
  notice('error', `The simulator stopped: ${event.message || 'its script failed to load'}. Reload the page to start it again.`);
  pageState = 'loading';
  markDirty();
});
worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onWorkerMessage(event.data));

function onWorkerMessage(message: FromWorker): void {
  switch (message.type) {
    case 'ready':
      bundled = message.scenarios;
      fillPicker();
      byId('status').textContent = `Ready: dtrain ${message.version}, TensorFlow.js ${message.tfjs} (${message.backend} backend), in this browser.`;
      pageState = 'idle';
      if (editor.text() === '' && bundled[0] !== undefined) editor.setText(bundled[0].yaml);
      else scheduleValidate(0);
      break;
    case 'issues':
      if (message.requestId === -1) {
        // the check of the text a run was asked with: with problems, the run was refused
        showIssues(message.issues);
        editor.setIssues(lastRun?.yaml ?? '', message.issues);
        if (message.issues.length > 0) {
          notice('error', `Not run: the scenario has ${message.issues.length} problem${message.issues.length === 1 ? '' : 's'} (marked in the editor).`);
        }
      } else if (message.requestId === validateId) {
        validIssues = message.issues;
        showIssues(message.issues);
        if (validatedText !== null) editor.setIssues(validatedText, message.issues);
        // the worker's parse names the strategies; while the text has problems the last good list stays
        if (message.scenario !== undefined) showStrategies(message.scenario.strategies);
        if (runAfterCheck !== null) run(runAfterCheck);
      }
      break;
    case 'estimate':
      byId('estimate').textContent = message.needsConfirm ? '' : `Before this run: ${message.text}.`;
      if (message.needsConfirm) askToConfirm(message.text);
      break;
    case 'start':
      startedThisRun = true;
      runSerial += 1;
      runTarget = message.targetAccuracy;
      runLocalSteps = message.localSteps;
      model = startRun(message);
      selection = NO_SELECTION;
      heatRowsOfRun = heatRows(model.nodes);
      buildHeatPanels(model);
      clearDownload();
      clearNotice();
      byId('explain-title').textContent = 'Explain';
      byId('explain').textContent = EXPLAIN_HINT;
      if (pendingStep) {
        pendingStep = false;
        send({ type: 'step' });
      }
      break;
    case 'round':
      if (model !== null && addRound(model, message)) {
        selection = followSelection(model, selection);
      }
      break;
    case 'done':
      offerDownload(message.json, message.fileName);
      break;
    case 'failed':
      notice('error', `${startedThisRun ? 'The run stopped' : 'Not run'}: ${message.message}`);
      if (message.json !== undefined) offerDownload(message.json, message.fileName ?? 'report.json');
      break;
    case 'state':
      onState(message);
      break;
    case 'explain':
      if (message.requestId === explainId) byId('explain').textContent = message.error === undefined ? message.text : `Cannot explain this: ${message.error}`;
      break;
    case 'error':
      notice('error', `The simulator hit an internal error: ${message.message}`);
      break;
    default:
      break;
  }
  markDirty();
}

function onState(message: StateMessage): void {
  pageState = message.state;
  if (message.state === 'idle') {
    model = null;
    selection = NO_SELECTION;
    buildHeatPanels(null);
    byId('explain-title').textContent = 'Explain';
    byId('explain').textContent = EXPLAIN_HINT;
  }
}

// ---------------------------------------------------------------------------------------------
// the editor, the picker, validation and the link

const editor: ScenarioEditor = createEditor(byId('editor'), '', onEdit);

function onEdit(): void {
  // a confirmation is for the text it estimated: an edit withdraws it (Run asks again)
  if (confirming !== null && editor.text() !== confirming) {
    confirming = null;
    pendingStep = false;
    clearNotice();
  }
  syncPicker();
  scheduleValidate(VALIDATE_DELAY_MS);
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => void writeHash(), HASH_DELAY_MS);
  markDirty();
}

function scheduleValidate(delayMs: number): void {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => {
    if (pageState === 'loading') return;
    validateId += 1;
    validatedText = editor.text();
    send({ type: 'validate', requestId: validateId, yaml: validatedText });
  }, delayMs);
}

function fillPicker(): void {
  const picker = byId<HTMLSelectElement>('picker');
  replaceChildren(picker, el('option', { value: '' }, '— pick a bundled scenario —'), ...bundled.map((s) => el('option', { value: s.name }, s.name)));
  picker.disabled = false;
  syncPicker();
}

/** The picker names the bundled scenario the editor holds unchanged, if any. */
function syncPicker(): void {
  const text = editor.text();
  const match = bundled.find((s) => s.yaml === text);
  byId<HTMLSelectElement>('picker').value = match?.name ?? '';
  byId('picker-description').textContent = match?.description ?? '';
}

byId<HTMLSelectElement>('picker').addEventListener('change', (event) => {
  const name = (event.target as HTMLSelectElement).value;
  const scenario = bundled.find((s) => s.name === name);
  if (scenario === undefined) return;
  // another scenario starts with all its strategies ticked (unticks are for the text they were made on)
  ticked.clear();
  for (const input of byId('strategies').querySelectorAll('input')) input.checked = true;
  editor.setText(scenario.yaml);
});

/** The "compare" checkboxes, for the strategies the worker's check of the text found. */
function showStrategies(names: readonly string[]): void {
  if (names.length === strategyNames.length && names.every((name, i) => name === strategyNames[i])) return;
  strategyNames = [...names];
  const box = byId('strategies');
  replaceChildren(box, el('legend', {}, 'Compare strategies'), ...names.map((name, index) => {
    const input = el('input', { type: 'checkbox', value: name });
    input.checked = ticked.get(name) !== false;
    input.addEventListener('change', () => {
      ticked.set(name, input.checked);
      markDirty();
    });
    return el('label', { class: 'strategy' }, input, swatch(strategyColour(index)), name);
  }));
}

function swatch(colour: string): HTMLElement {
  const span = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  span.style.background = colour;
  return span;
}

/** Writes the text's hash into the address bar and returns the share link (which may be too long to use). */
async function writeHash(): Promise<string> {
  const hash = await scenarioHash(editor.text());
  const base = location.href.split('#', 1)[0]!;
  // a link no browser opens is not written (and an older text's hash is not left in its place)
  history.replaceState(null, '', linkTooLong(base.length + hash.length) === null ? hash : base);
  return base + hash;
}

byId('copy-link').addEventListener('click', async () => {
  clearTimeout(hashTimer);
  const link = await writeHash();
  const note = byId('share-note');
  const tooLong = linkTooLong(link.length);
  if (tooLong !== null) {
    note.textContent = `Not copied: ${tooLong}. Send the YAML file instead (it opens with dtrain playground FILE, or paste it into the editor).`;
    return;
  }
  try {
    await navigator.clipboard.writeText(link);
    note.textContent = `Link copied (${link.length.toLocaleString('en-US')} characters): it opens this scenario as it is now.${
      link.length > LONG_LINK ? ' A link this long may be cut by mail or chat programs: send the YAML file instead if it does not open.' : ''}`;
  } catch {
    // no clipboard (permissions, an insecure origin): show the link to copy by hand
    const input = el('input', { type: 'text', readonly: true, value: link, class: 'link', 'aria-label': 'link to this scenario' });
    replaceChildren(note, 'Copy this link: ', input);
    input.select();
  }
});

async function loadFromHash(): Promise<boolean> {
  const found = await readScenarioHash(location.hash);
  if (found.kind === 'scenario') {
    if (found.text !== editor.text()) editor.setText(found.text);
    return true;
  }
  if (found.kind === 'broken') notice('error', `This link's scenario could not be opened: ${found.message}. Showing a bundled scenario instead.`);
  return false;
}

window.addEventListener('hashchange', () => void loadFromHash());

function showIssues(issues: readonly PlaygroundIssue[]): void {
  const box = byId('issues');
  if (issues.length === 0) {
    replaceChildren(box, el('p', { class: 'ok' }, 'The scenario is valid.'));
    return;
  }
  // the first ones, as dtrain validate lists them; the editor marks every one
  const items = issues.slice(0, MAX_SHOWN_ISSUES).map((issue) => {
    const button = el('button', { type: 'button', class: 'issue' }, issue.text);
    button.addEventListener('click', () => editor.focusAt(issue.line, issue.column));
    return el('li', {}, button);
  });
  const more = issues.length - items.length;
  replaceChildren(box, el('p', { class: 'bad' }, `${issues.length} problem${issues.length === 1 ? '' : 's'} found (as dtrain validate prints them):`), el('ul', {}, ...items),
    more > 0 ? el('p', { class: 'muted' }, `… and ${more} more, marked in the editor`) : null);
}

// ---------------------------------------------------------------------------------------------
// controls

const speed = byId<HTMLSelectElement>('speed');
replaceChildren(speed, ...SPEEDS.map((choice, index) => el('option', { value: String(index) }, choice.label)));
speed.value = String(DEFAULT_SPEED);
speed.addEventListener('change', () => sendSpeed());
function sendSpeed(): void {
  send({ type: 'speed', roundsPerSecond: SPEEDS[Number(speed.value)]?.roundsPerSecond ?? null });
}

function startRunMessage(paused: boolean): RunMessage {
  const strategies = strategiesToRun(strategyNames, ticked);
  return { type: 'run', yaml: editor.text(), ...(strategies === undefined ? {} : { strategies }), ...(paused ? { paused: true } : {}) };
}

function run(paused: boolean): void {
  clearNotice();
  if (validatedText !== editor.text() && strategiesToRun(strategyNames, ticked) !== undefined) {
    // some are unticked, and the names are the last checked text's: the worker's check of this
    // text names them first (an edit to `compare` may have changed them), then the run goes
    runAfterCheck = paused;
    scheduleValidate(0);
    return;
  }
  runAfterCheck = null;
  sendSpeed();
  lastRun = startRunMessage(paused);
  pendingStep = paused;
  startedThisRun = false;
  send(lastRun);
}

byId('run').addEventListener('click', () => {
  if (byId('run').textContent === 'Resume') send({ type: 'resume' });
  else run(false);
});
byId('pause').addEventListener('click', () => send({ type: 'pause' }));
byId('step').addEventListener('click', () => {
  if (pageState === 'running' || pageState === 'paused') send({ type: 'step' });
  else run(true);
});
byId('reset').addEventListener('click', () => {
  pendingStep = false;
  runAfterCheck = null;
  send({ type: 'reset' });
  clearDownload();
  clearNotice();
});
for (const [id, delta] of [['previous-round', -1], ['next-round', 1]] as const) {
  byId(id).addEventListener('click', () => {
    const track = model?.strategies[selection.strategyIndex];
    if (track === undefined) return;
    const round = Math.min(Math.max(1, selection.round + delta), track.rounds.length);
    if (round !== selection.round) select({ ...selection, round, follow: false });
  });
}
byId('follow').addEventListener('click', () => {
  selection = { ...selection, follow: true, node: null };
  if (model !== null) selection = followSelection(model, selection);
  markDirty();
});

function askToConfirm(text: string): void {
  const yes = el('button', { type: 'button', class: 'primary' }, 'Run it anyway');
  const no = el('button', { type: 'button' }, 'Cancel');
  confirming = lastRun?.yaml ?? null;
  yes.addEventListener('click', () => {
    const confirmed = confirming;
    clearNotice();
    if (lastRun !== null && confirmed === lastRun.yaml && confirmed === editor.text()) {
      pendingStep = lastRun.paused === true;
      send({ ...lastRun, confirmed: true });
    } else notice('info', 'The scenario changed after this estimate: nothing was run. Press Run to check the new text.');
  });
  no.addEventListener('click', () => {
    confirming = null;
    pendingStep = false;
    clearNotice();
  });
  replaceChildren(byId('notice'), el('div', { class: 'notice warn', role: 'alertdialog', 'aria-label': 'large scenario' },
    el('p', {}, 'This scenario is large. Before it runs:'), el('pre', {}, text), el('div', { class: 'toolbar' }, yes, no)));
}

function notice(kind: 'info' | 'error', text: string): void {
  replaceChildren(byId('notice'), el('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
}
function clearNotice(): void {
  confirming = null;
  replaceChildren(byId('notice'));
}

function offerDownload(json: string, fileName: string): void {
  clearDownload();
  downloadUrl = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = byId<HTMLAnchorElement>('download');
  link.href = downloadUrl;
  link.download = fileName;
  link.hidden = false;
}
function clearDownload(): void {
  if (downloadUrl !== null) URL.revokeObjectURL(downloadUrl);
  downloadUrl = null;
  const link = byId<HTMLAnchorElement>('download');
  link.hidden = true;
  link.removeAttribute('href');
}

// ---------------------------------------------------------------------------------------------
// views

function buildHeatPanels(run: RunModel | null): void {
  const box = byId('heatmaps');
  heatCanvases = [];
  if (run === null) {
    replaceChildren(box);
    return;
  }
  replaceChildren(box, ...run.strategies.map((track, s) => {
    const canvases = new Map<HeatField, HeatCanvas>();
    heatCanvases.push(canvases);
    const panel = el('div', { class: 'heat-panel' }, el('h3', {}, swatch(strategyColour(s)), track.name));
    for (const field of HEAT_FIELDS) {
      const cells = el('canvas', { 'aria-hidden': 'true' });
      const overlay = el('canvas', { class: 'overlay', 'aria-label': `${HEAT_TITLES[field]}, ${track.name}` });
      overlay.addEventListener('click', (event) => onHeatClick(s, field, overlay, event));
      overlay.addEventListener('mousemove', (event) => onHeatHover(s, field, overlay, event));
      const scale = el('span', { class: 'scale-text' });
      canvases.set(field, { cells, overlay, key: '', painted: 0, overlayKey: '', layout: null, scale });
      panel.appendChild(el('figure', {}, el('figcaption', {}, HEAT_TITLES[field], ': ', scale), el('div', { class: 'heat-stack' }, cells, overlay)));
    }
    return panel;
  }));
}

function heatCellAt(strategyIndex: number, field: HeatField, canvas: HTMLCanvasElement, event: MouseEvent): { round: JsonRound; row: HeatRow } | null {
  const entry = heatCanvases[strategyIndex]?.get(field);
  const track = model?.strategies[strategyIndex];
  if (entry?.layout == null || track === undefined) return null;
  const { x, y } = pointerIn(canvas, event);
  const cell = cellAt(entry.layout, x, y);
  const round = cell === null ? undefined : track.rounds[cell.column];
  return cell === null || round === undefined ? null : { round, row: heatRowsOfRun[cell.row]! };
}

function onHeatHover(strategyIndex: number, field: HeatField, canvas: HTMLCanvasElement, event: MouseEvent): void {
  const hit = heatCellAt(strategyIndex, field, canvas, event);
  const text = hit === null ? '' : `${cellText(hit.round, hit.row, field)} (click to explain)`;
  if (canvas.title !== text) canvas.title = text;
}

function onHeatClick(strategyIndex: number, field: HeatField, canvas: HTMLCanvasElement, event: MouseEvent): void {
  const hit = heatCellAt(strategyIndex, field, canvas, event);
  if (hit === null) return; // outside the cells, or a round not run yet
  select({ strategyIndex, round: hit.round.round, node: representative(hit.round, hit.row, field), follow: false });
}

function select(next: Selection): void {
  selection = next;
  markDirty();
  requestExplain();
}


function requestExplain(): void {
  const track = model?.strategies[selection.strategyIndex];
  if (model === null || track === undefined || selection.node === null) return;
  const node = model.nodes[selection.node]!;
  explainId += 1;
  byId('explain-title').textContent = `Explain: node ${node}, round ${selection.round}, ${track.name}`;
  byId('explain').textContent = 'Explaining…';
  send({ type: 'explain', requestId: explainId, strategy: track.name, node, round: selection.round });
}

/** Writes only what changed: an unchanged write still makes the browser redo style and layout. */
function setText(id: string, text: string): void {
  const element = byId(id);
  if (element.textContent !== text) element.textContent = text;
}
function setDisabled(id: string, disabled: boolean): void {
  const element = byId<HTMLButtonElement>(id);
  if (element.disabled !== disabled) element.disabled = disabled;
}

function markDirty(): void {
  if (dirty) return;
  dirty = true;
  requestAnimationFrame(render);
}

let timelineRow = { top: 0, rowHeight: 1, stepMarks: 0 };
/** the run whose legend is shown, and the round and node the round panel's DOM shows */
let legendOf: RunModel | null | undefined;
let roundPanelKey = '';
/** bumped on every window resize and every new run: the canvases drawn for an old one are redrawn */
let resizeSerial = 0;
let runSerial = 0;
let lastChartKey = '';
let runOfPanel: RunModel | null = null;

function render(): void {
  dirty = false;
  measureCanvases(allCanvases());
  const text = editor.text();
  const ready = {
    valid: validIssues.length === 0, checked: validatedText === text, anyStrategy: strategyNames.length === 0 || strategyNames.some((n) => ticked.get(n) !== false),
    edited: lastRun !== null && lastRun.yaml !== text,
  };
  const controls = controlState(pageState, ready);
  setDisabled('run', !controls.run.enabled);
  setText('run', controls.run.label);
  if (byId('run').title !== controls.why) byId('run').title = controls.why;
  setText('why', controls.why === '' || pageState === 'loading' ? '' : `Run is off: ${controls.why}.`);
  setDisabled('pause', !controls.pause);
  setDisabled('step', !controls.step);
  setDisabled('reset', !controls.reset);
  setDisabled('follow', selection.follow);
  const finished = model?.strategies[selection.strategyIndex]?.rounds.length ?? 0;
  setDisabled('previous-round', selection.round <= 1);
  setDisabled('next-round', selection.round >= finished);

  const run = model;
  const colours = run === null ? [] : run.strategies.map((_, s) => strategyColour(s));
  const marker = run === null || selection.round === 0 ? null : { strategyIndex: selection.strategyIndex, round: selection.round };
  // the charts change when a round arrives, the selection moves or the page is resized: not every frame
  const chartKey = `${runSerial}|${run === null ? 0 : finishedRounds(run)}|${marker?.strategyIndex}/${marker?.round}|${resizeSerial}`;
  if (chartKey !== lastChartKey) {
    lastChartKey = chartKey;
    const series = run === null ? [] : progressSeries(run);
    lastSeries = series;
    chartScales.set('accuracy', drawLineChart(byId<HTMLCanvasElement>('accuracy-chart'), series, 'accuracy', colours, marker));
    chartScales.set('loss', drawLineChart(byId<HTMLCanvasElement>('loss-chart'), series, 'loss', colours, marker));
  }
  if (legendOf !== run) {
    legendOf = run;
    replaceChildren(byId('legend'), ...(run?.strategies ?? []).map((track, s) => el('span', {}, swatch(colours[s]!), track.name)));
  }
  renderScoreboard(run);
  if (run !== null) {
    // every frame: the cells paint only rounds not yet painted, the selection is redrawn
    for (let s = 0; s < heatCanvases.length; s += 1) {
      const track = run.strategies[s];
      const canvases = heatCanvases[s];
      if (track === undefined || canvases === undefined) continue;
      const selectedRow = selection.strategyIndex === s && selection.node !== null
        ? heatRowsOfRun.findIndex((row) => row.members.includes(selection.node!)) : null;
      const selected = selection.strategyIndex === s ? { round: selection.round, row: selectedRow } : null;
      for (const [field, entry] of canvases) {
        drawHeatmap(entry, track.rounds, run.totalRounds, heatRowsOfRun, field, selected);
        const scale = scaleText(field, heatDomain(field, track.rounds));
        if (entry.scale.textContent !== scale) entry.scale.textContent = scale;
      }
    }
  }
  renderHeatScale();
  renderRound(run);
}

function allCanvases(): HTMLCanvasElement[] {
  const canvases = [byId<HTMLCanvasElement>('accuracy-chart'), byId<HTMLCanvasElement>('loss-chart'), byId<HTMLCanvasElement>('timeline')];
  for (const fields of heatCanvases) for (const entry of fields.values()) canvases.push(entry.cells, entry.overlay);
  return canvases;
}

function renderScoreboard(run: RunModel | null): void {
  const box = byId('scoreboard');
  if (run === null) {
    replaceChildren(box);
    return;
  }
  const target = runTarget === null ? 'to target' : `to ${percent(runTarget, 0)}`;
  const head = el('tr', {}, ...['strategy', 'rounds', 'accuracy', 'best', 'loss', 'simulated time', target, 'samples', 'drops'].map((h) => el('th', { scope: 'col' }, h)));
  const rows = scoreboard(run, runTarget, runLocalSteps).map((row, s) => el('tr', {},
    el('th', { scope: 'row' }, swatch(strategyColour(s)), row.strategy), el('td', {}, row.rounds), el('td', {}, percent(row.accuracy)),
    el('td', {}, percent(row.bestAccuracy)), el('td', {}, fixed(row.loss, 3)), el('td', {}, duration(row.simulatedMs)),
    el('td', {}, duration(row.toTargetMs)), el('td', {}, row.samples.toLocaleString('en-US')), el('td', {}, String(row.drops))));
  replaceChildren(box, el('table', { class: 'scores' }, el('thead', {}, head), el('tbody', {}, ...rows)));
}

let heatScaleDrawn = false;
function renderHeatScale(): void {
  if (heatScaleDrawn) return;
  heatScaleDrawn = true;
  const stops: HTMLElement[] = [];
  for (let i = 0; i <= 10; i += 1) {
    const span = el('span', { class: 'scale-cell' });
    span.style.background = heatColour(i / 10, [0, 1]);
    stops.push(span);
  }
  replaceChildren(byId('heat-scale'), 'low ', ...stops, ' high (each map\'s range in its caption); ', el('span', { class: 'scale-cell absent' }), ' not sent or dropped');
}

function renderRound(run: RunModel | null): void {
  const title = byId('round-title');
  const picked = run === null ? null : selectedRound(run, selection);
  const timeline = byId<HTMLCanvasElement>('timeline');
  if (run === null || picked === null) {
    roundPanelKey = '';
    title.textContent = 'This round';
    timeline.hidden = true;
    replaceChildren(byId('timeline-legend'));
    renderNodeTable([], 0);
    return;
  }
  const { round, timeline: phases } = picked;
  const strategy = run.strategies[selection.strategyIndex]!.name;
  const start = round.startMs ?? 0;
  const end = round.endMs ?? start;
  setText('round-title', `Round ${round.round} of ${run.totalRounds}, ${strategy}: ${duration(end - start)} of simulated time, accuracy ${percent(round.accuracy)}${round.skipped ? ' (skipped: no node took part)' : ''}`);
  timeline.hidden = false;
  // the same round and node as last frame: its timeline, legend and table are already there
  const key = `${selection.strategyIndex}/${round.round}/${selection.node}/${resizeSerial}`;
  if (key === roundPanelKey && runOfPanel === run) return;
  timelineRow = drawTimeline(timeline, phases, run.nodes, start, end, selection.node);
  roundPanelKey = key;
  runOfPanel = run;
  replaceChildren(byId('timeline-legend'), ...kindsPresent(phases).map((kind) => el('span', {}, swatch(PHASE_COLOURS[kind]), PHASE_LABELS[kind])),
    phases.some((p) => p.some((ph) => ph.kind === 'idle' && ph.reason !== undefined && ph.reason !== 'notDispatched')) ? el('span', { class: 'drop' }, '✕ dropped') : null,
    timelineRow.stepMarks > 0 ? el('span', {}, '│ where a local step ended') : null);
  const { rows, hidden } = tableRows(round, selection.node);
  renderNodeTable(rows, hidden);
}

/**
 * The node table, updated in place: its rows are kept and only changed cells rewritten, so a
 * round per frame does not rebuild (and re-lay out) a table every frame. One listener on the
 * body serves every row, which says its node in data-node.
 */
const nodeTable = el('table', { class: 'nodes' },
  el('thead', {}, el('tr', {}, ...TABLE_COLUMNS.map((c) => el('th', { scope: 'col' }, c)))), el('tbody'));
const nodeTableBody = nodeTable.tBodies[0]!;
const nodeTableNote = el('p', { class: 'muted' });
byId('node-table').append(nodeTable, nodeTableNote);
nodeTable.hidden = true;

function pickRow(target: EventTarget | null): void {
  const tr = (target as Element | null)?.closest('tr[data-node]');
  if (tr === null || tr === undefined) return;
  select({ ...selection, node: Number(tr.getAttribute('data-node')), follow: false });
}
nodeTableBody.addEventListener('click', (event) => pickRow(event.target));
nodeTableBody.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  event.preventDefault();
  pickRow(event.target);
});

function renderNodeTable(rows: readonly TableRow[], hidden: number): void {
  nodeTable.hidden = rows.length === 0;
  while (nodeTableBody.rows.length > rows.length) nodeTableBody.deleteRow(-1);
  rows.forEach((row, r) => {
    let tr = nodeTableBody.rows[r];
    if (tr === undefined) {
      tr = el('tr', { tabindex: '0' }, ...row.cells.map((_, i) => (i === 0 ? el('th', { scope: 'row' }) : el('td'))));
      nodeTableBody.appendChild(tr);
    }
    const node = String(row.node);
    if (tr.getAttribute('data-node') !== node) tr.setAttribute('data-node', node);
    const classes = [row.absent ? 'absent' : '', row.node === selection.node ? 'selected' : ''].join(' ').trim();
    if (tr.className !== classes) tr.className = classes;
    row.cells.forEach((cell, i) => {
      const td = tr.cells[i]!;
      if (td.textContent !== cell) td.textContent = cell;
    });
  });
  const note = hidden > 0 ? `Listed: the nodes dropped or not sent and those that finished last; ${hidden} more not listed (click one in a heat map or the timeline, or download the JSON).` : '';
  if (nodeTableNote.textContent !== note) nodeTableNote.textContent = note;
}

/** the charts' scales as last drawn, and what they drew: a click on a line picks that round */
const chartScales = new Map<'accuracy' | 'loss', { x: Linear; y: Linear }>();
let lastSeries: ProgressSeries[] = [];
for (const field of ['accuracy', 'loss'] as const) {
  const canvas = byId<HTMLCanvasElement>(`${field}-chart`);
  canvas.addEventListener('click', (event) => {
    const scales = chartScales.get(field);
    if (scales === undefined || model === null) return;
    const { x, y } = pointerIn(canvas, event);
    const hit = nearestPoint(lastSeries, field, x, y, scales.x, scales.y);
    if (hit !== null) select({ ...selection, ...hit, follow: false });
  });
}

byId<HTMLCanvasElement>('timeline').addEventListener('click', (event) => {
  if (model === null || selectedRound(model, selection) === null) return;
  const canvas = event.currentTarget as HTMLCanvasElement;
  const { y } = pointerIn(canvas, event);
  const node = nodeAtY(y, timelineRow.top, timelineRow.rowHeight, model.nodes.length);
  if (node !== null) select({ ...selection, node, follow: false });
});

window.addEventListener('resize', () => {
  resizeSerial += 1;
  markDirty();
});

// ---------------------------------------------------------------------------------------------
// start

void loadFromHash().then(() => markDirty());
dirty = false;
markDirty();
