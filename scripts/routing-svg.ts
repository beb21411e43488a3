/** A small hand-written SVG line chart (no dependency): panels of series over request number. */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Fixed y range; defaults to [0, max]. */
  readonly yMax?: number;
  /** A vertical marker (e.g. the change point), in request numbers. */
  readonly markX?: number;
}

const W = 460;
const H = 260;
const PAD = { left: 56, right: 16, top: 34, bottom: 40 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function panelSvg(panel: Panel, ox: number, oy: number): string {
  const n = Math.max(...panel.series.map((s) => s.values.length));
  const yMax = panel.yMax ?? niceMax(Math.max(...panel.series.flatMap((s) => [...s.values])));
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const x = (i: number) => ox + PAD.left + (i / Math.max(1, n - 1)) * pw;
  const y = (v: number) => oy + PAD.top + ph - (Math.min(v, yMax) / yMax) * ph;
  const out: string[] = [];
  out.push(`<text x="${ox + W / 2}" y="${oy + 20}" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`);
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    out.push(`<line x1="${x(0)}" x2="${x(n - 1)}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${x(0) - 6}" y="${y(v) + 4}" text-anchor="end">${Number(v.toFixed(2))}</text>`);
  }
  for (let k = 0; k <= 4; k++) {
    const i = Math.round(((n - 1) * k) / 4);
    out.push(`<text x="${x(i)}" y="${oy + H - PAD.bottom + 16}" text-anchor="middle">${i + 1}</text>`);
  }
  out.push(`<text x="${ox + W / 2}" y="${oy + H - 6}" text-anchor="middle">request</text>`);
  out.push(`<text transform="translate(${ox + 14},${oy + PAD.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(panel.yLabel)}</text>`);
  if (panel.markX !== undefined) {
    out.push(`<line x1="${x(panel.markX)}" x2="${x(panel.markX)}" y1="${y(0)}" y2="${y(yMax)}" stroke="#999" stroke-dasharray="4 3"/>`);
  }
  const step = Math.max(1, Math.floor(n / 250));
  for (const s of panel.series) {
    const pts: string[] = [];
    for (let i = 0; i < s.values.length; i += step) pts.push(`${x(i).toFixed(1)},${y(s.values[i] ?? 0).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.6" points="${pts.join(' ')}"/>`);
  }
  return out.join('\n');
}

export function renderChart(title: string, panels: readonly Panel[], columns = 2): string {
  const rows = Math.ceil(panels.length / columns);
  const legend = panels[0]?.series ?? [];
  const width = W * columns;
  const height = H * rows + 56;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  legend.forEach((s, i) => {
    const lx = 20 + i * 150;
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="40" y2="40" stroke="${s.color}" stroke-width="3"/>`);
    parts.push(`<text x="${lx + 30}" y="44">${esc(s.label)}</text>`);
  });
  panels.forEach((p, i) => parts.push(panelSvg(p, (i % columns) * W, 56 + Math.floor(i / columns) * H)));
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
