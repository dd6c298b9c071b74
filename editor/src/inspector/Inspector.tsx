import { formatTime } from '../app/format.ts';
import { setSideTab, useAppStore } from '../app/store.ts';
import { Tabs } from '../app/Tabs.tsx';
import { BarInspector } from './BarInspector.tsx';
import { GroupInspector } from './GroupInspector.tsx';
import { NodeInspector } from './NodeInspector.tsx';

function Nothing() {
  const detail = useAppStore((s) => s.detail);
  return (
    <div className="inspector-empty">
      <p>Select a node in the graph to see its live values, its history, its params and its help.</p>
      {detail !== null ? (
        <>
          <h3>{detail.name}</h3>
          {detail.description ? <p className="muted">{detail.description}</p> : null}
          <p className="muted small">
            {detail.nodes.length} nodes{detail.groups.length > 0 ? ` in ${detail.groups.length} sub-graph instances` : ''} · hash <code>{detail.hash?.slice(0, 12) ?? '—'}</code>
          </p>
        </>
      ) : null}
    </div>
  );
}

/** The right-hand panel: the selected node, or every node at the picked bar. */
export function Inspector() {
  const detail = useAppStore((s) => s.detail);
  const selected = useAppStore((s) => s.selected);
  const sideTab = useAppStore((s) => s.sideTab);
  const runId = useAppStore((s) => s.runId);
  const types = useAppStore((s) => s.nodeTypeMap);
  const bar = useAppStore((s) => s.bar);
  const node = detail?.nodes.find((n) => n.id === selected) ?? null;
  const group = selected?.startsWith('group:') ? (detail?.groups.find((g) => `group:${g.id}` === selected) ?? null) : null;
  return (
    <aside className="inspector" data-testid="inspector" aria-label="Inspector">
      <Tabs
        label="Inspector"
        active={sideTab}
        onChange={setSideTab}
        tabs={[
          { id: 'node', label: node !== null ? `Node · ${node.id}` : group !== null ? `Instance · ${group.id}` : 'Node', testId: 'inspector-tab-node' },
          { id: 'bar', label: bar !== null ? `Bar · ${bar.time !== null ? formatTime(bar.time).slice(5) : `#${bar.index}`}` : 'Bar', testId: 'inspector-tab-bar' },
        ]}
      />
      <div className="inspector-content" role="tabpanel">
        {detail === null ? null : sideTab === 'bar' ? (
          <BarInspector detail={detail} />
        ) : node !== null ? (
          <NodeInspector key={node.id} node={node} detail={detail} nodeType={types.get(node.type)} runId={runId} />
        ) : group !== null ? (
          <GroupInspector group={group} detail={detail} />
        ) : (
          <Nothing />
        )}
      </div>
    </aside>
  );
}
