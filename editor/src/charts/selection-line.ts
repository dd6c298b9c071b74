import type { IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesPrimitive, Logical, SeriesAttachedParameter, Time } from 'lightweight-charts';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

/**
 * A vertical band over the whole pane at one time point (the selected bar): at least 2 px wide so
 * it shows at any zoom, a bar wide when bars are wider. Attached to one series per pane.
 */
export class SelectionLine implements ISeriesPrimitive<Time> {
  private param: SeriesAttachedParameter<Time> | null = null;
  private time: Time | null = null;
  private readonly view: IPrimitivePaneView;

  constructor(private readonly color: string, private readonly edge: string) {
    const renderer: IPrimitivePaneRenderer = { draw: (target: Target) => this.draw(target) };
    this.view = { zOrder: () => 'bottom', renderer: () => renderer };
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.param = param;
  }

  detached(): void {
    this.param = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.view];
  }

  setTime(time: Time | null): void {
    this.time = time;
    this.param?.requestUpdate();
  }

  private draw(target: Target): void {
    const p = this.param;
    if (p === null || this.time === null) return;
    const scale = p.chart.timeScale();
    const x = scale.timeToCoordinate(this.time);
    if (x === null) return;
    const a = scale.logicalToCoordinate(0 as Logical);
    const b = scale.logicalToCoordinate(1 as Logical);
    const spacing = a === null || b === null ? 6 : Math.abs(b - a);
    target.useBitmapCoordinateSpace(({ context, bitmapSize, horizontalPixelRatio }) => {
      const width = Math.max(2, spacing * 0.9) * horizontalPixelRatio;
      const left = Math.round(x * horizontalPixelRatio - width / 2);
      context.fillStyle = this.color;
      context.fillRect(left, 0, Math.max(1, Math.round(width)), bitmapSize.height);
      if (width > 4 * horizontalPixelRatio) {
        context.fillStyle = this.edge;
        context.fillRect(left, 0, Math.max(1, Math.round(horizontalPixelRatio)), bitmapSize.height);
        context.fillRect(left + Math.round(width) - Math.max(1, Math.round(horizontalPixelRatio)), 0, Math.max(1, Math.round(horizontalPixelRatio)), bitmapSize.height);
      }
    });
  }
}
