import { useEffect, useMemo, useState, type FormEvent, type JSX } from 'react';
import { api, ApiError, type PipelineDetail, type Problem } from '../api/client.ts';
import type { NodeTypeInfo } from '../api/client.ts';
import type { GraphNode } from '../../../engine/server/protocol/rest.ts';
import { paramSummary } from '../yaml/yaml-context.ts';
import { deepEqual, editParam, locateParams, templateRefUsers, type ParamTarget } from '../../../engine/pipeline/param-edit.ts';
import './ParamsForm.css';

export interface ParamsFormProps {
  pipeline: PipelineDetail;
  node: GraphNode;
  nodeType: NodeTypeInfo;
  onSaved(detail: PipelineDetail): void;
}

type FieldKind = 'integer' | 'number' | 'boolean' | 'enum' | 'string' | 'json';

interface Field {
  name: string;
  kind: FieldKind;
  schema: Record<string, unknown>;
  info: NodeTypeInfo['params'][number];
  /** the value the compiled node has (defaults filled in) */
  initial: unknown;
  /** where an edit is written, or why it cannot be */
  target: ParamTarget | { error: string };
  /** for an instance param: the template params it feeds (`threshold.strict`, …) */
  users: string[];
}

type Draft = string | boolean;

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function kindOf(schema: Record<string, unknown>): FieldKind {
  if (Array.isArray(schema['enum'])) return 'enum';
  switch (schema['type']) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return 'json';
  }
}

function draftOf(kind: FieldKind, value: unknown): Draft {
  if (kind === 'boolean') return value === true;
  if (value === undefined || value === null) return '';
  if (kind === 'enum') return JSON.stringify(value);
  if (kind === 'json') return JSON.stringify(value);
  return String(value);
}

function bounds(schema: Record<string, unknown>, value: number): string | null {
  const num = (k: string) => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  const min = num('minimum');
  const max = num('maximum');
  const xmin = num('exclusiveMinimum');
  const xmax = num('exclusiveMaximum');
  if (min !== undefined && value < min) return `must be at least ${min}`;
  if (xmin !== undefined && value <= xmin) return `must be more than ${xmin}`;
  if (max !== undefined && value > max) return `must be at most ${max}`;
  if (xmax !== undefined && value >= xmax) return `must be less than ${xmax}`;
  return null;
}

function checkJson(schema: Record<string, unknown>, value: unknown, where = ''): string | null {
  const type = schema['type'];
  if (type === 'array') {
    if (!Array.isArray(value)) return `${where}must be a list, e.g. [1, 2]`;
    const minItems = schema['minItems'];
    const maxItems = schema['maxItems'];
    if (typeof minItems === 'number' && value.length < minItems) return `${where}needs at least ${minItems} item${minItems === 1 ? '' : 's'}`;
    if (typeof maxItems === 'number' && value.length > maxItems) return `${where}takes at most ${maxItems} item${maxItems === 1 ? '' : 's'}`;
    const prefix = Array.isArray(schema['prefixItems']) ? (schema['prefixItems'] as Record<string, unknown>[]) : null;
    for (let i = 0; i < value.length; i++) {
      const itemSchema = prefix?.[i] ?? record(schema['items']);
      const problem = checkJson(itemSchema, value[i], `item ${i + 1} `);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${where}must be an object, e.g. {"a": 1}`;
    return null;
  }
  if (type === 'number' || type === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return `${where}must be a number`;
    if (type === 'integer' && !Number.isInteger(value)) return `${where}must be a whole number`;
    const b = bounds(schema, value);
    return b === null ? null : `${where}${b}`;
  }
  if (type === 'string' && typeof value !== 'string') return `${where}must be text`;
  if (type === 'boolean' && typeof value !== 'boolean') return `${where}must be true or false`;
  return null;
}

/** The draft as a param value; `undefined` = leave it out (the default applies). */
function parseDraft(field: Field, draft: Draft): { value: unknown } | { error: string } {
  const { kind, schema, info } = field;
  const omittable = info.optional || info.default !== undefined;
  if (kind === 'boolean') return { value: draft === true };
  const text = typeof draft === 'string' ? draft.trim() : '';
  if (text === '') return omittable ? { value: undefined } : { error: 'required' };
  switch (kind) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) return { error: 'must be a number' };
      if (kind === 'integer' && !Number.isInteger(value)) return { error: 'must be a whole number' };
      const b = bounds(schema, value);
      return b === null ? { value } : { error: b };
    }
    case 'enum':
      return { value: JSON.parse(text) as unknown };
    case 'string': {
      const value = typeof draft === 'string' ? draft : '';
      const minLength = schema['minLength'];
      if (typeof minLength === 'number' && value.length < minLength) return { error: `needs at least ${minLength} character${minLength === 1 ? '' : 's'}` };
      if (typeof schema['pattern'] === 'string') {
        try {
          if (!new RegExp(schema['pattern']).test(value)) return { error: `must match ${schema['pattern']}` };
        } catch {
          // a pattern the browser cannot read: the server checks it
        }
      }
      return { value };
    }
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return { error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
      }
      const problem = checkJson(schema, value);
      return problem === null ? { value } : { error: problem };
    }
  }
}

function isTarget(t: Field['target']): t is ParamTarget {
  return !('error' in t);
}

function originText(target: ParamTarget, instances: string[], users: string[]): { text: string; warn: boolean } {
  if (target.kind === 'node') return { text: target.present ? '' : 'not written in the YAML: the default applies; saving writes it', warn: false };
  if (target.kind === 'instance') {
    const shared = users.length > 1 ? `; it feeds ${users.join(', ')}` : '';
    return { text: `set on instance ${target.owner} as ${target.param}${target.present ? '' : ' (now the sub-graph default)'}${shared}`, warn: false };
  }
  const list = instances.length > 0 ? ` (${instances.join(', ')})` : '';
  return { text: `written in the template of sub-graph “${target.subgraph}”: changing it changes every instance${list}`, warn: true };
}

/**
 * A node's params as a form (from the type's JSON Schema). Saving edits the pipeline's YAML in the
 * browser (comments and layout kept; sub-graph params go where `$param` says), then saves it through
 * the server, which validates it again; its problems appear next to the fields they name.
 */
export function ParamsForm({ pipeline, node, nodeType, onSaved }: ParamsFormProps): JSX.Element {
  const readOnly = pipeline.kind !== 'fork' || pipeline.locked;
  const fields = useMemo<Field[]>(() => {
    const properties = record(nodeType.paramsSchema['properties']);
    const values = record(node.params);
    const targets = locateParams(pipeline.yaml, node.id, nodeType.params.map((p) => p.name));
    return nodeType.params.map((info) => {
      const schema = record(properties[info.name]);
      const target = targets[info.name] ?? { error: 'not found' };
      const users = isTarget(target) && target.kind === 'instance' && target.subgraph !== undefined ? safeUsers(pipeline.yaml, target.subgraph, target.param) : [];
      return { name: info.name, kind: kindOf(schema), schema, info, initial: values[info.name], target, users };
    });
  }, [pipeline.yaml, node.id, node.params, nodeType]);

  const initialDrafts = useMemo(() => Object.fromEntries(fields.map((f) => [f.name, draftOf(f.kind, f.initial)])), [fields]);
  const [drafts, setDrafts] = useState<Record<string, Draft>>(initialDrafts);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [general, setGeneral] = useState<Problem[]>([]);
  const [status, setStatus] = useState<{ state: 'idle' | 'saving' | 'saved' | 'failed'; message?: string }>({ state: 'idle' });

  // A new pipeline version or another node: start from its values. (Not on a failed save: the
  // user's values stay.)
  useEffect(() => {
    setDrafts(initialDrafts);
    setFieldErrors({});
    setGeneral([]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pipeline.name, pipeline.yaml, node.id]);

  useEffect(() => {
    setStatus({ state: 'idle' });
  }, [pipeline.name, node.id]);

  const parsed = useMemo(() => Object.fromEntries(fields.map((f) => [f.name, parseDraft(f, drafts[f.name] ?? draftOf(f.kind, f.initial))])), [fields, drafts]);

  const changed = fields.filter((f) => {
    const p = parsed[f.name]!;
    if ('error' in p) return (drafts[f.name] ?? '') !== initialDrafts[f.name];
    if (p.value === undefined) return isTarget(f.target) && f.target.present && f.target.kind === 'node';
    if (f.kind === 'boolean' && f.initial === undefined) return p.value === true;
    return !deepEqual(p.value, f.initial);
  });

  const instancesOf = (subgraph: string | undefined) => (subgraph === undefined ? [] : pipeline.groups.filter((g) => g.subgraph === subgraph).map((g) => g.id));
  const templateChanges = changed.filter((f) => isTarget(f.target) && f.target.kind === 'template');

  const set = (name: string, value: Draft) => {
    setDrafts((d) => ({ ...d, [name]: value }));
    setFieldErrors((e) => {
      if (e[name] === undefined) return e;
      const next = { ...e };
      delete next[name];
      return next;
    });
    if (status.state !== 'saving') setStatus({ state: 'idle' });
  };

  const reset = () => {
    setDrafts(initialDrafts);
    setFieldErrors({});
    setGeneral([]);
    setStatus({ state: 'idle' });
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (readOnly || status.state === 'saving' || changed.length === 0) return;
    const errors: Record<string, string[]> = {};
    for (const f of changed) {
      const p = parsed[f.name]!;
      if ('error' in p) errors[f.name] = [p.error];
      else if (!isTarget(f.target)) errors[f.name] = [f.target.error];
    }
    if (Object.keys(errors).length > 0) {
      setFieldErrors(errors);
      setStatus({ state: 'failed', message: 'Fix the marked fields first.' });
      return;
    }
    let text = pipeline.yaml;
    try {
      for (const f of changed) text = editParam(text, node.id, f.name, (parsed[f.name] as { value: unknown }).value).text;
    } catch (error) {
      setStatus({ state: 'failed', message: `Could not edit the YAML: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    if (text === pipeline.yaml) {
      setStatus({ state: 'idle' });
      return;
    }
    setStatus({ state: 'saving' });
    setFieldErrors({});
    setGeneral([]);
    try {
      const result = await api.save(pipeline.name, text);
      if (!result.ok) {
        showProblems(result.problems);
        return;
      }
      const detail = await api.pipeline(pipeline.name);
      setStatus({ state: 'saved', message: result.hash !== null ? `Saved · hash ${result.hash.slice(0, 8)}…` : 'Saved' });
      onSaved(detail);
    } catch (error) {
      if (error instanceof ApiError && error.problems.length > 0) showProblems(error.problems, error.status === 409 ? error.problems[0]!.message : undefined);
      else setStatus({ state: 'failed', message: `Not saved: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  const showProblems = (problems: Problem[], message?: string) => {
    const names = new Set(fields.map((f) => f.name));
    const local = node.id.split('/').pop();
    const byField: Record<string, string[]> = {};
    const rest: Problem[] = [];
    for (const p of problems) {
      const sameNode = p.node === undefined || p.node === node.id || (node.group !== null && p.node.split('/').pop() === local);
      if (p.param !== undefined && names.has(p.param) && sameNode) (byField[p.param] ??= []).push(p.node !== undefined && p.node !== node.id ? `${p.node}: ${p.message}` : p.message);
      else rest.push(p);
    }
    setFieldErrors(byField);
    setGeneral(rest);
    setStatus({ state: 'failed', message: message ?? `Not saved: ${problems.length} problem${problems.length === 1 ? '' : 's'}. Your values are kept.` });
  };

  const banner = readOnly ? (pipeline.locked || pipeline.kind === 'canonical' ? 'Locked: fork to edit' : pipeline.kind === 'example' ? 'Example: fork to edit' : 'Read-only') : null;

  return (
    <form className="params-form" onSubmit={(e) => void submit(e)} noValidate>
      {banner !== null && (
        <div className="params-form__banner" data-testid="params-readonly-banner" role="note">
          {banner}
        </div>
      )}
      {fields.length === 0 && <p className="params-form__empty">{nodeType.type} has no params.</p>}
      {fields.map((f) => {
        const id = `param-${node.id}-${f.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
        const draft = drafts[f.name] ?? draftOf(f.kind, f.initial);
        const errors = fieldErrors[f.name] ?? [];
        const p = parsed[f.name]!;
        const liveError = 'error' in p && draft !== initialDrafts[f.name] ? p.error : null;
        const shown = errors.length > 0 ? errors : liveError !== null ? [liveError] : [];
        const target = f.target;
        const origin = isTarget(target) ? originText(target, instancesOf(target.subgraph), f.users) : { text: target.error, warn: true };
        const isChanged = changed.includes(f);
        const common = {
          id,
          'data-testid': `param-${f.name}`,
          'aria-invalid': shown.length > 0,
          'aria-describedby': `${id}-help`,
          disabled: readOnly || status.state === 'saving',
        };
        let input: JSX.Element;
        switch (f.kind) {
          case 'boolean':
            input = <input type="checkbox" {...common} checked={draft === true} onChange={(e) => set(f.name, e.target.checked)} />;
            break;
          case 'enum':
            input = (
              <select {...common} value={typeof draft === 'string' ? draft : ''} onChange={(e) => set(f.name, e.target.value)}>
                {draft === '' && <option value="">(default)</option>}
                {(f.schema['enum'] as unknown[]).map((v) => (
                  <option key={JSON.stringify(v)} value={JSON.stringify(v)}>
                    {String(v)}
                    {deepEqual(v, f.info.default) ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            );
            break;
          case 'integer':
          case 'number': {
            const min = typeof f.schema['minimum'] === 'number' ? (f.schema['minimum'] as number) : undefined;
            const max = typeof f.schema['maximum'] === 'number' ? (f.schema['maximum'] as number) : undefined;
            input = (
              <input
                type="number"
                {...common}
                min={min}
                max={max}
                step={f.kind === 'integer' ? 1 : 'any'}
                inputMode={f.kind === 'integer' ? 'numeric' : 'decimal'}
                placeholder={f.info.default !== undefined ? String(f.info.default) : ''}
                value={typeof draft === 'string' ? draft : ''}
                onChange={(e) => set(f.name, e.target.value)}
              />
            );
            break;
          }
          case 'string':
            input = (
              <input
                type="text"
                {...common}
                spellCheck={false}
                placeholder={f.info.default !== undefined ? String(f.info.default) : ''}
                value={typeof draft === 'string' ? draft : ''}
                onChange={(e) => set(f.name, e.target.value)}
              />
            );
            break;
          case 'json':
            input = (
              <textarea
                {...common}
                rows={Math.min(6, Math.max(1, Math.ceil(String(draft).length / 36)))}
                spellCheck={false}
                placeholder={f.info.default !== undefined ? JSON.stringify(f.info.default) : ''}
                value={typeof draft === 'string' ? draft : ''}
                onChange={(e) => set(f.name, e.target.value)}
              />
            );
            break;
        }
        return (
          <div key={f.name} className={`params-form__field${isChanged ? ' params-form__field--changed' : ''}${shown.length > 0 ? ' params-form__field--error' : ''}`} data-param={f.name}>
            <div className="params-form__head">
              <label htmlFor={id} className="params-form__label">
                {f.name}
              </label>
              <span className="params-form__type">{f.kind === 'enum' ? 'choice' : f.info.type}</span>
            </div>
            <div className="params-form__input">{input}</div>
            <div className="params-form__help" id={`${id}-help`}>
              {f.info.description !== undefined && <div>{f.info.description}</div>}
              <div className="params-form__meta">{paramSummary(nodeType, f.info).split(' · ').slice(1).join(' · ')}</div>
              {origin.text !== '' && <div className={origin.warn ? 'params-form__origin params-form__origin--warn' : 'params-form__origin'}>{origin.text}</div>}
            </div>
            {shown.map((message, i) => (
              <div key={i} className="params-form__error" role="alert" data-testid={`param-error-${f.name}`}>
                {message}
              </div>
            ))}
          </div>
        );
      })}
      {templateChanges.length > 0 && (
        <div className="params-form__warning" role="note" data-testid="params-template-warning">
          {templateChanges.map((f) => f.name).join(', ')}{' '}
          {templateChanges.length === 1 ? 'is' : 'are'} written in the sub-graph template: saving changes{' '}
          {(() => {
            const t = templateChanges[0]!.target as ParamTarget;
            const n = instancesOf(t.subgraph).length;
            return n > 0 ? `all ${n} instances of “${t.subgraph}”` : `every instance of “${t.subgraph}”`;
          })()}
          , not only {node.group ?? node.id}.
        </div>
      )}
      {general.length > 0 && (
        <ul className="params-form__problems" data-testid="params-problems">
          {general.map((p, i) => (
            <li key={i}>
              {p.line !== undefined ? `line ${p.line}: ` : ''}
              {p.node !== undefined ? `node ${p.node}${p.param !== undefined ? ` param ${p.param}` : ''}: ` : ''}
              {p.message} <code>{p.code}</code>
            </li>
          ))}
        </ul>
      )}
      <div className="params-form__actions">
        {status.message !== undefined && (
          <span className={`params-form__status params-form__status--${status.state}`} role={status.state === 'failed' ? 'alert' : 'status'} data-testid="params-status">
            {status.message}
          </span>
        )}
        <span className="params-form__spacer" />
        {changed.length > 0 && !readOnly && (
          <button type="button" onClick={reset} disabled={status.state === 'saving'}>
            Reset
          </button>
        )}
        <button type="submit" className="primary" data-testid="params-save" disabled={readOnly || status.state === 'saving' || changed.length === 0}>
          {status.state === 'saving' ? 'Saving…' : changed.length > 1 ? `Save ${changed.length} changes` : 'Save'}
        </button>
      </div>
    </form>
  );
}

function safeUsers(text: string, subgraph: string, name: string): string[] {
  try {
    return templateRefUsers(text, subgraph, name);
  } catch {
    return [];
  }
}
