import type { NodeTypeInfo } from '../api/client.ts';
import { monaco } from './monaco-setup.ts';
import { hoverAt, outline, suggest, type Outline, type SuggestionKind } from './yaml-context.ts';

/**
 * Completion and hover for pipeline YAML. Monaco providers are global per language, so they are
 * registered once; each editor attaches its model with the node types it knows, and models that
 * are not attached (any other YAML) get nothing from here.
 */
interface Attached {
  nodeTypes: () => NodeTypeInfo[];
  /** the last outline that parsed, for lines typed into a document that no longer parses */
  last: Outline | null;
}

const attached = new Map<string, Attached>();
let registered = false;

const KINDS: Record<SuggestionKind, monaco.languages.CompletionItemKind> = {
  type: monaco.languages.CompletionItemKind.Class,
  subgraph: monaco.languages.CompletionItemKind.Module,
  param: monaco.languages.CompletionItemKind.Property,
  field: monaco.languages.CompletionItemKind.Field,
  port: monaco.languages.CompletionItemKind.Interface,
  reference: monaco.languages.CompletionItemKind.Reference,
  value: monaco.languages.CompletionItemKind.Value,
  'template-param': monaco.languages.CompletionItemKind.Variable,
};

function lookup(model: monaco.editor.ITextModel): Attached | undefined {
  const entry = attached.get(model.uri.toString());
  if (entry === undefined) return undefined;
  const text = model.getValue();
  const now = outline(text);
  if (now !== null && Object.keys(now.nodes).length > 0) entry.last = now;
  return entry;
}

function register(): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider('yaml', {
    triggerCharacters: [' ', '.', '$', ':'],
    provideCompletionItems(model, position, context) {
      const entry = lookup(model);
      if (entry === undefined) return { suggestions: [] };
      if (context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter === ' ') {
        // a space only opens the list right after "key: "
        const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
        if (!/:\s$/.test(before) && !/^\s*-\s$/.test(before)) return { suggestions: [] };
      }
      const result = suggest(model.getValue(), position.lineNumber, position.column, entry.nodeTypes(), entry.last);
      if (result === null) return { suggestions: [] };
      const range = new monaco.Range(position.lineNumber, result.start, position.lineNumber, Math.max(result.end, position.column));
      return {
        suggestions: result.items.map((item) => ({
          label: item.label,
          kind: KINDS[item.kind],
          insertText: item.insert,
          insertTextRules: item.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
          detail: item.detail,
          documentation: item.documentation !== undefined ? { value: item.documentation } : undefined,
          sortText: item.sort,
          filterText: item.label,
          range,
        })),
      };
    },
  });
  monaco.languages.registerHoverProvider('yaml', {
    provideHover(model, position) {
      const entry = lookup(model);
      if (entry === undefined) return null;
      const info = hoverAt(model.getValue(), position.lineNumber, position.column, entry.nodeTypes(), entry.last);
      if (info === null) return null;
      return { range: new monaco.Range(position.lineNumber, info.start, position.lineNumber, info.end), contents: [{ value: info.markdown }] };
    },
  });
}

/** Gives `model` pipeline completion and hover from the node types `nodeTypes()` returns; dispose to detach. */
export function attachPipelineHelp(model: monaco.editor.ITextModel, nodeTypes: () => NodeTypeInfo[]): monaco.IDisposable {
  register();
  const key = model.uri.toString();
  attached.set(key, { nodeTypes, last: outline(model.getValue()) });
  return { dispose: () => attached.delete(key) };
}
