// Small DOM helpers: elements are built with h(), never from HTML strings, so whatever a message
// or a request holds is shown as text.

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open', 'indeterminate']);

/** h('button', { class: 'x', onclick: fn, 'aria-label': 'Send' }, 'Send') */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (PROPS.has(name)) el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children: nodes, text, arrays of them; null, undefined and false are skipped. */
export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces an element's children (null, undefined and false skipped, unlike replaceChildren, which writes them as text). */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/**
 * Puts `nodes` in `container` in order, moving only what changed: a node already in place stays
 * (so a focused button keeps its focus when a live update redraws the list around it).
 */
export function reconcile(container, nodes) {
  nodes.forEach((node, i) => {
    if (container.children[i] !== node) container.insertBefore(node, container.children[i] ?? null);
  });
  while (container.children.length > nodes.length) container.lastElementChild.remove();
}

/** A keyed cache of rendered nodes: the same key and version gives the same node back. */
export function nodeCache() {
  let nodes = new Map();
  return (items, keyOf, versionOf, render) => {
    const next = new Map();
    const out = items.map((item) => {
      const key = keyOf(item);
      const version = versionOf(item);
      const old = nodes.get(key);
      const node = old && old.version === version ? old.node : render(item);
      next.set(key, { version, node });
      return node;
    });
    nodes = next;
    return out;
  };
}

const pad = (n) => String(n).padStart(2, '0');

/** 14:05 (local time). */
export const clockTime = (iso) => {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** 14:05:09.120 (local time), for the request journal. */
export const preciseTime = (iso) => {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

/** "Today", "Yesterday" or the date, relative to `now` (ms). */
export function dayLabel(iso, now) {
  const d = new Date(iso);
  const today = new Date(now);
  const start = (x) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((start(today) - start(d)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return d.toLocaleDateString(undefined, { weekday: days < 7 && days > 0 ? 'long' : undefined, year: 'numeric', month: 'short', day: 'numeric' });
}

/** The list's time column: the time today, "Yesterday", else a short date. */
export function listTime(iso, now) {
  const label = dayLabel(iso, now);
  if (label === 'Today') return clockTime(iso);
  if (label === 'Yesterday') return label;
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** Indented JSON, or the text as it is. */
export const pretty = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** Initials for an avatar: "Maria Gonzalez" -> "MG", a number -> its last two digits. */
export function initials(name, phone) {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length > 0) return words.slice(0, 2).map((w) => [...w][0].toUpperCase()).join('');
  return (phone ?? '').replace(/\D/g, '').slice(-2) || '?';
}

/** Copies text; falls back to a selected textarea where the clipboard API is unavailable (plain HTTP on a LAN address). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { class: 'offscreen', 'aria-hidden': 'true', tabindex: '-1' }, text);
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** Calls `fn` once, `ms` after the last of a burst of calls. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

const SVG = 'http://www.w3.org/2000/svg';
/** Material-style 24px icon paths (drawn, not emoji: every machine has the glyphs). */
const ICONS = {
  camera: 'M12 9a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm8-3h-3.2l-1.8-2H9L7.2 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2zm-8 13a6 6 0 1 1 0-12 6 6 0 0 1 0 12z',
  pin: 'M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z',
  file: 'M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6zm-1 7V3.5L18.5 9H13z',
  person: 'M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4 0-10 2-10 6v2h20v-2c0-4-6-6-10-6z',
  list: 'M3 6h18v2H3V6zm0 5h18v2H3v-2zm0 5h18v2H3v-2z',
  back: 'M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20v-2z',
  close: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  more: 'M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm0 6a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
};

/** An inline icon (decorative: the control carrying it has the label). */
export function icon(name, size = 20) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
