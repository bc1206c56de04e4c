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
