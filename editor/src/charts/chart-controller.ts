import {
  AreaSeries,
  BaselineSeries,
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  LineSeries,
  LineStyle,
  LineType,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type LogicalRange,
  type MouseEventParams,
  type SeriesMarker,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Candles, TradeInfo } from '../api/client.ts';
import { SelectionLine } from './selection-line.ts';
import { alignEquity, firstDifference, samePoint, updatePlan, type EquityCurve } from './series-data.ts';
import { candleIndexAt, STOP_PATH_COLOUR, stopPathLanes, tradeEvents, tradeMarkers, type LinePoint, type TradeEvent } from './trade-marks.ts';

/**
 * The two lightweight-charts charts of a run, driven imperatively (React only mounts them): candles
 * with trade markers, stop paths and the selected bar; equity and drawdown below, on exactly the
 * candles' time points so zoom, scroll and crosshair are shared index for index. Every update is
 * applied in place where it can be (the tail of a live run), so nothing blinks.
 */

const sec = (ms: number) => (ms / 1000) as UTCTimestamp;
const ms = (t: Time) => (t as number) * 1000;

export interface ChartTheme {
  background: string;
  text: string;
  grid: string;
  border: string;
  up: string;
  down: string;
  equity: string;
  equityBelow: string;
  drawdown: string;
  select: string;
  selectEdge: string;
}

const DEFAULT_THEME: ChartTheme = {
  background: '#12161c',
  text: '#b8c0cc',
  grid: '#1e252e',
  border: '#2a323d',
  up: '#26a69a',
  down: '#ef5350',
  equity: '#42a5f5',
  equityBelow: '#ef9a9a',
  drawdown: '#ef5350',
  select: 'rgba(255, 213, 79, 0.22)',
  selectEdge: 'rgba(255, 213, 79, 0.8)',
};

/** The theme from CSS custom properties on or above `el` (--bf-chart-*, then the shell's --panel, --muted, --border), defaults otherwise. */
export function themeFrom(el: HTMLElement): ChartTheme {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string, shell?: string) =>
    style.getPropertyValue(`--bf-chart-${name}`).trim() || (shell === undefined ? '' : style.getPropertyValue(shell).trim()) || fallback;
  return {
    background: read('bg', DEFAULT_THEME.background, '--panel'),
    text: read('text', DEFAULT_THEME.text, '--muted'),
    grid: read('grid', DEFAULT_THEME.grid),
    border: read('border', DEFAULT_THEME.border, '--border'),
    up: read('up', DEFAULT_THEME.up),
    down: read('down', DEFAULT_THEME.down),
    equity: read('equity', DEFAULT_THEME.equity),
    equityBelow: read('equity-below', DEFAULT_THEME.equityBelow),
    drawdown: read('drawdown', DEFAULT_THEME.drawdown),
    select: read('select', DEFAULT_THEME.select),
    selectEdge: read('select-edge', DEFAULT_THEME.selectEdge),
  };
}

export interface HoverInfo {
  index: number;
  /** candle open time, ms */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  equity: number | null;
  drawdownPct: number | null;
  events: TradeEvent[];
  /** mouse position inside the chart that reported it */
  x: number;
  y: number;
  chart: 'candles' | 'equity';
}

export interface ControllerHandlers {
  /** a candle was clicked: its open time (ms) */
  onClickCandle(time: number): void;
  onHover(info: HoverInfo | null): void;
}

type CandlePoint = { time: number; open: number; high: number; low: number; close: number };

const PRICE_SCALE_WIDTH = 78;
const FIT_MIN_CANDLES = 80;
const MIN_VISIBLE_CANDLES = 60;
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'wheel', 'touchstart', 'keydown'] as const;

export class RunChartController {
  private readonly candleChart: IChartApi;
  private readonly equityChart: IChartApi;
  private readonly candleSeries: ISeriesApi<'Candlestick'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private readonly equitySeries: ISeriesApi<'Baseline'>;
  private readonly drawdownSeries: ISeriesApi<'Area'>;
  private readonly selections: SelectionLine[] = [];
  private readonly stopLanes: ISeriesApi<'Line'>[] = [];
  private readonly theme: ChartTheme;

  private candles: CandlePoint[] = [];
  private times: number[] = [];
  private interval = 30 * 60_000;
  private trades: readonly TradeInfo[] = [];
  private curve: EquityCurve = { time: [], equity: [], drawdownPct: [] };
  private initialEquity: number | null = null;
  private equityPoints: LinePoint[] = [];
  private drawdownPoints: LinePoint[] = [];
  private lanePoints: LinePoint[][] = [];
  private events = new Map<number, TradeEvent[]>();
  private selected: number | null = null;
  private pendingFocus: { from: number; to: number } | null = null;
  private syncing = false;
  private equityUserUntil = 0;
  /** someone scrolled or zoomed a chart (the view is theirs: no more automatic fitting) */
  userMoved = false;
  private readonly candleEl: HTMLElement;
  private readonly equityEl: HTMLElement;
  private destroyed = false;

  constructor(
    candleEl: HTMLElement,
    equityEl: HTMLElement,
    private readonly handlers: ControllerHandlers,
  ) {
    this.theme = themeFrom(candleEl);
    const t = this.theme;
    const common = {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: t.background }, textColor: t.text, fontSize: 11, attributionLogo: false, panes: { separatorColor: t.border, separatorHoverColor: t.grid } },
      grid: { vertLines: { color: t.grid }, horzLines: { color: t.grid } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: t.border, minimumWidth: PRICE_SCALE_WIDTH },
      timeScale: { borderColor: t.border, timeVisible: true, secondsVisible: false, rightOffset: 4, minBarSpacing: 0.05 },
      localization: { dateFormat: 'yyyy-MM-dd' },
    } as const;
    this.candleChart = createChart(candleEl, common);
    this.equityChart = createChart(equityEl, common);

    this.candleSeries = this.candleChart.addSeries(CandlestickSeries, {
      upColor: t.up,
      downColor: t.down,
      borderUpColor: t.up,
      borderDownColor: t.down,
      wickUpColor: t.up,
      wickDownColor: t.down,
      priceLineVisible: false,
    });
    this.markers = createSeriesMarkers(this.candleSeries, [], { zOrder: 'aboveSeries' });

    this.equitySeries = this.equityChart.addSeries(BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      topLineColor: t.equity,
      topFillColor1: 'rgba(66, 165, 245, 0.25)',
      topFillColor2: 'rgba(66, 165, 245, 0.02)',
      bottomLineColor: t.equityBelow,
      bottomFillColor1: 'rgba(239, 83, 80, 0.02)',
      bottomFillColor2: 'rgba(239, 83, 80, 0.25)',
      lineWidth: 2,
      priceLineVisible: false,
      title: 'equity',
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
    });
    this.drawdownSeries = this.equityChart.addSeries(
      AreaSeries,
      {
        lineColor: t.drawdown,
        topColor: 'rgba(239, 83, 80, 0.05)',
        bottomColor: 'rgba(239, 83, 80, 0.45)',
        lineWidth: 1,
        priceLineVisible: false,
        title: 'drawdown',
        priceFormat: { type: 'custom', formatter: (v: number) => `${v.toFixed(2)}%`, minMove: 0.01 },
        invertFilledArea: true,
      },
      1,
    );
    const panes = this.equityChart.panes();
    panes[0]?.setStretchFactor(0.65);
    panes[1]?.setStretchFactor(0.35);

    for (const series of [this.candleSeries, this.equitySeries, this.drawdownSeries] as ISeriesApi<SeriesType>[]) {
      const line = new SelectionLine(t.select, t.selectEdge);
      series.attachPrimitive(line);
      this.selections.push(line);
    }

    this.candleChart.timeScale().subscribeVisibleLogicalRangeChange(this.onCandleRange);
    this.equityChart.timeScale().subscribeVisibleLogicalRangeChange(this.onEquityRange);
    this.candleChart.subscribeCrosshairMove(this.onCandleCrosshair);
    this.equityChart.subscribeCrosshairMove(this.onEquityCrosshair);
    this.candleChart.subscribeClick(this.onClick);
    this.equityChart.subscribeClick(this.onClick);
    this.equityEl = equityEl;
    this.candleEl = candleEl;
    for (const type of INPUT_EVENTS) {
      equityEl.addEventListener(type, this.onEquityInput, { passive: true, capture: true });
      candleEl.addEventListener(type, this.onCandleInput, { passive: true, capture: true });
    }
  }

  private readonly onEquityInput = (event: Event) => {
    if (event.type === 'pointermove' && (event as PointerEvent).buttons === 0) return;
    if (event.type !== 'pointerdown') this.userMoved = true;
    this.markEquityInput();
  };

  private readonly onCandleInput = (event: Event) => {
    if (event.type === 'pointermove' && (event as PointerEvent).buttons === 0) return;
    if (event.type !== 'pointerdown') this.userMoved = true;
  };

  destroy(): void {
    this.destroyed = true;
    for (const type of INPUT_EVENTS) {
      this.equityEl.removeEventListener(type, this.onEquityInput, { capture: true });
      this.candleEl.removeEventListener(type, this.onCandleInput, { capture: true });
    }
    this.candleChart.remove();
    this.equityChart.remove();
  }

  get candleCount(): number {
    return this.candles.length;
  }

  get candleTimes(): readonly number[] {
    return this.times;
  }

  /**
   * New candles (a live tail merged in, or a whole new set). `keepTimeRange`: a new timeframe shows
   * the same stretch of time it showed before.
   */
  setCandles(c: Candles, intervalMs: number, options: { keepTimeRange?: boolean; fit?: boolean } = {}): void {
    if (this.destroyed) return;
    const before = options.keepTimeRange && this.times.length > 0 ? this.visibleTimeRange() : null;
    const next: CandlePoint[] = c.time.map((time, k) => ({ time, open: c.open[k]!, high: c.high[k]!, low: c.low[k]!, close: c.close[k]! }));
    const intervalChanged = intervalMs !== this.interval;
    this.interval = intervalMs;
    const same = (a: CandlePoint, b: CandlePoint) => a.time === b.time && a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close;
    const plan = intervalChanged ? { mode: 'set' as const } : updatePlan(this.candles, next, same);
    // many candles appended at once are set in one go: the view stays where it was (same indices)
    const appended = plan.mode === 'set' && !intervalChanged && this.candles.length > 0 && next.length >= this.candles.length && firstDifference(this.candles, next, same) >= this.candles.length - 1;
    const keep = appended && before === null && !options.fit ? this.candleChart.timeScale().getVisibleLogicalRange() : null;
    const toBar = (p: CandlePoint) => ({ time: sec(p.time), open: p.open, high: p.high, low: p.low, close: p.close });
    if (plan.mode === 'set') this.candleSeries.setData(next.map(toBar));
    else if (plan.mode === 'update') for (let k = plan.from; k < next.length; k++) this.candleSeries.update(toBar(next[k]!));
    this.candles = next;
    this.times = c.time.slice();
    this.refreshDerived(plan.mode === 'set');
    if (before !== null && plan.mode === 'set') this.showTimeRange(before.from, before.to);
    else if (keep !== null) this.setRange(keep);
    else if (options.fit) {
      // a handful of candles fitted would be a few huge bars: show them at the usual spacing instead
      if (next.length >= FIT_MIN_CANDLES) this.candleChart.timeScale().fitContent();
      else this.candleChart.timeScale().scrollToRealTime();
    }
    if (this.pendingFocus !== null) {
      const f = this.pendingFocus;
      this.pendingFocus = null;
      this.focusTimes(f.from, f.to);
    }
  }

  /**
   * Forgets the run shown: candles, trades, stop paths, equity, drawdown and the selection (another
   * pipeline with no run must not keep showing the previous one's charts).
   */
  clear(): void {
    if (this.destroyed) return;
    this.pendingFocus = null;
    this.userMoved = false;
    this.trades = [];
    this.curve = { time: [], equity: [], drawdownPct: [] };
    this.initialEquity = null;
    this.selected = null;
    this.candleSeries.setData([]);
    this.candles = [];
    this.times = [];
    this.refreshTrades();
    this.refreshEquity(true);
    this.refreshSelection();
  }

  setTrades(trades: readonly TradeInfo[]): void {
    if (this.destroyed) return;
    this.trades = trades;
    this.refreshTrades();
  }

  setEquity(curve: EquityCurve, initialEquity: number | null): void {
    if (this.destroyed) return;
    this.curve = curve;
    if (initialEquity !== null && initialEquity !== this.initialEquity) {
      this.initialEquity = initialEquity;
      this.equitySeries.applyOptions({ baseValue: { type: 'price', price: initialEquity } });
    }
    this.refreshEquity(false);
  }

  /** The selected bar (ms; any time inside the candle), highlighted on both charts; `reveal` scrolls to it when off screen. */
  setSelected(time: number | null, reveal: boolean): void {
    if (this.destroyed) return;
    this.selected = time;
    this.refreshSelection();
    if (reveal && time !== null) {
      const k = candleIndexAt(this.times, this.interval, time);
      const range = this.candleChart.timeScale().getVisibleLogicalRange();
      if (k >= 0 && range !== null && (k < range.from || k > range.to)) {
        const w = range.to - range.from;
        this.setRange({ from: k - w / 2, to: k + w / 2 });
      }
    }
  }

  /** Scrolls (and zooms out if needed) so [from, to] (ms) is in view with some room around it; waits for the candles when they are not loaded yet. */
  focusTimes(from: number, to: number): void {
    if (this.destroyed) return;
    this.userMoved = true;
    const a = candleIndexAt(this.times, this.interval, from);
    const b = candleIndexAt(this.times, this.interval, to);
    if (a < 0 && b < 0) {
      this.pendingFocus = { from, to };
      return;
    }
    const start = a < 0 ? 0 : a;
    const end = b < 0 ? this.times.length - 1 : b;
    // zoom to a readable stretch around the trade: between 60 and 240 candles, the trade in the middle third
    const range = this.candleChart.timeScale().getVisibleLogicalRange();
    const current = range === null ? 120 : range.to - range.from;
    let w = Math.min(240, Math.max(60, current));
    if ((end - start) * 3 + 10 > w) w = (end - start) * 3 + 10;
    const mid = (start + end) / 2;
    this.setRange({ from: mid - w / 2, to: mid + w / 2 });
  }

  fit(): void {
    this.candleChart.timeScale().fitContent();
    const range = this.candleChart.timeScale().getVisibleLogicalRange();
    if (range !== null) this.copyRange(range, this.equityChart);
  }

  /** The visible stretch of time (ms), for loading another window or timeframe over the same view. */
  visibleTimeRange(): { from: number; to: number } | null {
    const r = this.candleChart.timeScale().getVisibleRange();
    return r === null ? null : { from: ms(r.from), to: ms(r.to) };
  }

  /** The same stretch of time on new candles, widened to a readable number of them around its middle. */
  private showTimeRange(from: number, to: number): void {
    const n = this.times.length;
    if (n === 0) return;
    const a = Math.max(0, candleIndexAt(this.times, this.interval, from));
    let b = candleIndexAt(this.times, this.interval, to);
    if (b < 0) b = n - 1;
    if (b - a >= MIN_VISIBLE_CANDLES) {
      this.setRange({ from: a, to: b });
      return;
    }
    const mid = (a + b) / 2;
    const half = Math.min(MIN_VISIBLE_CANDLES, n) / 2;
    const start = Math.max(-2, Math.min(mid - half, n - 2 * half));
    this.setRange({ from: start, to: start + 2 * half + 2 });
  }

  private setRange(range: LogicalRange | { from: number; to: number }): void {
    this.candleChart.timeScale().setVisibleLogicalRange(range);
    this.copyRange(range, this.equityChart);
  }

  private refreshDerived(reset: boolean): void {
    this.refreshTrades();
    this.refreshEquity(reset);
    this.refreshSelection();
  }

  private refreshTrades(): void {
    this.events = tradeEvents(this.trades, this.times, this.interval);
    const markers: SeriesMarker<Time>[] = tradeMarkers(this.trades, this.times, this.interval).map((m) => ({ ...m, time: sec(m.time) }) as SeriesMarker<Time>);
    this.markers.setMarkers(markers);
    const lanes = stopPathLanes(this.trades, this.times, this.interval);
    while (this.stopLanes.length < lanes.length) {
      this.stopLanes.push(
        this.candleChart.addSeries(LineSeries, {
          color: STOP_PATH_COLOUR,
          lineWidth: 1,
          lineType: LineType.WithSteps,
          lineStyle: LineStyle.Solid,
          priceLineVisible: false,
          lastValueVisible: false,
          crosshairMarkerVisible: false,
          pointMarkersVisible: false,
        }),
      );
      this.lanePoints.push([]);
    }
    this.stopLanes.forEach((series, k) => {
      const next = lanes[k] ?? [];
      this.apply(series, this.lanePoints[k]!, next);
      this.lanePoints[k] = next;
    });
  }

  private refreshEquity(reset: boolean): void {
    const { equity, drawdown } = alignEquity(this.times, this.interval, this.curve);
    // a reset sets the data whatever was there (an empty curve must clear the series, not be a no-op)
    this.apply(this.equitySeries, this.equityPoints, equity, reset);
    this.apply(this.drawdownSeries, this.drawdownPoints, drawdown, reset);
    this.equityPoints = equity;
    this.drawdownPoints = drawdown;
    // keep the two charts on the same logical range once both have their points
    const range = this.candleChart.timeScale().getVisibleLogicalRange();
    if (range !== null) this.copyRange(range, this.equityChart);
  }

  private refreshSelection(): void {
    const k = this.selected === null ? -1 : candleIndexAt(this.times, this.interval, this.selected);
    const time = k < 0 ? null : sec(this.times[k]!);
    for (const s of this.selections) s.setTime(time);
  }

  private apply(series: ISeriesApi<'Line' | 'Baseline' | 'Area'>, old: LinePoint[], next: LinePoint[], reset = false): void {
    const plan = reset ? { mode: 'set' as const } : updatePlan(old, next, samePoint);
    const toData = (p: LinePoint) => ('value' in p ? (p.color === undefined ? { time: sec(p.time), value: p.value } : { time: sec(p.time), value: p.value, color: p.color }) : { time: sec(p.time) });
    if (plan.mode === 'set') series.setData(next.map(toData));
    else if (plan.mode === 'update') for (let k = plan.from; k < next.length; k++) series.update(toData(next[k]!));
  }

  /** The candle chart leads; the equity chart follows it, and leads only while someone scrolls or zooms it. */
  private readonly onCandleRange = (range: LogicalRange | null) => {
    if (this.syncing || range === null) return;
    this.copyRange(range, this.equityChart);
  };

  private readonly onEquityRange = (range: LogicalRange | null) => {
    if (this.syncing || range === null) return;
    if (performance.now() < this.equityUserUntil) this.copyRange(range, this.candleChart);
    else {
      // moved by its own data (a new series resets its view): back to the candles' range
      const lead = this.candleChart.timeScale().getVisibleLogicalRange();
      if (lead !== null) this.copyRange(lead, this.equityChart);
    }
  };

  private copyRange(range: LogicalRange | { from: number; to: number }, to: IChartApi): void {
    const current = to.timeScale().getVisibleLogicalRange();
    if (current !== null && Math.abs(current.from - range.from) < 1e-6 && Math.abs(current.to - range.to) < 1e-6) return;
    this.syncing = true;
    try {
      to.timeScale().setVisibleLogicalRange(range);
    } finally {
      this.syncing = false;
    }
  }

  private readonly markEquityInput = () => {
    this.equityUserUntil = performance.now() + 1500;
  };

  private hoverAt(param: MouseEventParams<Time>, chart: 'candles' | 'equity'): HoverInfo | null {
    if (param.logical === undefined || param.point === undefined) return null;
    const k = Math.round(param.logical);
    const c = this.candles[k];
    if (c === undefined) return null;
    const e = this.equityPoints[k];
    const d = this.drawdownPoints[k];
    return {
      index: k,
      time: c.time,
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      equity: e !== undefined && 'value' in e ? e.value : null,
      drawdownPct: d !== undefined && 'value' in d ? -d.value : null,
      events: this.events.get(k) ?? [],
      x: param.point.x,
      y: param.point.y,
      chart,
    };
  }

  private readonly onCandleCrosshair = (param: MouseEventParams<Time>) => {
    if (param.sourceEvent === undefined) return; // moved by the other chart
    const info = this.hoverAt(param, 'candles');
    this.handlers.onHover(info);
    const e = info === null ? null : info.equity;
    if (info !== null && e !== null) this.equityChart.setCrosshairPosition(e, sec(info.time), this.equitySeries);
    else this.equityChart.clearCrosshairPosition();
  };

  private readonly onEquityCrosshair = (param: MouseEventParams<Time>) => {
    if (param.sourceEvent === undefined) return;
    const info = this.hoverAt(param, 'equity');
    this.handlers.onHover(info);
    if (info !== null) this.candleChart.setCrosshairPosition(info.close, sec(info.time), this.candleSeries);
    else this.candleChart.clearCrosshairPosition();
  };

  private readonly onClick = (param: MouseEventParams<Time>) => {
    if (param.logical === undefined) return;
    const c = this.candles[Math.round(param.logical)];
    if (c !== undefined) this.handlers.onClickCandle(c.time);
  };
}
