// bench/results.svg, hand-written: throughput as a ratio of the bare Fastify baseline (left;
// higher is better, dashed lines are the targets), and start-up time and memory as a share
// of their budget (right; lower is better, the bar must stay under the 100% line).
import type { CaseKind, Results, ServerKey } from './report.js';

const COLORS: Record<Exclude<ServerKey, 'baseline'>, string> = { mem: '#3b6fb6', file: '#d9822b' };
const KIND_LABELS: Record<CaseKind, string> = { get: 'GET one link', put: 'PUT link (writes)', list: 'GET list of 20', post: 'POST customer' };
const FAIL = '#c0392b';
const PASS = '#2e8540';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${fill}"/>`;
const line = (x1: number, y1: number, x2: number, y2: number, attrs: string) =>
  `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${attrs}/>`;

export function renderChart(r: Results): string {
  const W = 1000;
  const H = 460;
  const top = 70;
  const bottom = 380;
  const plotH = bottom - top;
  const out: string[] = [];

  // Left panel: ratios.
  const left = { x: 50, w: 540 };
  const cases = r.load.filter((c) => c.server !== 'baseline');
  const kinds = (['get', 'put', 'list', 'post'] as const).filter((k) => cases.some((c) => c.kind === k));
  const maxRatio = Math.max(1.2, ...cases.map((c) => c.ratio * 1.1));
  const yR = (v: number) => bottom - (v / maxRatio) * plotH;
  out.push(text(left.x, 30, 'Requests/s as a ratio of bare Fastify (same round)', 'font-weight="bold"'));
  out.push(text(left.x, 48, 'higher is better · dashed line: target · 1.0 = bare Fastify, same method', 'fill="#555"'));
  for (let v = 0; v <= maxRatio + 1e-9; v += 0.2) {
    out.push(line(left.x, yR(v), left.x + left.w, yR(v), 'stroke="#e4e4e4"'));
    out.push(text(left.x - 8, yR(v) + 4, v.toFixed(1), 'text-anchor="end" fill="#555"'));
  }
  out.push(line(left.x, yR(1), left.x + left.w, yR(1), 'stroke="#333" stroke-width="1.5"'));
  out.push(text(left.x + left.w - 4, yR(1) - 5, 'bare Fastify = 1.0', 'text-anchor="end" fill="#333"'));
  const groupW = left.w / kinds.length;
  const barW = Math.min(48, groupW / 3.2);
  kinds.forEach((kind, gi) => {
    const gx = left.x + gi * groupW + groupW / 2;
    const group = cases.filter((c) => c.kind === kind);
    group.forEach((c, bi) => {
      const x = gx + (bi - group.length / 2) * (barW + 8) + 4;
      out.push(rect(x, yR(c.ratio), barW, bottom - yR(c.ratio), COLORS[c.server as 'mem' | 'file']));
      out.push(text(x + barW / 2, yR(c.ratio) - 18, c.ratio.toFixed(2), 'text-anchor="middle" font-weight="bold"'));
      out.push(text(x + barW / 2, yR(c.ratio) - 5, `${Math.round(c.median.rps).toLocaleString('en-US')}/s`, 'text-anchor="middle" font-size="10" fill="#555"'));
      if (c.minRatio !== undefined) {
        out.push(line(x - 5, yR(c.minRatio), x + barW + 5, yR(c.minRatio), `stroke="${c.pass ? PASS : FAIL}" stroke-width="2.5" stroke-dasharray="5 3"`));
        out.push(text(x + barW / 2, bottom - 6, c.pass ? 'PASS' : 'FAIL', `text-anchor="middle" font-size="10" fill="#fff" font-weight="bold"`));
      }
    });
    out.push(text(gx, bottom + 18, KIND_LABELS[kind], 'text-anchor="middle"'));
  });
  out.push(line(left.x, bottom, left.x + left.w, bottom, 'stroke="#333"'));

  // Right panel: budgets.
  const right = { x: 690, w: 290 };
  const short: Record<string, [string, string]> = {
    'cold.default': ['start', 'default fixtures'], 'cold.10k': ['start', '10k records'], 'rss.mem': ['RSS', 'in-memory DB'], 'rss.file': ['RSS', 'file DB'],
  };
  const budgets = [
    ...r.coldStart.filter((c) => c.maxMs !== undefined).map((c) => ({ id: c.id, value: c.medianMs, max: c.maxMs!, unit: 'ms', pass: c.pass! })),
    ...r.memory.filter((m) => m.maxMb !== undefined).map((m) => ({ id: m.id, value: m.rssMb, max: m.maxMb!, unit: 'MB', pass: m.pass! })),
  ].map((b) => ({ ...b, label: short[b.id] ?? [b.id, ''] }));
  const maxShare = Math.max(1.25, ...budgets.map((b) => (b.value / b.max) * 1.1));
  const yB = (v: number) => bottom - (v / maxShare) * plotH;
  out.push(text(right.x - 40, 30, 'Start-up and memory, share of budget', 'font-weight="bold"'));
  out.push(text(right.x - 40, 48, 'lower is better · must stay under 100%', 'fill="#555"'));
  for (let v = 0; v <= maxShare + 1e-9; v += 0.25) {
    out.push(line(right.x, yB(v), right.x + right.w, yB(v), 'stroke="#e4e4e4"'));
    out.push(text(right.x - 8, yB(v) + 4, `${Math.round(v * 100)}%`, 'text-anchor="end" fill="#555"'));
  }
  out.push(line(right.x, yB(1), right.x + right.w, yB(1), `stroke="${FAIL}" stroke-width="2" stroke-dasharray="5 3"`));
  const slot = right.w / Math.max(1, budgets.length);
  budgets.forEach((b, i) => {
    const bw = Math.min(44, slot * 0.6);
    const x = right.x + i * slot + (slot - bw) / 2;
    const share = b.value / b.max;
    out.push(rect(x, yB(share), bw, bottom - yB(share), b.pass ? '#7a9e7e' : FAIL));
    out.push(text(x + bw / 2, yB(share) - 18, `${Math.round(share * 100)}%`, 'text-anchor="middle" font-weight="bold"'));
    out.push(text(x + bw / 2, yB(share) - 5, `${b.unit === 'ms' ? Math.round(b.value) : b.value.toFixed(0)} ${b.unit}`, 'text-anchor="middle" font-size="10" fill="#555"'));
    out.push(text(x + bw / 2, bottom + 16, b.label[0], 'text-anchor="middle" font-size="10"'));
    out.push(text(x + bw / 2, bottom + 28, b.label[1], 'text-anchor="middle" font-size="10"'));
    out.push(text(x + bw / 2, bottom + 40, `< ${b.max} ${b.unit}`, 'text-anchor="middle" font-size="10" fill="#555"'));
  });
  out.push(line(right.x, bottom, right.x + right.w, bottom, 'stroke="#333"'));

  // Legend and footer.
  const ly = H - 22;
  out.push(rect(left.x, ly - 10, 12, 12, COLORS.mem), text(left.x + 18, ly, 'in-memory DB'));
  out.push(rect(left.x + 130, ly - 10, 12, 12, COLORS.file), text(left.x + 148, ly, 'file DB (WAL)'));
  out.push(text(left.x + 270, ly, `${r.machine.cpus} x ${r.machine.cpuModel} · Node ${r.node} · ${r.date.slice(0, 10)} · ${r.settings.rounds} rounds, median`, 'fill="#555" font-size="11"'));

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

/** bench/growth.svg: server CPU per request against the number of rows (log scale), one line per case. */
export function renderGrowthChart(r: Results): string {
  const g = r.growth;
  const W = 1000;
  const plot = { x: 70, y: 60, w: 560, h: 320 };
  // The legend, one case every 36 px beside the plot, sets the height when it is the taller.
  const H = Math.max(440, plot.y + 10 + g.cases.length * 36 + 20);
  const palette = ['#3b6fb6', '#d9822b', '#2e8540', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d', '#b7950b', '#1f3a93', '#e84393', '#6d4c41', '#00838f', '#558b2f', '#5e35b1'];
  const out: string[] = [];
  // Log scale: the costs span from a hundred microseconds to most of a second.
  const values = g.cases.flatMap((c) => c.bySize.map((b) => b.cpuUsPerReq)).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const x = (i: number) => plot.x + (i / Math.max(1, g.sizes.length - 1)) * plot.w;
  const y = (v: number) => plot.y + plot.h - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(1, hi - lo)) * plot.h;
  out.push(text(plot.x, 28, 'Cost against data size: server CPU µs per request, log scale (lower is better)', 'font-weight="bold"'));
  out.push(text(plot.x, 46, 'file database (WAL), cache-busting URLs; flat = within 2x of the 1k figure', 'fill="#555"'));
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e;
    out.push(line(plot.x, y(v), plot.x + plot.w, y(v), 'stroke="#e4e4e4"'));
    out.push(text(plot.x - 8, y(v) + 4, v.toLocaleString('en-US'), 'text-anchor="end" fill="#555"'));
  }
  g.sizes.forEach((s, i) => out.push(text(x(i), plot.y + plot.h + 18, `${s.toLocaleString('en-US')} rows`, 'text-anchor="middle"')));
  out.push(line(plot.x, plot.y + plot.h, plot.x + plot.w, plot.y + plot.h, 'stroke="#333"'));
  g.cases.forEach((c, ci) => {
    const color = palette[ci % palette.length]!;
    const pts = c.bySize.map((b, i) => `${x(i).toFixed(1)},${y(b.cpuUsPerReq).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="2.5"${c.flat ? '' : ' stroke-dasharray="6 4"'}/>`);
    c.bySize.forEach((b, i) => out.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(b.cpuUsPerReq).toFixed(1)}" r="3.5" fill="${color}"/>`));
    const ly = plot.y + 10 + ci * 36;
    out.push(rect(660, ly - 10, 12, 12, color));
    // A long label keeps its start and its end ("executions of an agent (pagina…), last page").
    out.push(text(678, ly, c.label.length > 48 ? `${c.label.slice(0, 30).trimEnd()}…${c.label.slice(-17)}` : c.label));
    const last = c.bySize.at(-1)!;
    out.push(text(678, ly + 15, `${c.bySize.map((b) => Math.round(b.cpuUsPerReq)).join(' → ')} µs (x${last.ratioTo1k.toFixed(1)})${c.flat ? (c.pass ? '  PASS' : '  FAIL') : '  (cannot be flat)'}`,
      `font-size="11" fill="${c.flat ? (c.pass ? PASS : FAIL) : '#555'}"`));
  });
  out.push(text(plot.x, H - 14, `${r.machine.cpus} x ${r.machine.cpuModel} · Node ${r.node} · ${r.date.slice(0, 10)} · dashed: cannot be flat (see docs/benchmark.md)`, 'fill="#555" font-size="11"'));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
