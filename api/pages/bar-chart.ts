/**
 * A horizontal bar chart drawn on the server as SVG, companion of chart.ts (same rule: no script,
 * the SVG is aria-hidden and a table of the same figures beside it is the source for screen
 * readers). One bar per row, its label on the left and its value at its end; an optional target
 * (a capacity) is drawn as a dashed line across the bar.
 */
export interface Bar {
  label: string;
  value: number;
  /** A limit to compare the bar with (capacity): a dashed mark, and the bar turns red past it. */
  target?: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChartSvg(bars: readonly Bar[], options: { width?: number; format?: (v: number) => string; labelWidth?: number } = {}): string {
  if (bars.length === 0) return '';
  // Narrow enough that its 14 px labels stay legible once scaled to a 390 px phone.
  const width = options.width ?? 480;
  const labelWidth = options.labelWidth ?? 180;
  const format = options.format ?? ((v: number) => v.toLocaleString('fr-FR'));
  const row = 32;
  const gap = 8;
  const right = 64;
  const top = 8;
  const height = top * 2 + bars.length * (row + gap) - gap;
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.target ?? 0)));
  const scale = (v: number) => (Math.max(v, 0) / max) * (width - labelWidth - right);
  const body = bars.map((bar, i) => {
    const y = top + i * (row + gap);
    const over = bar.target !== undefined && bar.value > bar.target;
    const rect = `<rect class="app-chart__bar${over ? ' app-chart__bar--over' : ''}" x="${labelWidth}" y="${y}" width="${scale(bar.value).toFixed(1)}" height="${row}"/>`;
    const label = `<text class="app-chart__label" x="${labelWidth - 8}" y="${y + row / 2 + 5}" text-anchor="end">${escape(bar.label)}</text>`;
    const value = `<text class="app-chart__label app-chart__value" x="${(labelWidth + scale(bar.value) + 6).toFixed(1)}" y="${y + row / 2 + 5}">${escape(format(bar.value))}</text>`;
    const target = bar.target === undefined ? ''
      : `<line class="app-chart__target" x1="${(labelWidth + scale(bar.target)).toFixed(1)}" x2="${(labelWidth + scale(bar.target)).toFixed(1)}" y1="${y - 3}" y2="${y + row + 3}"/>`;
    return rect + label + value + target;
  }).join('');
  const axis = `<line class="app-chart__axis" x1="${labelWidth}" x2="${labelWidth}" y1="${top - 4}" y2="${height - top + 4}"/>`;
  return `<svg class="app-chart app-chart--bars" viewBox="0 0 ${width} ${height}" role="presentation" aria-hidden="true" focusable="false">${axis}${body}</svg>`;
}
