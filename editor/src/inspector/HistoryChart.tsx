import { ColorType, createChart, LineSeries, LineType, type IChartApi, type ISeriesApi, type LineData, type MouseEventParams, type Time, type UTCTimestamp, type WhitespaceData } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import type { History } from '../api/client.ts';
import { scaleSides, type ChartPort } from './chart-scales.ts';

const PALETTE = ['#4f8ff7', '#eaa23b', '#34c77b', '#e86fb4', '#9b7bf2', '#2cc4b4', '#f0606a', '#c9ced8', '#f2d13a', '#49c2e8', '#a0a8b8'];

export type { ChartPort } from './chart-scales.ts';

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** One line per numeric output over time (lightweight-charts 5); a click picks that bar. */
export function HistoryChart({ history, ports, hidden, onPick }: { history: History; ports: ChartPort[]; hidden: ReadonlySet<string>; onPick(index: number, time: number): void }) {
  const box = useRef<HTMLDivElement | null>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef(new Map<string, ISeriesApi<'Line'>>());
  const historyRef = useRef(history);
  historyRef.current = history;
  const pickRef = useRef(onPick);
  pickRef.current = onPick;

  useEffect(() => {
    const el = box.current!;
    const c = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#9aa3b2', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#1f2530' }, horzLines: { color: '#1f2530' } },
      rightPriceScale: { borderColor: '#2a303b' },
      timeScale: { borderColor: '#2a303b', timeVisible: true, secondsVisible: false },
      crosshair: { mode: 0 },
    });
    chart.current = c;
    const click = (param: MouseEventParams<Time>) => {
      if (param.time === undefined) return;
      const ms = (param.time as number) * 1000;
      const h = historyRef.current;
      const k = h.time.indexOf(ms);
      if (k >= 0) pickRef.current(h.index[k]!, ms);
    };
    c.subscribeClick(click);
    const map = series.current;
    return () => {
      c.unsubscribeClick(click);
      c.remove();
      chart.current = null;
      map.clear();
    };
  }, []);

  const fitted = useRef<string | null>(null);

  useEffect(() => {
    const c = chart.current;
    if (c === null) return;
    const map = series.current;
    const wanted = new Set(ports.map((p) => p.key));
    for (const [key, s] of map) {
      if (!wanted.has(key)) {
        c.removeSeries(s);
        map.delete(key);
      }
    }
    const scales = scaleSides(history, ports);
    c.applyOptions({ leftPriceScale: { visible: [...scales.values()].includes('left'), borderColor: '#2a303b' } });
    ports.forEach((p, i) => {
      let s = map.get(p.key);
      if (s === undefined) {
        s = c.addSeries(LineSeries, { color: seriesColor(i), lineWidth: 2, lineType: p.kind === 'bool' ? LineType.WithSteps : LineType.Simple, priceLineVisible: false, lastValueVisible: true, title: p.port });
        map.set(p.key, s);
      }
      s.applyOptions({ visible: !hidden.has(p.key), priceScaleId: scales.get(p.key) ?? 'right' });
      const column = history.values[p.key] ?? [];
      const data: (LineData<Time> | WhitespaceData<Time>)[] = [];
      let lastTime = -Infinity;
      history.time.forEach((t, k) => {
        const time = Math.floor(t / 1000);
        if (time <= lastTime) return;
        lastTime = time;
        const v = column[k];
        const value = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : NaN;
        data.push(Number.isFinite(value) ? { time: time as UTCTimestamp, value } : { time: time as UTCTimestamp });
      });
      s.setData(data);
    });
    // show the whole range once per node and range; later refreshes keep the user's zoom
    const key = `${ports.map((p) => p.key).join(',')}|${history.index[0] ?? ''}`;
    if (fitted.current !== key) {
      fitted.current = key;
      c.timeScale().fitContent();
    }
  }, [history, ports, hidden]);

  return <div className="history-chart" ref={box} />;
}
