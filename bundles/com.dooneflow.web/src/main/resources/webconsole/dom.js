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

/** A table with a header row; rows are arrays of cells (strings or nodes). */
export function table(id, headings, rows, empty = 'Nothing here yet.') {
  const body = h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c)))));
  if (rows.length === 0) body.append(h('tr', {}, h('td', { colspan: headings.length, class: 'empty' }, empty)));
  return h('table', { id }, h('thead', {}, h('tr', {}, headings.map((t) => h('th', {}, t)))), body);
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
  return h('span', { class: `status status-${status}` }, status);
}

export function time(value) {
  return value ? new Date(value).toLocaleString() : '—';
}

/**
 * Shows a problem (RFC 9457) in the one alert element of the page, placed before `anchor`:
 * its title, detail and every field error. A new problem replaces the previous one.
 */
export function showProblem(anchor, problem) {
  clearProblem();
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  const box = h('div', { class: 'problem', role: 'alert' },
    h('strong', {}, problem.title || 'Something went wrong'),
    problem.detail && h('p', {}, problem.detail),
    errors.length > 0 && h('ul', {}, errors.map((e) =>
      h('li', {}, h('code', {}, e.field ?? e.path ?? 'body'), ': ', e.message ?? ''))));
  anchor.before(box);
  box.scrollIntoView({ block: 'nearest' });
}

export function clearProblem() {
  document.querySelectorAll('.problem').forEach((el) => el.remove());
}
