import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type JSX } from 'react';
import { api, type Candles, type RunResults, type RunStatus, type TradeInfo } from '../api/client.ts';
import { live } from '../api/stream.ts';
import { isActive } from '../runs/run-state.ts';
import { formatMetric, formatMoney, formatPct, formatPrice, formatUtc, metricNumber, SUMMARY_METRICS } from '../runs/summary.ts';
import { RunChartController, type HoverInfo } from './chart-controller.ts';
import {
  candleIntervalMs,
  defaultTimeframe,
  MAX_CANDLES,
  mergeCandles,
  observedInterval,
  requestTimeframe,
  TIMEFRAME_CHOICES,
  timeframeMs,
  windowAround,
  type TimeframeChoice,
} from './series-data.ts';
import { candleIndexAt, ENTRY_COLOURS, EXIT_CLASSES, EXIT_COLOURS, EXIT_LABELS, exitClass, tradeAt, type TradeEvent } from './trade-marks.ts';
import './RunCharts.css';

/** at most one refresh of results, candles and equity this often while a run is going */
const REFRESH_MS = 2000;

export interface RunChartsProps {
  runId: string | null;
  /** a candle was clicked (the base bar that closes it) or a trade picked (its entry bar): the bar's data index and open time (ms UTC) */
  onSelectBar(index: number, time: number): void;
  /** the selected base bar's open time (ms UTC), highlighted on the charts */
  selectedTime: number | null;
}

function subscribeLive(listener: () => void): () => void {
  const off = live.on(listener);
  return () => {
    off();
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Loaded {
  runId: string;
  choice: TimeframeChoice;
  candles: Candles;
  interval: number;
  /** the window asked for (null: the latest candles) */
  window: { from: number; to: number } | null;
  /** the server had more candles than one request holds */
  truncated: boolean;
}

/**
 * A run's candles with its trades (entries, exits by reason, stop paths), its equity and drawdown
 * on the same time axis, its summary metrics and its trades. Live runs refresh at most every 2 s.
 */
export function RunCharts(props: RunChartsProps): JSX.Element {
  const { runId, onSelectBar, selectedTime } = props;
  const candleEl = useRef<HTMLDivElement>(null);
  const equityEl = useRef<HTMLDivElement>(null);
  const controller = useRef<RunChartController | null>(null);
  const [choice, setChoice] = useState<TimeframeChoice | null>(null);
  const [results, setResults] = useState<RunResults | null>(null);
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [focusedTrade, setFocusedTrade] = useState<number | null>(null);
  const [view, setView] = useState<{ truncated: boolean; window: { from: number; to: number } | null; count: number; interval: number } | null>(null);
  const loaded = useRef<Loaded | null>(null);
  const pump = useRef({ timer: null as ReturnType<typeof setTimeout> | null, busy: false, dirty: false, urgent: false, last: 0 });
  const wanted = useRef<{ runId: string | null; choice: TimeframeChoice | null; window: { from: number; to: number } | null }>({ runId: null, choice: null, window: null });
  const baseTimeframe = useRef<string | null>(null);
  const onSelectRef = useRef(onSelectBar);
  onSelectRef.current = onSelectBar;

  const liveStatus = useSyncExternalStore(subscribeLive, () => (runId === null ? null : (live.state.runs[runId] ?? null)));
  const connected = useSyncExternalStore(subscribeLive, () => live.state.connected);
  const status: RunStatus | null = liveStatus ?? results?.status ?? null;

  // the charts: created once, removed with the component
  useLayoutEffect(() => {
    if (candleEl.current === null || equityEl.current === null) return;
    const c = new RunChartController(candleEl.current, equityEl.current, {
      onHover: setHover,
      onClickCandle: (time) => {
        const l = loaded.current;
        if (l === null) return;
        void api
          .barIndex(l.runId, time + l.interval - 1)
          .then((bar) => onSelectRef.current(bar.index, bar.time))
          .catch((e: unknown) => setError(errorText(e)));
      },
    });
    controller.current = c;
    return () => {
      controller.current = null;
      c.destroy();
    };
  }, []);

  /** One refresh: results, candles (the whole set or the live tail) and equity, applied in place. */
  const refresh = useCallback(async (): Promise<void> => {
    const want = wanted.current;
    const c = controller.current;
    if (want.runId === null || c === null) return;
    const id = want.runId;
    const prev = loaded.current;
    const sameSet = prev !== null && prev.runId === id && prev.choice === want.choice && prev.window === want.window;
    try {
      const res = await api.results(id);
      if (wanted.current.runId !== id) return;
      const tf = typeof res.summary?.['timeframe'] === 'string' ? (res.summary['timeframe'] as string) : null;
      if (tf !== null) baseTimeframe.current = tf;
      const choiceNow = want.choice ?? defaultTimeframe(res.status.barsTotal);
      if (want.choice === null) {
        wanted.current = { ...want, choice: choiceNow };
        setChoice(choiceNow);
      }
      const reqTf = requestTimeframe(choiceNow, baseTimeframe.current);
      // enough equity points for about one per candle (the server thins the curve evenly)
      const baseGuess = baseTimeframe.current === null ? null : timeframeMs(baseTimeframe.current);
      const perCandle = baseGuess === null ? 1 : baseGuess / candleIntervalMs(choiceNow, baseGuess);
      const curveMax = Math.min(MAX_CANDLES, Math.max(1000, Math.ceil(res.status.barsDone * perCandle * 1.25)));
      const tail = sameSet && prev.window === null && prev.candles.time.length > 0;
      const [candles, curve] = await Promise.all([
        tail
          ? api.candles(id, reqTf, prev.candles.time[prev.candles.time.length - 1]!, undefined, MAX_CANDLES)
          : api.candles(id, reqTf, want.window?.from, want.window?.to, MAX_CANDLES),
        api.equity(id, curveMax),
      ]);
      if (wanted.current.runId !== id || controller.current !== c) return;
      const merged = tail ? mergeCandles(prev.candles, candles) : candles;
      const baseMs = baseTimeframe.current === null ? observedInterval(merged.time) : timeframeMs(baseTimeframe.current);
      const interval = candleIntervalMs(choiceNow, baseMs);
      // more candles than one request holds: the latest ones, or a window around a trade
      const truncated = tail ? prev.truncated : want.window !== null || candles.time.length >= MAX_CANDLES;
      const firstLoad = prev === null || prev.runId !== id;
      // a backtest keeps showing all of itself while it fills, until someone scrolls or zooms
      const fit = firstLoad || (res.status.mode === 'backtest' && sameSet && !c.userMoved);
      if (firstLoad) c.userMoved = false;
      c.setCandles(merged, interval, { keepTimeRange: !firstLoad && !sameSet && want.window === null, fit });
      c.setTrades(res.trades);
      const initial = metricNumber(res.summary, 'initialEquity');
      c.setEquity(curve, initial);
      loaded.current = { runId: id, choice: choiceNow, candles: merged, interval, window: want.window, truncated };
      setView({ truncated, window: want.window, count: merged.time.length, interval });
      setResults(res);
      setError(null);
    } catch (e) {
      if (wanted.current.runId === id) setError(errorText(e));
    }
  }, []);

  /** Runs `refresh` now or as soon as the 2 s spacing allows; never two at once. */
  const schedule = useCallback(
    (immediate = false) => {
      const p = pump.current;
      if (p.busy) {
        p.dirty = true;
        p.urgent ||= immediate;
        return;
      }
      if (p.timer !== null) {
        if (!immediate) return;
        clearTimeout(p.timer);
        p.timer = null;
      }
      const wait = immediate ? 0 : Math.max(0, p.last + REFRESH_MS - Date.now());
      p.timer = setTimeout(() => {
        p.timer = null;
        p.busy = true;
        p.dirty = false;
        p.urgent = false;
        void refresh().finally(() => {
          p.busy = false;
          p.last = Date.now();
          if (p.dirty) schedule(p.urgent);
        });
      }, wait);
    },
    [refresh],
  );

  // a new run: start over
  useEffect(() => {
    wanted.current = { runId, choice: null, window: null };
    loaded.current = null;
    baseTimeframe.current = null;
    setChoice(null);
    setResults(null);
    setHover(null);
    setView(null);
    setError(null);
    setFocusedTrade(null);
    // nothing of the previous run stays: no candles, trades, equity or drawdown (a pipeline with no run shows empty charts)
    controller.current?.clear();
    if (runId !== null) schedule(true);
  }, [runId, schedule]);

  // live: every status change of this run asks for a refresh (spaced by the pump)
  const barsDone = liveStatus?.barsDone;
  const state = liveStatus?.state;
  useEffect(() => {
    if (runId !== null && barsDone !== undefined) schedule();
  }, [runId, barsDone, state, schedule]);

  // without the live stream, poll while the run is going
  const going = isActive(status);
  useEffect(() => {
    if (runId === null || connected || !going) return;
    const timer = setInterval(() => schedule(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [runId, connected, going, schedule]);

  useEffect(
    () => () => {
      if (pump.current.timer !== null) clearTimeout(pump.current.timer);
    },
    [],
  );

  // the selected bar
  const lastSelected = useRef<number | null>(null);
  useEffect(() => {
    const c = controller.current;
    if (c === null) return;
    const changed = selectedTime !== lastSelected.current;
    lastSelected.current = selectedTime;
    c.setSelected(selectedTime, changed);
  }, [selectedTime, view]);

  const changeChoice = (next: TimeframeChoice) => {
    setHover(null);
    wanted.current = { ...wanted.current, choice: next, window: null };
    setChoice(next);
    schedule(true);
  };

  const focusTrade = (trade: TradeInfo) => {
    setFocusedTrade(trade.id);
    // when the panel is too short for charts and table together, bring the chart back into view
    candleEl.current?.parentElement?.scrollIntoView({ block: 'nearest' });
    // the bar inspector and the graph show the values at the trade's entry bar
    const id = wanted.current.runId;
    if (id !== null) {
      void api
        .barIndex(id, trade.entryTime)
        .then((bar) => {
          if (wanted.current.runId === id) onSelectRef.current(bar.index, bar.time);
        })
        .catch((e: unknown) => {
          if (wanted.current.runId === id) setError(errorText(e));
        });
    }
    const c = controller.current;
    const l = loaded.current;
    if (c === null || l === null) return;
    const inside = candleIndexAt(l.candles.time, l.interval, trade.entryTime) >= 0;
    if (!inside && l.truncated) {
      wanted.current = { ...wanted.current, window: windowAround((trade.entryTime + trade.exitTime) / 2, l.interval) };
      schedule(true);
    }
    c.focusTimes(trade.entryTime, trade.exitTime);
  };

  const showLatest = () => {
    wanted.current = { ...wanted.current, window: null };
    schedule(true);
  };

  const trades = results?.trades ?? [];
  const summary = results?.summary ?? null;
  const selectedTrade = useMemo(() => (selectedTime === null ? null : tradeAt(trades, selectedTime)), [trades, selectedTime]);
  const baseLabel = baseTimeframe.current ?? 'base';

  return (
    <div className="rc-host">
    <div className="rc" data-testid="run-charts">
      <div className="rc-toolbar">
        <label className="rc-tf">
          <span>Timeframe</span>
          <select data-testid="chart-timeframe" value={choice ?? ''} disabled={runId === null} onChange={(e) => changeChoice(e.target.value as TimeframeChoice)}>
            {choice === null && <option value="">—</option>}
            {TIMEFRAME_CHOICES.map((tf) => (
              <option key={tf} value={tf}>
                {tf === 'base' ? `base (${baseLabel})` : tf}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="rc-btn" disabled={runId === null} onClick={() => controller.current?.fit()} title="Show every loaded candle">
          Fit
        </button>
        {status !== null && (
          <span className={`rc-state rc-state-${status.state}`} title={status.error ?? undefined}>
            {status.pipeline} · {status.mode} · {status.state}
            {isActive(status) ? ` · ${status.barsDone.toLocaleString('en-US')} / ${status.barsTotal.toLocaleString('en-US')} bars` : ''}
          </span>
        )}
        {view?.truncated === true && (
          <span className="rc-window" data-testid="chart-window">
            {view.window === null
              ? `latest ${view.count.toLocaleString('en-US')} candles — a trade outside them loads its own stretch; a longer timeframe shows the whole run`
              : `${formatUtc(view.window.from)} → ${formatUtc(view.window.to)}`}
            {view.window !== null && (
              <button type="button" className="rc-btn rc-btn-small" onClick={showLatest}>
                latest
              </button>
            )}
          </span>
        )}
        <Keys />
      </div>
      {error !== null && (
        <div className="rc-error" role="alert" data-testid="charts-error">
          {error}
        </div>
      )}
      <Legend hover={hover} />
      <div className={`rc-charts${runId === null ? ' rc-charts-none' : ''}`}>
        <div className="rc-candles-wrap">
          <div className="rc-chart" data-testid="candle-chart" ref={candleEl} />
          {hover !== null && hover.chart === 'candles' && hover.events.length > 0 && <EventsTooltip hover={hover} />}
          {runId === null && <div className="rc-empty">No run of this pipeline yet: start a backtest or a replay.</div>}
        </div>
        <div className="rc-equity-wrap">
          <div className="rc-chart" data-testid="equity-chart" ref={equityEl} />
        </div>
      </div>
      <div className="rc-side">
        <SummaryGrid summary={summary} />
        <TradesTable trades={trades} focused={focusedTrade} selected={selectedTrade?.id ?? null} onPick={focusTrade} />
      </div>
    </div>
    </div>
  );
}

function Legend(props: { hover: HoverInfo | null }): JSX.Element {
  const h = props.hover;
  return (
    <div className="rc-legend">
      <span className="rc-ohlc">
        {h === null ? (
          <span className="rc-muted">hover a candle; click one to inspect the bar that closes it</span>
        ) : (
          <>
            <b>{formatUtc(h.time)}</b> O {formatPrice(h.open)} H {formatPrice(h.high)} L {formatPrice(h.low)} C {formatPrice(h.close)}
            {h.equity !== null && <> · equity {formatMoney(h.equity)}</>}
            {h.drawdownPct !== null && <> · drawdown {formatPct(h.drawdownPct)}</>}
          </>
        )}
      </span>
    </div>
  );
}

/** What the markers and lines mean. */
function Keys(): JSX.Element {
  return (
    <span className="rc-keys">
        <span className="rc-key">
          <i style={{ color: ENTRY_COLOURS.long }}>▲</i> long
        </span>
        <span className="rc-key">
          <i style={{ color: ENTRY_COLOURS.short }}>▼</i> short
        </span>
        {EXIT_CLASSES.map((cls) => (
          <span key={cls} className="rc-key" title={`exits: ${EXIT_LABELS[cls]} (■ the exit that closed the trade, ● a partial)`}>
            <i style={{ color: EXIT_COLOURS[cls] }}>●</i> {cls}
          </span>
        ))}
        <span className="rc-key">
          <i className="rc-stop-key" /> stop path
        </span>
    </span>
  );
}

function eventLine(e: TradeEvent): JSX.Element {
  if (e.kind === 'entry') {
    return (
      <div key={`e${e.trade.id}`} className="rc-tip-line">
        <i style={{ color: ENTRY_COLOURS[e.side] }}>{e.side === 'long' ? '▲' : '▼'}</i> #{e.trade.id} {e.side} entry @ {formatPrice(e.price)} · {e.trade.lots} lots · {e.reason}
        {e.score !== null && <> · score {Math.round(e.score * 100) / 100}</>}
        {e.confidence !== null && <> · conf {e.confidence}</>}
      </div>
    );
  }
  return (
    <div key={`x${e.trade.id}-${e.time}-${e.reason}`} className="rc-tip-line">
      <i style={{ color: EXIT_COLOURS[e.cls] }}>{e.final ? '■' : '●'}</i> #{e.trade.id} exit: {e.reason}
      {' '}@ {formatPrice(e.price)} · {e.lots} lots
      {e.final && (
        <>
          {' '}
          · net <span className={Number(e.trade.netPnl) >= 0 ? 'rc-pos' : 'rc-neg'}>{formatMoney(e.trade.netPnl)}</span> ({formatPct(e.trade.roiPct)} ROI)
        </>
      )}
    </div>
  );
}

function EventsTooltip(props: { hover: HoverInfo }): JSX.Element {
  const h = props.hover;
  const left = h.x > 360 ? h.x - 340 : h.x + 16;
  return (
    <div className="rc-tip" data-testid="chart-tooltip" style={{ left: Math.max(4, left), top: Math.max(4, h.y - 10) }}>
      {h.events.map(eventLine)}
    </div>
  );
}

function SummaryGrid(props: { summary: Record<string, unknown> | null }): JSX.Element {
  const s = props.summary;
  return (
    <div className="rc-summary" data-testid="summary-metrics">
      {SUMMARY_METRICS.map((def) => {
        const f = formatMetric(s, def);
        const n = metricNumber(s, def.key);
        const signed = def.key === 'netPnl' || def.key === 'returnPct';
        const cls = signed && n !== null && n !== 0 ? (n > 0 ? 'rc-pos' : 'rc-neg') : '';
        return (
          <div key={def.key} className="rc-metric" data-testid={`metric-${def.key}`} title={f.title}>
            <span className="rc-metric-label">{def.label}</span>
            <span className={`rc-metric-value ${cls}`}>{f.text}</span>
          </div>
        );
      })}
    </div>
  );
}

function TradesTable(props: { trades: TradeInfo[]; focused: number | null; selected: number | null; onPick(trade: TradeInfo): void }): JSX.Element {
  const { trades, focused, selected, onPick } = props;
  return (
    <div className="rc-trades" data-testid="trades-table">
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>side</th>
            <th>entry (UTC)</th>
            <th className="num">price</th>
            <th>exit (UTC)</th>
            <th className="num">price</th>
            <th className="num">lots</th>
            <th className="num">net PnL</th>
            <th className="num">ROI</th>
            <th>exit reason</th>
            <th>entry reason</th>
          </tr>
        </thead>
        <tbody>
          {trades.length === 0 && (
            <tr>
              <td colSpan={11} className="rc-muted">
                no closed trade yet
              </td>
            </tr>
          )}
          {trades.map((t) => {
            const net = Number(t.netPnl);
            const score = t.entryDetail?.['score'];
            return (
              <tr
                key={t.id}
                data-testid={`trade-row-${t.id}`}
                className={`${t.id === focused ? 'rc-focused' : ''} ${t.id === selected ? 'rc-selected' : ''}`}
                onClick={() => onPick(t)}
                title="Show this trade on the chart"
              >
                <td>{t.id}</td>
                <td className={t.side === 'long' ? 'rc-long' : 'rc-short'}>{t.side}</td>
                <td>{formatUtc(t.entryTime)}</td>
                <td className="num">{formatPrice(t.entryPrice)}</td>
                <td>{formatUtc(t.exitTime)}</td>
                <td className="num" title={t.exitPrice}>
                  {formatPrice(Number(Number(t.exitPrice).toFixed(2)))}
                </td>
                <td className="num">{t.lots}</td>
                <td className={`num ${net > 0 ? 'rc-pos' : net < 0 ? 'rc-neg' : ''}`} title={`${t.netPnl} USDT (gross ${t.grossPnl}, fees ${t.fees}, funding ${t.funding})`}>
                  {formatMoney(t.netPnl)}
                </td>
                <td className={`num ${t.roiPct > 0 ? 'rc-pos' : t.roiPct < 0 ? 'rc-neg' : ''}`}>{formatPct(t.roiPct)}</td>
                <td>
                  <i className="rc-dot" style={{ background: EXIT_COLOURS[exitClass(t.exitReason)] }} />
                  {t.exitReason}
                  {t.exits.length > 1 ? ` (+${t.exits.length - 1} partial)` : ''}
                </td>
                <td>
                  {t.entryReason}
                  {typeof score === 'number' ? ` · ${Math.round(score * 100) / 100}` : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
