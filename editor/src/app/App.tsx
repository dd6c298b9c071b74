import { lazy, Suspense, useEffect, useState } from 'react';
import type { RunStatus } from '../api/client.ts';
import { GraphView } from '../graph/GraphView.tsx';
import { Inspector } from '../inspector/Inspector.tsx';
import { RunControls } from '../runs/RunControls.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Header } from './Header.tsx';
import { Splitter } from './Splitter.tsx';
import { dismissNotice, selectBar, setBottomTab, setDetail, setMainTab, setRun, toggleBottom, useAppStore } from './store.ts';
import { Tabs } from './Tabs.tsx';

// heavy panels load on first use, so the graph draws without waiting for Monaco or the charts
const YamlEditor = lazy(() => import('../yaml/YamlEditor.tsx').then((m) => ({ default: m.YamlEditor })));
const RunCharts = lazy(() => import('../charts/RunCharts.tsx').then((m) => ({ default: m.RunCharts })));
const CompareRuns = lazy(() => import('../runs/CompareRuns.tsx').then((m) => ({ default: m.CompareRuns })));
const SweepPanel = lazy(() => import('../sweeps/SweepPanel.tsx').then((m) => ({ default: m.SweepPanel })));

const onSelectBar = (index: number, time: number) => void selectBar(index, time);
const onRunStarted = (run: RunStatus) => setRun(run);

function Loading({ what }: { what: string }) {
  return <div className="panel-loading muted">Loading {what}…</div>;
}

function MainArea() {
  const detail = useAppStore((s) => s.detail);
  const detailError = useAppStore((s) => s.detailError);
  const name = useAppStore((s) => s.pipelineName);
  const tab = useAppStore((s) => s.mainTab);
  const nodeTypes = useAppStore((s) => s.nodeTypes);
  const [yamlVisited, setYamlVisited] = useState(false);
  useEffect(() => {
    if (tab === 'yaml') setYamlVisited(true);
  }, [tab]);
  return (
    <section className="main-area" aria-label="Pipeline">
      <Tabs
        label="Main view"
        active={tab}
        onChange={setMainTab}
        tabs={[
          { id: 'graph', label: 'Graph', testId: 'tab-graph' },
          { id: 'yaml', label: 'YAML', testId: 'tab-yaml' },
        ]}
      />
      <div className="main-panels">
        {detailError !== null ? (
          <div className="panel-error" role="alert">
            Cannot open {name}: {detailError}
          </div>
        ) : detail === null ? (
          <div className="panel-loading muted">Loading {name ?? 'pipeline'}…</div>
        ) : (
          <>
            <div className="main-panel" hidden={tab !== 'graph'} role="tabpanel" aria-label="Graph">
              <ErrorBoundary name="Graph">
                <GraphView detail={detail} />
              </ErrorBoundary>
            </div>
            {yamlVisited || tab === 'yaml' ? (
              <div className="main-panel" hidden={tab !== 'yaml'} role="tabpanel" aria-label="YAML">
                <ErrorBoundary name="YAML editor">
                  <Suspense fallback={<Loading what="the YAML editor" />}>
                    <YamlEditor key={detail.name} pipeline={detail} nodeTypes={nodeTypes} readOnly={detail.kind !== 'fork' || detail.locked} onSaved={setDetail} />
                  </Suspense>
                </ErrorBoundary>
              </div>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}

function BottomPanel({ height, onResize }: { height: number; onResize(h: number): void }) {
  const tab = useAppStore((s) => s.bottomTab);
  const open = useAppStore((s) => s.bottomOpen);
  const detail = useAppStore((s) => s.detail);
  const runId = useAppStore((s) => s.runId);
  const selectedTime = useAppStore((s) => s.bar?.time ?? null);
  return (
    <section className={`bottom-panel${open ? '' : ' closed'}`} style={open ? { height } : undefined} aria-label="Runs">
      {open ? <Splitter orientation="horizontal" value={height} min={160} max={Math.max(200, window.innerHeight - 220)} onChange={onResize} label="Resize the run panel" invert /> : null}
      <div className="bottom-bar">
        <Tabs
          label="Run panel"
          active={tab}
          onChange={setBottomTab}
          tabs={[
            { id: 'run', label: 'Run', testId: 'tab-run' },
            { id: 'compare', label: 'Compare', testId: 'tab-compare' },
            { id: 'sweep', label: 'Sweep', testId: 'sweep-tab' },
          ]}
        />
        <div className="run-controls-slot">
          <ErrorBoundary name="Run controls">
            <RunControls pipeline={detail} runId={runId} onRunStarted={onRunStarted} />
          </ErrorBoundary>
        </div>
        <button type="button" className="icon-button" onClick={toggleBottom} aria-expanded={open} aria-label={open ? 'Hide the run panel' : 'Show the run panel'} title={open ? 'Hide the run panel' : 'Show the run panel'}>
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open ? (
        <div className="bottom-content" role="tabpanel">
          {tab === 'run' ? (
            <div className="run-tab">
              <ErrorBoundary name="Run charts">
                <Suspense fallback={<Loading what="charts" />}>
                  <RunCharts runId={runId} onSelectBar={onSelectBar} selectedTime={selectedTime} />
                </Suspense>
              </ErrorBoundary>
            </div>
          ) : tab === 'compare' ? (
            <ErrorBoundary name="Compare">
              <Suspense fallback={<Loading what="the comparison" />}>
                <CompareRuns pipeline={detail} />
              </Suspense>
            </ErrorBoundary>
          ) : (
            <ErrorBoundary name="Sweep">
              <Suspense fallback={<Loading what="the sweep panel" />}>
                <SweepPanel pipeline={detail} />
              </Suspense>
            </ErrorBoundary>
          )}
        </div>
      ) : null}
    </section>
  );
}

function Notice() {
  const notice = useAppStore((s) => s.notice);
  if (notice === null) return null;
  return (
    <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
      <button type="button" className="icon-button" onClick={dismissNotice} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}

const stored = (key: string, fallback: number): number => {
  const v = Number(localStorage.getItem(key));
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

export function App() {
  const [inspectorWidth, setInspectorWidth] = useState(() => stored('barflow.inspectorWidth', window.innerWidth < 1500 ? 380 : 420));
  const [bottomHeight, setBottomHeight] = useState(() => stored('barflow.bottomHeight', Math.round(Math.min(340, window.innerHeight * 0.32))));
  useEffect(() => localStorage.setItem('barflow.inspectorWidth', String(inspectorWidth)), [inspectorWidth]);
  useEffect(() => localStorage.setItem('barflow.bottomHeight', String(bottomHeight)), [bottomHeight]);
  return (
    <div className="app">
      <Header />
      <div className="workspace" style={{ gridTemplateColumns: `minmax(0, 1fr) auto ${inspectorWidth}px` }}>
        <MainArea />
        <Splitter orientation="vertical" value={inspectorWidth} min={300} max={Math.max(320, Math.round(window.innerWidth * 0.6))} onChange={setInspectorWidth} label="Resize the inspector" invert />
        <ErrorBoundary name="Inspector">
          <Inspector />
        </ErrorBoundary>
      </div>
      <BottomPanel height={bottomHeight} onResize={setBottomHeight} />
      <Notice />
    </div>
  );
}
