// npx tsx scripts/inspector-images.ts: the README's two pictures of the inspector
// (docs/images/inspector-inbox.png, docs/images/inspector-requests.png). A mock with the bundled
// fixtures, Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium), a few things done on
// the page, then each screenshot reduced to a palette of 128 colours (median cut) and written as
// an indexed PNG, so each stays well under 150 KB. The browser tests' screenshots
// (test/browser/screenshots/, not committed) show every view.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { startKapsoMock } from '../src/index.js';

const OUT = fileURLToPath(new URL('../docs/images/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DEMO = '11111111-1111-4111-8111-111111111111';
const MARIA = 'ca100000-0000-4000-8000-000000000001';
const COLORS = 128;

// ---- PNG in and out ---------------------------------------------------------------------------

/** RGBA pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit, non-interlaced PNGs');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (channels === 0) throw new Error('only RGB and RGBA PNGs');
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rgba = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const current = new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? current[x - channels]! : 0;
      const b = previous[x]!;
      const c = x >= channels ? previous[x - channels]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      current[x] = (line[x]! + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      rgba.set([current[x * channels]!, current[x * channels + 1]!, current[x * channels + 2]!, channels === 4 ? current[x * channels + 3]! : 255], (y * width + x) * 4);
    }
    previous = current;
  }
  return { width, height, rgba };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
};

/** An indexed (palette) PNG. */
function encodeIndexed(width: number, height: number, palette: number[][], indices: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 3;
  const rows = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) Buffer.from(indices.subarray(y * width, (y + 1) * width)).copy(rows, y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Median cut over the image's colours, weighted by how often each appears; each pixel gets its box's mean. */
function quantize(rgba: Uint8Array, colors: number): { palette: number[][]; indices: Uint8Array } {
  const counts = new Map<number, number>();
  for (let i = 0; i < rgba.length; i += 4) {
    const key = (rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  type Box = { colors: [number, number][] };
  const channel = (key: number, c: number) => (key >> (16 - 8 * c)) & 0xff;
  const range = (box: Box, c: number) => {
    let min = 255;
    let max = 0;
    for (const [key] of box.colors) {
      const v = channel(key, c);
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return max - min;
  };
  let boxes: Box[] = [{ colors: [...counts] }];
  while (boxes.length < colors) {
    const splittable = boxes.filter((b) => b.colors.length > 1);
    if (splittable.length === 0) break;
    // The box with the most pixels times its widest spread goes next.
    const weight = (b: Box) => b.colors.reduce((s, [, n]) => s + n, 0) * Math.max(range(b, 0), range(b, 1), range(b, 2));
    const box = splittable.reduce((a, b) => (weight(b) > weight(a) ? b : a));
    const c = [0, 1, 2].reduce((best, ch) => (range(box, ch) > range(box, best) ? ch : best), 0);
    box.colors.sort((a, b) => channel(a[0], c) - channel(b[0], c));
    const total = box.colors.reduce((s, [, n]) => s + n, 0);
    let seen = 0;
    let cut = 1;
    for (; cut < box.colors.length - 1; cut++) {
      seen += box.colors[cut - 1]![1];
      if (seen >= total / 2) break;
    }
    boxes = [...boxes.filter((b) => b !== box), { colors: box.colors.slice(0, cut) }, { colors: box.colors.slice(cut) }];
  }
  const palette: number[][] = [];
  const indexOf = new Map<number, number>();
  boxes.forEach((box, i) => {
    const total = box.colors.reduce((s, [, n]) => s + n, 0);
    palette.push([0, 1, 2].map((c) => Math.round(box.colors.reduce((s, [key, n]) => s + channel(key, c) * n, 0) / total)));
    for (const [key] of box.colors) indexOf.set(key, i);
  });
  const indices = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < indices.length; i++) indices[i] = indexOf.get((rgba[i * 4]! << 16) | (rgba[i * 4 + 1]! << 8) | rgba[i * 4 + 2]!)!;
  return { palette, indices };
}

async function save(page: Page, name: string) {
  const { width, height, rgba } = decodePng(await page.screenshot());
  const { palette, indices } = quantize(rgba, COLORS);
  const png = encodeIndexed(width, height, palette, indices);
  writeFileSync(join(OUT, name), png);
  console.log(`docs/images/${name}: ${width}x${height}, ${Math.round(png.length / 1024)} KB`);
}

// ---- the pictures -------------------------------------------------------------------------------

const mock = await startKapsoMock();
const profile = mkdtempSync(join(tmpdir(), 'kapso-inspector-images-'));
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 720 } });
try {
  const page = await context.newPage();
  await page.goto(`${mock.origin}/__inspector/#/inbox/${DEMO}/${MARIA}`);
  await page.locator('.messages .msg').first().waitFor();
  await page.fill('#compose', 'The lid is cracked :(');
  await page.getByRole('button', { name: 'Send a photo as the customer' }).click();
  await page.locator('.msg.in img.media-img').waitFor();
  const sent = await fetch(`${mock.url}/whatsapp_conversations/${MARIA}/whatsapp_messages`, {
    method: 'POST', headers: { 'x-api-key': mock.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ message: { content: 'So sorry, Maria! A replacement ships today, no need to send it back.' } }),
  });
  const { data } = (await sent.json()) as { data: { id: string } };
  await fetch(`${mock.origin}/__admin/messages/${data.id}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'read' }) });
  await page.locator('.msg.out .ticks.read', { hasText: '✓✓' }).last().waitFor();
  await page.waitForTimeout(300);
  await save(page, 'inspector-inbox.png');

  for (const path of ['/customers?per_page=2', '/agents', '/whatsapp_conversations?q[status_eq]=active']) {
    await fetch(`${mock.url}${path}`, { headers: { 'x-api-key': mock.apiKey } });
  }
  await fetch(`${mock.url}/customers`, {
    method: 'POST', headers: { 'x-api-key': mock.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ customer: { name: 'Bob\'s Bikes', external_customer_id: 'BOB-1' } }),
  });
  await page.locator('#views a[data-view="requests"]').click();
  await page.getByRole('button', { name: 'POST /api/v1/customers, 201: details' }).click();
  await page.locator('.request-detail h3').waitFor();
  await page.waitForTimeout(300);
  await save(page, 'inspector-requests.png');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await mock.close();
}
