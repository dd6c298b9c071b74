import { CATEGORY_COLORS, PORT_TYPE_COLORS, UNKNOWN_PORT_COLOR } from './colors.ts';

/** Port-type colours (handles and wires) and category colours (card accents). */
export function Legend() {
  return (
    <details className="graph-legend" data-testid="graph-legend">
      <summary>Legend</summary>
      <div className="legend-section">
        <div className="legend-title">Ports &amp; wires</div>
        {Object.entries(PORT_TYPE_COLORS).map(([type, color]) => (
          <div key={type} className="legend-item">
            <span className="legend-dot" style={{ background: color }} />
            {type}
          </div>
        ))}
        <div className="legend-item">
          <span className="legend-dot hollow" style={{ borderColor: PORT_TYPE_COLORS.series }} />
          optional input
        </div>
        <div className="legend-item">
          <span className="legend-dot many" style={{ background: PORT_TYPE_COLORS.series }} />
          list input (many) · grouped wires
        </div>
        <div className="legend-item">
          <span className="legend-dot" style={{ background: UNKNOWN_PORT_COLOR }} />
          several types (collapsed box)
        </div>
      </div>
      <div className="legend-section">
        <div className="legend-title">Node categories</div>
        {Object.entries(CATEGORY_COLORS).map(([category, color]) => (
          <div key={category} className="legend-item">
            <span className="legend-bar" style={{ background: color }} />
            {category}
          </div>
        ))}
      </div>
    </details>
  );
}
