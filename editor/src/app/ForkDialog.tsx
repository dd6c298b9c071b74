import { useEffect, useRef, useState, type FormEvent } from 'react';
import { PIPELINE_NAME_PATTERN } from '../../../engine/server/protocol/rest.ts';
import { ApiError } from '../api/client.ts';
import { setToken, token } from '../api/token.ts';
import { forkPipeline, useAppStore } from './store.ts';

function suggestName(source: string, taken: ReadonlySet<string>): string {
  const base = `my-${source}`.slice(0, 60);
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** Asks for the fork's name, forks the open pipeline and opens the fork. */
export function ForkDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const source = useAppStore((s) => s.pipelineName);
  const pipelines = useAppStore((s) => s.pipelines);
  const ref = useRef<HTMLDialogElement | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [needsToken, setNeedsToken] = useState(false);
  const [tokenText, setTokenText] = useState('');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) {
      const taken = new Set((pipelines ?? []).map((p) => p.name));
      setName(suggestName(source ?? 'pipeline', taken));
      setError(null);
      setNeedsToken(token() === null);
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open, pipelines, source]);

  const valid = PIPELINE_NAME_PATTERN.test(name);
  const exists = (pipelines ?? []).some((p) => p.name === name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid || exists || busy) return;
    if (needsToken && tokenText.trim() !== '') setToken(tokenText.trim());
    setBusy(true);
    setError(null);
    try {
      await forkPipeline(name);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setNeedsToken(true);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="fork-title" data-testid="fork-dialog">
      <form onSubmit={submit}>
        <h2 id="fork-title">Fork {source}</h2>
        <p className="muted">A fork is an editable copy (pipelines/forks/&lt;name&gt;.yaml) that remembers what it was forked from.</p>
        <label className="field">
          <span>Name</span>
          <input
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value.toLowerCase())}
            aria-invalid={!valid || exists}
            aria-describedby="fork-hint"
            data-testid="fork-name"
            spellCheck={false}
            autoComplete="off"
            maxLength={64}
          />
        </label>
        <div id="fork-hint" className={`hint ${!valid || exists ? 'error-text' : 'muted'}`}>
          {exists ? `"${name}" already exists` : valid ? 'lowercase letters, digits, "-" or "_"' : 'use lowercase letters, digits, "-" or "_" (starting with a letter or digit, at most 64)'}
        </div>
        {needsToken ? (
          <label className="field">
            <span>Server token</span>
            <input type="password" value={tokenText} onChange={(e) => setTokenText(e.target.value)} placeholder="from the URL `barflow serve` printed (#token=…)" autoComplete="off" />
          </label>
        ) : null}
        {error !== null ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!valid || exists || busy} data-testid="fork-confirm">
            {busy ? 'Forking…' : 'Fork'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
