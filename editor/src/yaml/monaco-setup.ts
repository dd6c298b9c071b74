/**
 * Monaco, set up once for the whole editor and fully offline (no CDN).
 *
 * - `@monaco-editor/react` fetches Monaco from jsDelivr unless it is handed the bundled module:
 *   `loader.config({ monaco })` does that.
 * - Workers come from Vite `?worker` imports through `MonacoEnvironment.getWorker`; without it
 *   Monaco's editor worker service fails to load its bootstrap. Pipelines are YAML (a Monarch
 *   grammar, no language worker), so the editor worker serves every label.
 * - Only the editor API, its features (hover, suggest, find, folding, markers, …) and the YAML
 *   grammar are bundled, not the TypeScript/CSS/HTML/JSON language services of `monaco-editor`'s
 *   main entry (about 10 MB of workers this app never starts).
 */
import { loader, type Monaco } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/yaml/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

loader.config({ monaco: monaco as unknown as Monaco });

/** Monaco's dark theme on the editor's own background (styles/app.css). */
export const MONACO_THEME = 'barflow-dark';
monaco.editor.defineTheme(MONACO_THEME, {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#0e1014',
    'editorGutter.background': '#0e1014',
    'editorLineNumber.foreground': '#687184',
    'editorLineNumber.activeForeground': '#c9ced8',
    'editor.lineHighlightBackground': '#151920',
    'editor.lineHighlightBorder': '#151920',
    'editorWidget.background': '#1a1f28',
    'editorWidget.border': '#363e4b',
    'editorHoverWidget.background': '#1a1f28',
    'editorHoverWidget.border': '#363e4b',
    'editorSuggestWidget.background': '#1a1f28',
    'editorSuggestWidget.border': '#363e4b',
    'editorSuggestWidget.selectedBackground': '#2d5fb8',
    'editorStickyScroll.background': '#151920',
    'scrollbarSlider.background': '#363e4b80',
  },
});

export { monaco };
export type MonacoApi = typeof monaco;
