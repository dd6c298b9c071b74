import { join, relative } from 'node:path';
import { loadCandles } from '../../engine/data/candles-csv.ts';
import { BTC_5M, OUT_DIR, REPO_ROOT, intOption, isMain, machine, machineLine, rate, ratio, runChild, table, writeColumnsCache, writeResult } from './common.ts';
import { CASES, PEERS, PEER_MODE, PEER_VERSION, type Peer } from './indicator-cases.ts';
import type { IndicatorChildResult } from './indicators-child.ts';

/**
 * Streaming throughput of each indicator node's step against trading-signals and
 * technicalindicators (streaming APIs) and @ixjb94/indicators (batch only: one call over the whole
 * series, reported per value), and our CPU batch kernel (one call over the typed columns, what the
 * batch executor runs) against @ixjb94's batch functions: like for like on both sides.
 * ours/fastest ≥ 1 means our node is at least as fast as the fastest peer; batch/@ixjb94 ≥ 1 means
 * our batch kernel is at least as fast as @ixjb94's. Each indicator runs in its own process
 * (indicators-child.ts).
 */

export interface IndicatorRow {
  id: string;
  node: string;
  params: Record<string, unknown>;
  /** updates per second, median of the rounds; null where the peer lacks the indicator */
  ours: number;
  /** our CPU batch kernel, updates per second */
  oursBatch: number;
  peers: Record<Peer, number | null>;
  fastestPeer: Peer | null;
  oursOverFastest: number;
  fastestStreamingPeer: Peer | null;
  oursOverFastestStreaming: number;
  /** ours/fastest again, from CPU time: less sensitive to waiting for a core */
  cpuOursOverFastest: number;
  /** our batch kernel over @ixjb94's batch function (NaN where @ixjb94 lacks the indicator), wall and CPU */
  batchOverIxjb: number;
  cpuBatchOverIxjb: number;
  checksums: Record<'ours' | 'ours batch' | Peer, number | null>;
}

const LABEL: Record<Peer, string> = {
  'trading-signals': 'trading-signals',
  technicalindicators: 'technicalindicators',
  '@ixjb94/indicators': '@ixjb94 (batch)',
};

export function runIndicatorsBench(argv: readonly string[] = []): IndicatorRow[] {
  const rounds = intOption(argv, 'rounds', 5);
  const sampleMs = intOption(argv, 'sample-ms', 40);
  const series = loadCandles(BTC_5M);
  const cache = writeColumnsCache(series, join(OUT_DIR, 'cache', 'btcusdt-binance-spot-5m.f64'));
  const peerList = PEERS.map((p) => `${p} ${PEER_VERSION[p]} (${PEER_MODE[p]})`).join(', ');
  process.stdout.write(`\n== indicators: updates/s over ${relative(REPO_ROOT, BTC_5M)} (${series.length} bars), median of ${rounds} rounds after warm-up ==\n`);
  process.stdout.write(`peers: ${peerList}\n`);

  const children: IndicatorChildResult[] = [];
  const rows: IndicatorRow[] = [];
  for (const c of CASES) {
    process.stdout.write(`  ${c.id} ...`);
    const r = runChild<IndicatorChildResult>('indicators-child.ts', [c.id, cache, String(rounds), String(sampleMs)]);
    children.push(r);
    const rateOf = (impl: string) => r.results.find((x) => x.impl === impl)?.updatesPerSec ?? null;
    const cpuRateOf = (impl: string) => r.results.find((x) => x.impl === impl)?.cpuUpdatesPerSec ?? NaN;
    const sumOf = (impl: string) => r.results.find((x) => x.impl === impl)?.checksum ?? null;
    const ours = rateOf('ours')!;
    const oursBatch = rateOf('ours batch')!;
    const peers = Object.fromEntries(PEERS.map((p) => [p, rateOf(p)])) as Record<Peer, number | null>;
    const ixjb = peers['@ixjb94/indicators'];
    const fastestOf = (candidates: readonly Peer[]) => candidates.filter((p) => peers[p] !== null).sort((a, b) => peers[b]! - peers[a]!)[0] ?? null;
    const fastestPeer = fastestOf(PEERS);
    const fastestStreamingPeer = fastestOf(PEERS.filter((p) => PEER_MODE[p] === 'streaming'));
    rows.push({
      id: c.id,
      node: c.node,
      params: c.params,
      ours,
      oursBatch,
      peers,
      fastestPeer,
      oursOverFastest: fastestPeer === null ? NaN : ours / peers[fastestPeer]!,
      fastestStreamingPeer,
      oursOverFastestStreaming: fastestStreamingPeer === null ? NaN : ours / peers[fastestStreamingPeer]!,
      cpuOursOverFastest: fastestPeer === null ? NaN : cpuRateOf('ours') / Math.max(...PEERS.map((p) => (peers[p] === null ? 0 : cpuRateOf(p)))),
      batchOverIxjb: ixjb === null ? NaN : oursBatch / ixjb,
      cpuBatchOverIxjb: ixjb === null ? NaN : cpuRateOf('ours batch') / cpuRateOf('@ixjb94/indicators'),
      checksums: { ours: sumOf('ours'), 'ours batch': sumOf('ours batch'), ...(Object.fromEntries(PEERS.map((p) => [p, sumOf(p)])) as Record<Peer, number | null>) },
    });
    process.stdout.write(' done\n');
  }

  const header = ['indicator', 'ours', 'ours (batch kernel)', ...PEERS.map((p) => LABEL[p]), 'fastest peer', 'ours/fastest', 'vs streaming', 'cpu', 'batch/@ixjb94', 'batch cpu'];
  const body = rows.map((r) => [
    r.id,
    rate(r.ours),
    rate(r.oursBatch),
    ...PEERS.map((p) => (r.peers[p] === null ? '—' : rate(r.peers[p]!))),
    r.fastestPeer === null ? '—' : LABEL[r.fastestPeer],
    ratio(r.oursOverFastest),
    ratio(r.oursOverFastestStreaming),
    ratio(r.cpuOursOverFastest),
    ratio(r.batchOverIxjb),
    ratio(r.cpuBatchOverIxjb),
  ]);
  process.stdout.write('\n' + table(header, body) + '\n');
  process.stdout.write('updates/s, wall clock (k = 10³, M = 10⁶). ours: our node streaming (step per bar); ours (batch kernel): its CPU batch\n');
  process.stdout.write('kernel over the whole columns. ours/fastest ≥ 1: our streaming node is at least as fast as the fastest peer (batch\n');
  process.stdout.write('included); vs streaming: against the fastest streaming peer only; cpu: ours/fastest from CPU time.\n');
  process.stdout.write('batch/@ixjb94: our batch kernel over @ixjb94 batch (like for like), then the same from CPU time. — : no such indicator.\n');

  const sums = rows.map((r) => [r.id, ...(['ours', 'ours batch', ...PEERS] as const).map((k) => (r.checksums[k] === null ? '—' : r.checksums[k]!.toPrecision(9)))]);
  process.stdout.write('\nchecksums (sum of the primary output over one pass; they differ where conventions do):\n');
  process.stdout.write(table(['indicator', 'ours', 'ours batch', ...PEERS.map((p) => LABEL[p])], sums) + '\n');
  const notes = CASES.flatMap((c) => c.notes);
  if (notes.length > 0) process.stdout.write('\nnotes:\n' + notes.map((n) => `  - ${n}`).join('\n') + '\n');

  const file = writeResult('indicators', {
    part: 'indicators',
    date: new Date().toISOString(),
    machine: machine(),
    data: relative(REPO_ROOT, BTC_5M),
    bars: series.length,
    rounds,
    sampleMs,
    peers: PEERS.map((p) => ({ name: p, version: PEER_VERSION[p], mode: PEER_MODE[p] })),
    rows,
    notes,
    runs: children,
  });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return rows;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  runIndicatorsBench(process.argv.slice(2));
}
