import { lazy, Suspense, useState } from 'react';
import type { NodeTypeInfo, PipelineDetail } from '../api/client.ts';
import type { GraphNode } from '../../../engine/server/protocol/rest.ts';
import { formatTime } from '../app/format.ts';
import { useLiveRun } from '../app/live.ts';
import { clearBar, focusNode, setDetail, useAppStore } from '../app/store.ts';
import { Tabs } from '../app/Tabs.tsx';
import { categoryColor } from '../graph/colors.ts';
import { GatePanel } from './GatePanel.tsx';
import { entryGateIds, isEntryNode, isGateNode } from './gates.ts';
import { HistoryPanel } from './HistoryPanel.tsx';
import { HelpView, ParamsList, PortsList } from './NodeDetails.tsx';
import { ScorerBreakdown } from './ScorerBreakdown.tsx';
import { ValueTable } from './ValueTable.tsx';
import { useInspectedValues } from './values.ts';

const ParamsForm = lazy(() => import('../forms/ParamsForm.tsx').then((m) => ({ default: m.ParamsForm })));

/** Entry nodes that read this gate. */
function entriesOf(detail: PipelineDetail, gateId: string): string[] {
  return detail.nodes.filter((n) => isEntryNode(n) && entryGateIds(n).includes(gateId)).map((n) => n.id);
}

type Section = 'values' | 'history' | 'setup' | 'help';

function SourceNote({ source }: { source: 'live' | 'bar' }) {
  const bar = useAppStore((s) => s.bar);
  const runId = useAppStore((s) => s.runId);
  const run = useLiveRun(runId);
  if (source === 'bar' && bar !== null)
    return (
      <div className="source-note bar">
        at bar #{bar.index}
        {bar.time !== null ? ` · ${formatTime(bar.time)}` : ''}{' '}
        <button type="button" className="link" onClick={clearBar}>
          back to live
        </button>
      </div>
    );
  const text = runId === null ? 'no run: values appear when a run streams' : run === undefined || run.state === 'running' ? 'latest values (live)' : `latest values · run ${run.state}${run.lastTime !== null ? ` at ${formatTime(run.lastTime)}` : ''}`;
  return <div className="source-note">{text}</div>;
}

export function NodeInspector({ node, detail, nodeType, runId }: { node: GraphNode; detail: PipelineDetail; nodeType: NodeTypeInfo | undefined; runId: string | null }) {
  const [section, setSection] = useState<Section>('values');
  const { values, source } = useInspectedValues(node.id);
  const gate = isGateNode(node);
  const entry = isEntryNode(node);
  const scorer = node.type === 'enygma.scorer';
  const editable = detail.kind === 'fork' && !detail.locked;
  return (
    <div className="node-inspector" data-node-id={node.id}>
      <header className="inspector-head" style={{ borderLeftColor: categoryColor(node.category) }}>
        <div className="inspector-title">
          <h2>{node.label ?? node.title}</h2>
          <span className="cat-chip" style={{ background: categoryColor(node.category) }}>
            {node.category}
          </span>
        </div>
        <div className="inspector-id">
          <code>{node.id}</code> · <code>{node.type}</code>
        </div>
        <div className="muted small">
          clock {node.clock}
          {node.group !== null ? (
            <>
              {' '}
              · in{' '}
              <button type="button" className="link" onClick={() => focusNode(`group:${node.group}`)}>
                {node.group}
              </button>
            </>
          ) : null}
          {node.line !== undefined ? ` · YAML line ${node.line}` : ''}
          {node.historyDependent.length > 0 ? ` · history-dependent: ${node.historyDependent.join(', ')}` : ''}
        </div>
        {nodeType?.summary ? <p className="summary">{nodeType.summary}</p> : null}
      </header>
      <Tabs<Section>
        label="Node inspector"
        className="small-tabs"
        active={section}
        onChange={setSection}
        tabs={[
          { id: 'values', label: 'Values' },
          { id: 'history', label: 'History' },
          { id: 'setup', label: editable ? 'Params (edit)' : 'Ports & params' },
          { id: 'help', label: 'Help' },
        ]}
      />
      <div className="inspector-body" role="tabpanel">
        {section === 'values' ? (
          <>
            <SourceNote source={source} />
            {gate || entry ? <GatePanel node={node} values={values} source={source} entries={gate ? entriesOf(detail, node.id) : []} /> : null}
            {scorer ? (
              <section>
                <div className="subhead">Breakdown</div>
                <ScorerBreakdown breakdown={values?.breakdown} />
              </section>
            ) : null}
            <section>
              <div className="subhead">Outputs</div>
              <ValueTable node={node} values={values} />
            </section>
          </>
        ) : null}
        {section === 'history' ? <HistoryPanel node={node} runId={runId} /> : null}
        {section === 'setup' ? (
          <>
            <section>
              <div className="subhead">Params</div>
              {editable && nodeType !== undefined ? (
                <Suspense fallback={<p className="muted">Loading the params form…</p>}>
                  <ParamsForm pipeline={detail} node={node} nodeType={nodeType} onSaved={setDetail} />
                </Suspense>
              ) : (
                <>
                  {detail.kind !== 'fork' ? <p className="muted small">{detail.locked ? 'Locked pipeline: fork it to change params.' : 'Example pipeline: fork it to change params.'}</p> : null}
                  <ParamsList node={node} nodeType={nodeType} />
                </>
              )}
            </section>
            <section>
              <PortsList node={node} detail={detail} nodeType={nodeType} />
            </section>
          </>
        ) : null}
        {section === 'help' ? <HelpView nodeType={nodeType} /> : null}
      </div>
    </div>
  );
}
