import { MONACO_THEME, monaco } from './monaco-setup.ts';
import Editor, { type OnMount } from '@monaco-editor/react';
import { useCallback, useEffect, useMemo, useRef, useState, type JSX, type KeyboardEvent } from 'react';
import { api, ApiError, type PipelineDetail, type Problem } from '../api/client.ts';
import type { NodeTypeInfo } from '../api/client.ts';
import { problemLine, problemRange, problemWhere } from './problems.ts';
import { attachPipelineHelp } from './providers.ts';
import './YamlEditor.css';

export interface YamlEditorProps {
  pipeline: PipelineDetail;
  nodeTypes: NodeTypeInfo[];
  readOnly: boolean;
  onSaved(detail: PipelineDetail): void;
}

type Check =
  | { state: 'valid'; hash: string; problems: [] }
  | { state: 'problems'; problems: Problem[] }
  | { state: 'checking'; problems: Problem[] }
  | { state: 'error'; message: string; problems: Problem[] };

type SaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved' } | { state: 'failed'; message: string };

const MARKER_OWNER = 'barflow';
const DEBOUNCE_MS = 400;

/**
 * Unsaved text per pipeline, kept while the editor is away (another tab, another pipeline) and
 * offered again when it comes back to the same saved version.
 */
const drafts = new Map<string, { text: string; baseline: string }>();

function checkOf(pipeline: PipelineDetail): Check {
  if (pipeline.problems.length > 0) return { state: 'problems', problems: pipeline.problems };
  if (pipeline.hash !== null) return { state: 'valid', hash: pipeline.hash, problems: [] };
  return { state: 'checking', problems: [] };
}

function draftFor(pipeline: PipelineDetail, readOnly: boolean): string | null {
  const draft = drafts.get(pipeline.name);
  if (draft === undefined || readOnly) return null;
  if (draft.baseline !== pipeline.yaml) {
    drafts.delete(pipeline.name);
    return null;
  }
  return draft.text;
}

function bannerText(pipeline: PipelineDetail): string {
  if (pipeline.locked || pipeline.kind === 'canonical') return 'Locked: fork to edit';
  if (pipeline.kind === 'example') return 'Example: fork to edit';
  return 'Read-only';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The YAML of one pipeline in Monaco: checked by the server as you type (markers and a problems
 * list), completion and hover from the node types, Save (button or Ctrl/Cmd+S) for forks.
 */
export function YamlEditor({ pipeline, nodeTypes, readOnly, onSaved }: YamlEditorProps): JSX.Element {
  const [text, setText] = useState(() => draftFor(pipeline, readOnly) ?? pipeline.yaml);
  const [baseline, setBaseline] = useState(pipeline.yaml);
  const [check, setCheck] = useState<Check>(() => (text === pipeline.yaml ? checkOf(pipeline) : { state: 'checking', problems: [] }));
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [savedElsewhere, setSavedElsewhere] = useState(false);
  const [mounted, setMounted] = useState(false);

  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const textRef = useRef(text);
  textRef.current = text;
  /** the text the current `check` describes */
  const checkedText = useRef<string | null>(text === pipeline.yaml && checkOf(pipeline).state !== 'checking' ? pipeline.yaml : null);
  const validateSeq = useRef(0);
  const shown = useRef({ name: pipeline.name, yaml: pipeline.yaml });
  const justSaved = useRef<string | null>(null);
  const nodeTypesRef = useRef(nodeTypes);
  nodeTypesRef.current = nodeTypes;
  const latest = useRef({ pipeline, readOnly, onSaved, baseline, saving: false });
  latest.current = { pipeline, readOnly, onSaved, baseline, saving: save.state === 'saving' };

  const dirty = !readOnly && text !== baseline;

  // Keep unsaved text across unmounts and pipeline switches.
  useEffect(() => {
    // (on the render that brings another pipeline, text and baseline still belong to the last one)
    if (shown.current.name !== pipeline.name) return;
    if (dirty) drafts.set(pipeline.name, { text, baseline });
    else drafts.delete(pipeline.name);
  }, [dirty, text, baseline, pipeline.name]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const replaceText = useCallback((next: string) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (editor && model && model.getValue() !== next) {
      editor.pushUndoStop();
      editor.executeEdits('barflow-reload', [{ range: model.getFullModelRange(), text: next }]);
      editor.pushUndoStop();
    }
    setText(next);
  }, []);

  // A new pipeline, or a new saved version of this one (our save, or the inspector's).
  useEffect(() => {
    const before = shown.current;
    shown.current = { name: pipeline.name, yaml: pipeline.yaml };
    if (before.name !== pipeline.name) {
      const next = draftFor(pipeline, readOnly) ?? pipeline.yaml;
      editorRef.current?.getModel()?.setValue(next);
      setText(next);
      setBaseline(pipeline.yaml);
      setSave({ state: 'idle' });
      setSavedElsewhere(false);
      validateSeq.current++;
      if (next === pipeline.yaml && checkOf(pipeline).state !== 'checking') {
        checkedText.current = next;
        setCheck(checkOf(pipeline));
      } else {
        checkedText.current = null;
        setCheck({ state: 'checking', problems: [] });
      }
      return;
    }
    if (before.yaml === pipeline.yaml) return;
    const current = editorRef.current?.getModel()?.getValue() ?? textRef.current;
    const wasOurs = justSaved.current === pipeline.yaml;
    justSaved.current = null;
    setBaseline(pipeline.yaml);
    if (current === pipeline.yaml) {
      checkedText.current = current;
      setCheck(checkOf(pipeline));
      return;
    }
    if (wasOurs) return; // typed on while saving: the new text stays, unsaved
    if (current === before.yaml) {
      replaceText(pipeline.yaml);
      checkedText.current = pipeline.yaml;
      validateSeq.current++;
      setCheck(checkOf(pipeline));
    } else {
      setSavedElsewhere(true);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pipeline.name, pipeline.yaml]);

  // Check the text on the server, 400 ms after the last keystroke.
  useEffect(() => {
    if (text === checkedText.current) return;
    // (the status shows "checking…" while the text differs from the checked one)
    const seq = ++validateSeq.current;
    const name = pipeline.name;
    const handle = window.setTimeout(() => {
      if (text !== textRef.current) return;
      api.validate(text, name).then(
        (result) => {
          if (seq !== validateSeq.current) return;
          checkedText.current = text;
          if (result.ok && result.hash !== null) setCheck({ state: 'valid', hash: result.hash, problems: [] });
          else setCheck({ state: 'problems', problems: result.problems });
        },
        (error: unknown) => {
          if (seq !== validateSeq.current) return;
          checkedText.current = text;
          const problems = error instanceof ApiError ? error.problems : [];
          setCheck({ state: 'error', message: error instanceof Error ? error.message : String(error), problems });
        },
      );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(handle);
  }, [text, pipeline.name]);

  // Problems → markers.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const lines = model.getLinesContent();
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      check.problems.map((p) => ({
        ...problemRange(lines, p),
        message: p.message,
        code: p.code,
        source: [p.node && `node ${p.node}`, p.port && `port ${p.port}`, p.param && `param ${p.param}`].filter(Boolean).join(' · ') || 'barflow',
        severity: monaco.MarkerSeverity.Error,
      })),
    );
  }, [check, mounted]);

  const doSave = useCallback(async () => {
    const { pipeline: p, readOnly: ro, onSaved: done, saving } = latest.current;
    if (ro || saving) return;
    const yaml = editorRef.current?.getModel()?.getValue() ?? textRef.current;
    setSave({ state: 'saving' });
    try {
      const result = await api.save(p.name, yaml);
      if (!result.ok) {
        checkedText.current = yaml;
        validateSeq.current++;
        setCheck({ state: 'problems', problems: result.problems });
        setSave({ state: 'failed', message: `Not saved: ${plural(result.problems.length, 'problem')}. Your text is kept.` });
        return;
      }
      justSaved.current = yaml;
      setBaseline(yaml);
      if (yaml === textRef.current) {
        checkedText.current = yaml;
        validateSeq.current++;
        if (result.hash !== null) setCheck({ state: 'valid', hash: result.hash, problems: [] });
      }
      let detail: PipelineDetail;
      try {
        detail = await api.pipeline(p.name);
      } catch (error) {
        setSave({ state: 'failed', message: `Saved, but reloading it failed: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      setSave({ state: 'saved' });
      done(detail);
    } catch (error) {
      if (error instanceof ApiError && error.problems.length > 0) {
        checkedText.current = yaml;
        validateSeq.current++;
        setCheck({ state: 'problems', problems: error.problems });
        const readOnlyRefusal = error.status === 409;
        setSave({ state: 'failed', message: readOnlyRefusal ? `Not saved: ${error.problems[0]!.message}` : `Not saved: ${plural(error.problems.length, 'problem')}. Your text is kept.` });
      } else {
        setSave({ state: 'failed', message: `Not saved: ${error instanceof Error ? error.message : String(error)}. Your text is kept.` });
      }
    }
  }, []);

  const saveRef = useRef(doSave);
  saveRef.current = doSave;

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    const model = editor.getModel();
    if (model && model.getValue() !== textRef.current) model.setValue(textRef.current);
    const help = model ? attachPipelineHelp(model, () => nodeTypesRef.current) : null;
    editor.addAction({
      id: 'barflow.save',
      label: 'Save pipeline',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
      run: () => {
        void saveRef.current();
      },
    });
    editor.onDidDispose(() => {
      help?.dispose();
      if (editorRef.current === editor) editorRef.current = null;
    });
    setMounted(true);
  };

  const jumpTo = (problem: Problem) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    const range = problemRange(model.getLinesContent(), problem);
    editor.revealLineInCenter(range.startLineNumber);
    editor.setPosition({ lineNumber: range.startLineNumber, column: range.startColumn });
    editor.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void saveRef.current();
    }
  };

  const banner = readOnly ? bannerText(pipeline) : null;
  const options = useMemo<monaco.editor.IStandaloneEditorConstructionOptions>(
    () => ({
      readOnly,
      domReadOnly: readOnly,
      readOnlyMessage: { value: banner ?? 'Read-only' },
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      tabSize: 2,
      insertSpaces: true,
      detectIndentation: false,
      scrollBeyondLastLine: false,
      wordBasedSuggestions: 'off',
      quickSuggestions: { other: true, strings: true, comments: false },
      suggestOnTriggerCharacters: true,
      fixedOverflowWidgets: true,
      renderLineHighlight: 'line',
      glyphMargin: false,
      lineNumbersMinChars: 3,
      hover: { delay: 300 },
      unicodeHighlight: { ambiguousCharacters: false },
    }),
    [readOnly, banner],
  );

  const lines = useMemo(() => text.split(/\r?\n/), [text]);
  const problems = check.problems;
  const stale = text !== checkedText.current;

  let status: JSX.Element;
  if (check.state === 'valid' && !stale) {
    status = (
      <span className="yaml-status" data-testid="yaml-status" data-state="valid" title={`pipeline hash ${check.hash}`}>
        valid · hash {check.hash.slice(0, 8)}…
      </span>
    );
  } else if (check.state === 'checking' || stale) {
    status = (
      <span className="yaml-status" data-testid="yaml-status" data-state="checking">
        checking…
      </span>
    );
  } else if (check.state === 'error') {
    status = (
      <span className="yaml-status yaml-status--error" data-testid="yaml-status" data-state="error" title={check.message}>
        could not check: {check.message}
      </span>
    );
  } else {
    status = (
      <span className="yaml-status yaml-status--problems" data-testid="yaml-status" data-state="problems">
        {plural(problems.length, 'problem')}
      </span>
    );
  }

  return (
    <div className="yaml-editor" onKeyDown={onKeyDown}>
      {banner !== null && (
        <div className="yaml-editor__banner" data-testid="yaml-readonly-banner" role="note">
          {banner}
        </div>
      )}
      <div className="yaml-editor__toolbar">
        <span className="yaml-editor__name">{pipeline.name}.yaml</span>
        {status}
        {dirty && (
          <span className="yaml-editor__dirty" data-testid="yaml-dirty" title="This text differs from the saved pipeline">
            ● unsaved changes
          </span>
        )}
        <span className="yaml-editor__spacer" />
        {save.state === 'saved' && !dirty && <span className="yaml-editor__saved">saved</span>}
        {save.state === 'failed' && (
          <span className="yaml-editor__save-error" role="alert" data-testid="yaml-save-error">
            {save.message}
          </span>
        )}
        {dirty && (
          <button type="button" onClick={() => replaceText(baseline)} title="Discard the unsaved changes">
            Discard
          </button>
        )}
        {!readOnly && (
          <button
            type="button"
            className="primary"
            data-testid="yaml-save"
            onClick={() => void doSave()}
            disabled={save.state === 'saving' || !dirty}
            title="Save (Ctrl/Cmd+S)"
          >
            {save.state === 'saving' ? 'Saving…' : 'Save'}
          </button>
        )}
      </div>
      {savedElsewhere && dirty && (
        <div className="yaml-editor__notice" role="status">
          This pipeline was saved elsewhere while you had unsaved edits here; your text is kept and Save would replace that version.
          <button type="button" className="yaml-editor__link" onClick={() => { setSavedElsewhere(false); replaceText(baseline); }}>
            Load the saved version
          </button>
        </div>
      )}
      <div className="yaml-editor__monaco">
        <Editor
          defaultLanguage="yaml"
          defaultValue={text}
          theme={MONACO_THEME}
          options={options}
          onMount={onMount}
          onChange={(value) => {
            setText(value ?? '');
            setSave((s) => (s.state === 'failed' || s.state === 'saved' ? { state: 'idle' } : s));
          }}
          loading={<div className="yaml-editor__loading">Loading editor…</div>}
        />
      </div>
      <ul className="yaml-problems" data-testid="yaml-problems" aria-label="Problems">
        {problems.map((problem, i) => (
          <li key={`${i}:${problem.code}:${problem.line ?? ''}:${problem.column ?? ''}`} className="yaml-problems__item" data-line={problemLine(lines, problem)}>
            <button type="button" onClick={() => jumpTo(problem)} title={problem.formatted}>
              <span className="yaml-problems__where">{problemWhere(lines, problem)}</span>
              <span className="yaml-problems__message">{problem.message}</span>
              {(problem.node || problem.port || problem.param) && (
                <span className="yaml-problems__what">
                  {[problem.node && `node ${problem.node}`, problem.port && `port ${problem.port}`, problem.param && `param ${problem.param}`].filter(Boolean).join(' · ')}
                </span>
              )}
              <span className="yaml-problems__code">{problem.code}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
