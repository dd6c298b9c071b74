import type { AccountView, Bar, VenuePort } from '../core/trading.ts';

/**
 * What the runtime needs from a venue (paper now, an exchange later). Each base bar: the venue
 * first settles what happened during the bar (fills of orders placed at the previous close,
 * protective stops, funding, liquidation) and marks the account at the close; then the graph runs
 * and executor nodes submit commands that take effect from the next bar.
 */
export interface Venue extends VenuePort {
  settleBar(bar: Bar, gapBefore: number, trading: boolean): void;
  account(): AccountView;
  /** cheap reads of what account() reports, for loops that do not build the view every bar */
  readonly inPosition: boolean;
  readonly pendingEntries: number;
  /** optional: room for a run of this many bars, allocated once */
  reserve?(bars: number): void;
  /**
   * optional: settleBar on each of bars[from .. to] while no command arrives, stopping after a bar
   * on which a position opens or closes or a pending entry fills; returns the last bar settled
   */
  settleStretch?(bars: readonly Bar[], from: number, to: number, firstTraded: number): number;
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}
