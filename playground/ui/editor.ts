/**
 * The scenario editor: CodeMirror 6 with YAML highlighting, line numbers, undo, search and the
 * lint gutter. The page pushes diagnostics (the worker's located issues) with setIssues; the
 * editor only reports edits. Replacing the text (a picked scenario, a shared link) is one
 * undoable change, so a teacher who picked the wrong scenario can press Ctrl-Z.
 */
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import type { PlaygroundIssue } from '../../src/browser/protocol.js';
import { diagnostics } from './lint.js';

export interface ScenarioEditor {
  text(): string;
  setText(text: string): void;
  /** show these issues, found in `checkedText`; ignored when the text has changed since */
  setIssues(checkedText: string, issues: readonly PlaygroundIssue[]): void;
  focusAt(line: number, column: number): void;
}

export function createEditor(parent: HTMLElement, initial: string, onEdit: (text: string) => void): ScenarioEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        basicSetup,
        yaml(),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'scenario YAML' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onEdit(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setIssues(checkedText, issues) {
      if (view.state.doc.toString() !== checkedText) return;
      const found = diagnostics(checkedText, issues).map((d) => ({ ...d, severity: 'error' as const, source: 'dtrain validate' }));
      view.dispatch(setDiagnostics(view.state, found));
    },
    focusAt(line, column) {
      const doc = view.state.doc;
      const target = doc.line(Math.min(Math.max(1, line), doc.lines));
      const pos = Math.min(target.from + Math.max(0, column - 1), target.to);
      view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
      view.focus();
    },
  };
}
