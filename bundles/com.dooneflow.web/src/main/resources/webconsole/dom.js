// Builds DOM from data without ever parsing it as markup: text goes in as text nodes only.

/** h('button', {id: 'x', onclick: f}, 'Save') — attributes, event handlers and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'value' && tag === 'textarea') el.defaultValue = String(value); // its text, not an attribute
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  appendAll(el, children);
  return el;
}

export function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * A table with a header row; rows are arrays of cells (strings or nodes). Each cell carries its column's heading
 * (small screens show the rows as cards, labelled from it), and each button in a row names the row for screen readers.
 */
export function table(id, headings, rows, empty = 'Nothing here yet.') {
  const body = h('tbody', {}, rows.map((cells) => row(headings, cells)));
  if (rows.length === 0) body.append(emptyRow(headings, empty));
  return h('div', { class: 'table-box' }, h('table', { id, class: 'cards' },
    h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))), body));
}

/** One row of a table() with these headings. */
export function row(headings, cells) {
  const tr = h('tr', {}, cells.map((c, i) => h('td', { 'data-label': headings[i] || false }, c)));
  const name = tr.cells[0]?.textContent.trim();
  if (name) {
    for (const b of tr.querySelectorAll('button:not([aria-label])')) b.setAttribute('aria-label', `${b.textContent} ${name}`);
  }
  return tr;
}

export function emptyRow(headings, text) {
  return h('tr', {}, h('td', { colspan: headings.length, class: 'empty' }, text));
}

/** A labelled form field; the control gets the id, so tests and screen readers find it by label. */
export function field(label, control, hint) {
  return h('label', { class: 'field', for: control.id }, h('span', {}, label), control, hint && h('small', {}, hint));
}

export function input(id, attrs = {}) {
  return h('input', { id, name: id, ...attrs });
}

export function select(id, options, selected) {
  return h('select', { id, name: id }, options.map(([value, text]) =>
    h('option', { value, selected: value === selected }, text ?? value)));
}

export function button(text, attrs = {}) {
  return h('button', { type: 'button', ...attrs }, text);
}

export function json(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value ?? null, null, 2));
}

export function statusBadge(status) {
  const key = String(status).replace(/[^a-z0-9]+/gi, '_');
  return h('span', { class: `status status-${key}` }, String(status).replace(/_/g, ' '));
}

export function time(value) {
  return value ? new Date(value).toLocaleString() : '—';
}

/**
 * Shows a problem (RFC 9457) in the one alert element of the page, placed before `anchor`:
 * its title, detail and every field error. A new problem replaces the previous one. The fields the errors name
 * (found by name in the anchor's form or page) are marked invalid, and the first of them gets the focus.
 */
export function showProblem(anchor, problem) {
  clearProblem();
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  const box = h('div', { class: 'problem', role: 'alert', id: 'problem' },
    h('strong', {}, problem.title || 'Something went wrong'),
    problem.detail && h('p', {}, problem.detail),
    errors.length > 0 && h('ul', {}, errors.map((e) =>
      h('li', {}, h('code', {}, e.field ?? e.path ?? 'body'), ': ', e.message ?? ''))));
  anchor.before(box);
  const invalid = errors.map((e) => fieldNamed(anchor, e.field)).filter(Boolean);
  for (const control of invalid) {
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', 'problem');
    control.dataset.problem = 'true';
  }
  if (invalid.length > 0) invalid[0].focus();
  else box.scrollIntoView({ block: 'nearest' });
}

/** The control of the anchor's form (or page) for an API field: named after it, or after it with a prefix. */
function fieldNamed(anchor, field) {
  if (!field || !/^[A-Za-z0-9_]+$/.test(field)) return null;
  const scope = anchor.closest('form') ?? anchor.closest('main') ?? document;
  return scope.querySelector(`[name="${field}"], [name$="-${field}"]`);
}

export function clearProblem() {
  document.querySelectorAll('.problem').forEach((el) => el.remove());
  document.querySelectorAll('[data-problem]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
    delete el.dataset.problem;
  });
}

/** A duration between two times as people say it: "850 ms", "12 s", "3 min 5 s", "2 h 4 min". */
export function duration(from, to) {
  if (!from || !to) return null;
  const ms = new Date(to) - new Date(from);
  if (!(ms >= 0)) return null;
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** The descriptor's constraints in words, as saving checks them: "1 to 120", "at most 1600 characters"... */
export function constraints(p) {
  const words = [];
  if (p.min != null && p.max != null) words.push(`${p.min} to ${p.max}`);
  else if (p.min != null) words.push(`at least ${p.min}`);
  else if (p.max != null) words.push(`at most ${p.max}`);
  if (p.minLength != null) words.push(`at least ${p.minLength} characters`);
  if (p.maxLength != null) words.push(`at most ${p.maxLength} characters`);
  if (p.pattern != null) words.push(p.patternMessage ?? `matching ${p.pattern}`);
  return words.join(', ');
}

/** Copies a text; where the clipboard is refused (plain http), selects `shown` so Ctrl+C does it. */
export function copyButton(id, text, shown) {
  const b = button('Copy', { id, class: 'copy' });
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      b.textContent = 'Copied';
    } catch {
      getSelection().selectAllChildren(shown);
      b.textContent = 'Press Ctrl+C';
    }
    setTimeout(() => { b.textContent = 'Copy'; }, 2000);
  });
  return b;
}
