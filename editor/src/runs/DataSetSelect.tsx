import type { JSX } from 'react';
import type { DataSet } from './run-state.ts';

/**
 * The data a run, comparison or sweep reads: the pipeline's own feed file ('' — labelled by the
 * caller) or one of the server's data sets, by name. One control for the three places that ask.
 */
export function DataSetSelect(props: { testId: string; value: string; onChange: (choice: string) => void; sets: readonly DataSet[]; ownLabel: string; ownTitle?: string; disabled?: boolean }): JSX.Element {
  return (
    <select data-testid={props.testId} value={props.value} onChange={(e) => props.onChange(e.target.value)} disabled={props.disabled}>
      <option value="" title={props.ownTitle}>
        {props.ownLabel}
      </option>
      {props.sets.map((s) => (
        <option key={s.name} value={s.name} title={s.file}>
          {s.name}
        </option>
      ))}
    </select>
  );
}
