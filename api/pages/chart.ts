/**
 * A line chart drawn on the server as SVG (no script, no library): the page shows it with a table
 * of the same figures for screen readers (the SVG is aria-hidden and the table is the source).
 */
export interface Point {
  at: Date;
  value: number;
}

export function lineChartSvg(points: readonly Point[], options: { width?: number; height?: number; format: (v: number) => string }): string {
  const width = options.width ?? 640;
  const height = options.height ?? 240;
  const margin = { top: 16, right: 16, bottom: 32, left: 88 };
  if (points.length === 0) return '';
  const times = points.map((p) => p.at.getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const max = Math.max(...points.map((p) => p.value), 1);
  const x = (t: number) => margin.left + (t1 === t0 ? (width - margin.left - margin.right) / 2 : ((t - t0) / (t1 - t0)) * (width - margin.left - margin.right));
  const y = (v: number) => margin.top + (1 - v / max) * (height - margin.top - margin.bottom);
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const ticks = [0, max / 2, max];
  const grid = ticks.map((v) => `<line class="app-chart__grid" x1="${margin.left}" x2="${width - margin.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`
    + `<text class="app-chart__label" x="${margin.left - 8}" y="${(y(v) + 5).toFixed(1)}" text-anchor="end">${escape(options.format(v))}</text>`).join('');
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.at.getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points.map((p) => `<circle class="app-chart__point" cx="${x(p.at.getTime()).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="4"/>`).join('');
  const axis = `<line class="app-chart__axis" x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}"/>`;
  return `<svg class="app-chart" viewBox="0 0 ${width} ${height}" role="presentation" aria-hidden="true" focusable="false">${grid}${axis}<path class="app-chart__line" d="${path}"/>${dots}</svg>`;
}
