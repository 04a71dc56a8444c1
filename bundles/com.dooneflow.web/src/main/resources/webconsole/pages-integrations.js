// Integrations: each connector's settings page, rendered from the settings descriptor it publishes
// (GET /v1/connectors → settings). The console knows no connector: a third party's page is built the same way.
// The few things a descriptor cannot say live in EXTRAS, keyed by the settings id.
import { get, rooted, listAllRooted, publicOrigin } from './api.js';
import { h, button, table, time, statusBadge, showProblem, clearProblem, constraints, copyButton } from './dom.js';

/** Per-page additions the descriptor cannot express; each is optional, and a page without an entry works alone. */
const EXTRAS = {
  salesforce: {
    addTitle: 'Add a connection',
    words: {
      status: {
        not_connected: 'Not connected — finish authorization',
        connected: 'Connected',
        needs_reconnect: 'Needs reconnecting',
      },
    },
    beforeCreate: salesforceCallback,
  },
  email: { title: 'Email Inboxes', addTitle: 'Add an inbox' },
};

// ------------------------------------------------------------------ Pages

/** /organizations/{org}/integrations: every installed connector's page; .../integrations/{id}: that page alone. */
export async function integrationsPage({ main, org, orgPath, id }) {
  if (id) {
    await onePage(main, org, orgPath, id);
    return;
  }
  main.append(h('h1', {}, 'Integrations'));
  const pages = await settingsPages(main);
  if (!pages) return;
  if (pages.length === 0) {
    main.append(h('p', { class: 'muted' }, 'No installed connector has organization settings.'));
    return;
  }
  main.append(h('nav', { id: 'integration-pages', 'aria-label': 'Connectors' }, h('ul', { class: 'plain' },
    pages.map((p) => h('li', {}, h('a', { href: `${orgPath}/integrations/${encodeURIComponent(p.id)}` }, p.label),
      !p.running && ' — not running')))));
  const sections = pages.map((p) => settingsSection(p, org, { alone: false }));
  main.append(...sections.map((s) => s.element));
  await Promise.all(sections.map((s) => s.load()));
}

/** /organizations/{org}/email-inboxes: the email connector's page, where the navigation has always had it. */
export function inboxesPage({ main, org, orgPath }) {
  return onePage(main, org, orgPath, 'email');
}

async function onePage(main, org, orgPath, id) {
  const heading = h('h1', {}, EXTRAS[id]?.title ?? 'Integrations');
  main.append(heading);
  const pages = await settingsPages(main);
  if (!pages) return;
  const page = pages.find((p) => p.id === id);
  if (!page) {
    main.append(h('p', { id: 'settings-not-installed' },
      `No installed connector has the settings page "${id}": install its connector first. `),
    h('p', {}, h('a', { href: `${orgPath}/integrations` }, 'All integrations')));
    return;
  }
  heading.textContent = EXTRAS[id]?.title ?? page.label;
  const section = settingsSection(page, org, { alone: true });
  main.append(section.element);
  await section.load();
}

/** GET /v1/connectors' settings pages, or undefined (the problem shown) when they cannot be read. */
async function settingsPages(main) {
  try {
    return (await get('/connectors')).settings ?? [];
  } catch (e) {
    const anchor = h('p');
    main.append(anchor);
    if (e.status !== 401) showProblem(anchor, e);
    return undefined;
  }
}

// ------------------------------------------------------------------ One connector's settings

/**
 * The section for one settings descriptor: its form (single) or its list of entries with a create form (many).
 * `alone`: the page shows only this connector, whose label is then the page's h1 and not repeated here.
 */
function settingsSection(page, org, { alone }) {
  const resource = page.resource.replace('{orgId}', encodeURIComponent(org.id));
  const headingId = `settings-${page.id}-title`;
  const sub = alone ? 'h2' : 'h3';
  const section = h('section', { class: 'card settings', id: `settings-${page.id}`, 'aria-labelledby': alone ? false : headingId },
    !alone && h('h2', { id: headingId }, page.label),
    page.description && h('p', { class: 'muted' }, page.description));
  if (!page.running) {
    section.append(h('p', { class: 'error', id: `${page.id}-not-running` },
      `Not running: the connector's bundle ${page.bundle} is installed but not started (stopped, or waiting for `
        + 'what it needs), so these settings cannot be read or changed until it runs.'));
    return { element: section, load: async () => {} };
  }
  const ctx = { page, org, resource, sub, extras: EXTRAS[page.id] ?? {} };
  const body = page.entries === 'many' ? manyEntries(ctx) : singleEntry(ctx);
  section.append(body.element);
  return { element: section, load: body.load };
}

/** `single`: one object per organization — GET shows it, Save PUTs it, Delete removes it; 404 means not set up yet. */
function singleEntry(ctx) {
  const { page, resource } = ctx;
  const status = h('p', { id: `${page.id}-status`, class: 'muted' }, 'Loading…');
  const shown = h('dl', { class: 'facts', id: `${page.id}-shows` });
  const result = h('output', { id: `${page.id}-result`, 'aria-live': 'polite' });
  const controls = page.fields.map((p) => fieldControl(page.id, p, p.defaultValue, { creating: true }));
  const save = button('Save', { id: `${page.id}-save`, class: 'primary' });
  const remove = button('Delete', { id: `${page.id}-delete`, class: 'danger' });
  const actions = page.actions.map((a) => button(a.label, { id: `${page.id}-${a.id}`, title: a.description }));
  const form = h('form', { novalidate: true }, controls.map((c) => c.element),
    h('div', { class: 'toolbar' }, save, actions, remove), result);
  form.addEventListener('submit', (e) => e.preventDefault());

  function show(settings) {
    for (const c of controls) c.reset(settings);
    if (!settings) {
      status.textContent = 'Not configured';
      shown.replaceChildren();
      return;
    }
    status.textContent = ['Configured', ...secretStates(page, settings)].join(' — ');
    shown.replaceChildren(...page.shows.flatMap((s) => [h('dt', {}, words(s.name)),
      h('dd', {}, shownValue(ctx, s, settings[s.name]))]));
  }

  save.addEventListener('click', async () => {
    const body = collect(form, controls, null);
    if (!body) return;
    const answer = await send(form, save, () => rooted('PUT', resource, body));
    if (answer.ok) show(answer.value);
  });
  remove.addEventListener('click', async () => {
    if (!confirm(`Delete the ${page.label} settings?`)) return;
    const answer = await send(form, remove, () => rooted('DELETE', resource));
    if (answer.ok) show(null);
  });
  page.actions.forEach((a, i) => actions[i].addEventListener('click', () =>
    runAction(ctx, a, `${resource}/${a.path}`, actions[i], form, result, page.label)));

  return {
    element: h('div', {}, status, shown, form),
    load: async () => {
      try {
        show(await rooted('GET', resource));
      } catch (e) {
        if (e.status === 404) show(null);
        else if (e.status !== 401) showProblem(form, e);
      }
    },
  };
}

/**
 * `many`: named entries — a list (cards on small screens) with each entry's values, Edit (PATCH of what changed),
 * Rename where entries have a name, the descriptor's actions and Delete; then a form that creates one.
 */
function manyEntries(ctx) {
  const { page, resource, sub, extras } = ctx;
  const result = h('output', { id: `${page.id}-result`, 'aria-live': 'polite' });
  const list = h('div', { id: `${page.id}-list` });
  const editor = h('div');
  const nameField = page.fields.find((p) => p.name === 'name')
    ?? page.fields.find((p) => p.required && !p.secret && p.type === 'string') ?? page.fields[0];
  const nameOf = (entry) => String((nameField && entry[nameField.name]) ?? entry.id);
  const others = page.fields.filter((p) => p !== nameField);
  const headings = [nameField?.label ?? 'Name', 'Settings', ...page.shows.map((s) => words(s.name)), ''];

  const controls = page.fields.map((p) => fieldControl(page.id, p, p.defaultValue, { creating: true }));
  const create = button('Add', { id: `${page.id}-create`, class: 'primary' });
  const oauth = page.actions.find((a) => a.kind === 'oauth');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': `${page.id}-add-title` },
    h(sub, { id: `${page.id}-add-title` }, extras.addTitle ?? `Add to ${page.label}`),
    extras.beforeCreate?.(ctx),
    controls.map((c) => c.element),
    h('div', { class: 'toolbar' }, create),
    oauth && h('p', { class: 'muted' }, `Adding takes you on to "${oauth.label}": ${oauth.description ?? 'sign in at the provider.'}`));
  form.addEventListener('submit', (e) => e.preventDefault());

  async function load() {
    let entries;
    try {
      entries = await listAllRooted(resource);
    } catch (e) {
      if (e.status !== 401) showProblem(list, e);
      return;
    }
    list.replaceChildren(table(`${page.id}-entries`, headings, entries.map((entry) => [
      nameOf(entry),
      summary(entry),
      ...page.shows.map((s) => shownValue(ctx, s, entry[s.name])),
      h('span', { class: 'actions' }, rowButtons(entry)),
    ]), 'Nothing set up yet.'));
  }

  /** The entry's other settings in one line; secrets only as set or not set. */
  function summary(entry) {
    const parts = others.filter((p) => !p.secret && entry[p.name] !== undefined && entry[p.name] !== null
      && entry[p.name] !== '').map((p) => `${p.label}: ${display(entry[p.name])}`);
    return [...parts, ...secretStates(page, entry)].join(' · ') || '—';
  }

  function rowButtons(entry) {
    const at = `${resource}/${encodeURIComponent(entry.id)}`;
    return [
      button('Edit', { dataset: { action: 'edit' }, onclick: () => edit(entry) }),
      nameField?.name === 'name' && button('Rename', {
        dataset: { action: 'rename' },
        onclick: async (e) => {
          const name = prompt(`New name for "${nameOf(entry)}":`, nameOf(entry))?.trim();
          if (!name || name === nameOf(entry)) return;
          const answer = await send(list, e.target, () => rooted('PATCH', at, { name }));
          if (answer.ok) changed(answer.value);
        },
      }),
      page.actions.map((a) => button(actionLabel(a, entry), {
        dataset: { action: a.id }, title: a.description,
        onclick: (e) => runAction(ctx, a, `${at}/${a.path}`, e.target, list, result, nameOf(entry)),
      })),
      button('Delete', {
        dataset: { action: 'delete' }, class: 'danger',
        onclick: async (e) => {
          if (!confirm(`Delete "${nameOf(entry)}" from ${page.label}?`)) return;
          if ((await send(list, e.target, () => rooted('DELETE', at))).ok) {
            editor.replaceChildren();
            await load();
          }
        },
      }),
    ];
  }

  /** After a PATCH: the list again, and what a rename did to the workflows naming the entry, when it says. */
  async function changed(answer) {
    editor.replaceChildren();
    await load();
    result.className = '';
    result.textContent = answer && Array.isArray(answer.workflowsUpdated) ? renameSummary(answer)
      : `Saved "${nameOf(answer ?? {})}".`;
  }

  /** The edit form of one entry; Save sends only the fields whose value changed (a typed secret replaces it). */
  function edit(entry) {
    const prefix = `${page.id}-edit`;
    const fields = page.fields.map((p) => fieldControl(prefix, p, entry[p.name], { creating: false, entry }));
    const saveEdit = button('Save changes', { id: `${prefix}-save`, class: 'primary' });
    const cancel = button('Cancel', { id: `${prefix}-cancel`, onclick: () => editor.replaceChildren() });
    const editForm = h('form', { class: 'card', novalidate: true, id: `${prefix}-form`, 'aria-labelledby': `${prefix}-title` },
      h(sub, { id: `${prefix}-title`, tabindex: '-1' }, `Edit "${nameOf(entry)}"`),
      fields.map((c) => c.element), h('div', { class: 'toolbar' }, saveEdit, cancel));
    editForm.addEventListener('submit', (e) => e.preventDefault());
    saveEdit.addEventListener('click', async () => {
      const body = collect(editForm, fields, entry);
      if (!body) return;
      if (Object.keys(body).length === 0) {
        editor.replaceChildren();
        return;
      }
      const answer = await send(editForm, saveEdit, () => rooted('PATCH', `${resource}/${encodeURIComponent(entry.id)}`, body));
      if (answer.ok) await changed(answer.value);
    });
    editor.replaceChildren(editForm);
    editForm.querySelector(sub).focus();
  }

  create.addEventListener('click', async () => {
    const body = collect(form, controls, null);
    if (!body) return;
    const answer = await send(form, create, () => rooted('POST', resource, body));
    if (!answer.ok) return;
    if (answer.value?.authorizeUrl) {
      location.assign(answer.value.authorizeUrl); // the provider sends the browser back to the connector's callback
      return;
    }
    form.reset();
    controls.forEach((c) => c.reset(null));
    await load();
    result.className = '';
    result.textContent = `Added "${nameOf(answer.value ?? {})}".`;
  });

  return { element: h('div', {}, result, list, editor, form), load };
}

// ------------------------------------------------------------------ Fields

/**
 * One field of a descriptor as a labelled control with its constraints as HTML attributes, its help and a slot
 * for the server's error. A secret is write-only: the control starts empty, says whether a value is stored, and
 * typing replaces it. `reset(values)` shows stored values again (null: the defaults).
 */
function fieldControl(prefix, p, value, { creating, entry }) {
  const id = `${prefix}-${p.name}`;
  const help = [p.description, constraints(p)].filter(Boolean).join(' · ');
  const common = { id, name: id, 'aria-describedby': `${help ? `${id}-help ` : ''}${id}-error` };
  const isSet = (values) => values?.[`${p.name}Set`] === true;
  const setState = h('span', { class: 'status', id: `${id}-set` });
  let control;
  if (p.type === 'select') {
    const blank = !p.required || p.defaultValue == null;
    control = h('select', { ...common, required: p.required },
      blank && h('option', { value: '' }, p.required ? 'Choose…' : '—'),
      p.options.map((o) => h('option', { value: o, selected: o === value }, o)));
  } else if (p.type === 'boolean') {
    control = h('input', { ...common, type: 'checkbox', checked: value === true });
  } else if (p.type === 'integer') {
    control = h('input', { ...common, type: 'number', step: 1, min: p.min, max: p.max, required: p.required,
      value: value ?? '' });
  } else if (p.secret) {
    control = h('input', { ...common, type: 'password', autocomplete: 'new-password', minlength: p.minLength,
      maxlength: p.maxLength, pattern: p.pattern, title: p.patternMessage });
  } else {
    const multiline = p.type === 'text' || p.type === 'string_list' || p.type === 'json' || p.type === 'object';
    const text = value == null ? '' : display(value, p.type === 'string_list' ? '\n' : ', ');
    control = h(multiline ? 'textarea' : 'input', { ...common, rows: multiline ? 3 : undefined, autocomplete: 'off',
      type: multiline ? undefined : p.type === 'url' ? 'url' : 'text', required: p.required,
      minlength: p.minLength, maxlength: p.maxLength, pattern: p.pattern, title: p.patternMessage, value: text });
  }

  /** Shows a stored entry's values (or, for null, the descriptor's defaults). */
  function reset(values) {
    const v = values ? values[p.name] : p.defaultValue;
    if (p.secret) {
      control.value = ''; // a secret never stays on the page
      const stored = isSet(values);
      control.required = p.required && !stored; // a required secret is required only until one is stored
      control.placeholder = stored ? 'set — type a new one to replace it' : '';
      setState.textContent = stored ? 'set' : 'not set';
      setState.className = `status status-${stored ? 'configured' : 'not_configured'}`;
      setState.hidden = creating && !values;
    } else if (p.type === 'boolean') {
      control.checked = v === true;
    } else {
      control.value = v == null ? '' : display(v, p.type === 'string_list' ? '\n' : ', ');
    }
  }
  reset(creating ? null : entry);

  const label = h('label', { for: id }, p.label, p.required && !p.secret && h('span', { class: 'required', 'aria-hidden': 'true' }, ' *'),
    p.secret && ' ', p.secret && setState);
  const helpText = help && h('small', { id: `${id}-help` }, p.secret ? `${help} · Write-only.` : help);
  const error = h('small', { class: 'field-error', id: `${id}-error` });
  const element = p.type === 'boolean'
    ? h('div', { class: 'field' }, h('div', { class: 'check' }, control, label), helpText, error)
    : h('div', { class: 'field' }, label, control, helpText, error);
  return { p, control, element, reset };
}

/** The form's values by API field name: empty ones left out (or, editing, only those that differ from `entry`). */
function collect(form, controls, entry) {
  if (!form.reportValidity()) return null; // the browser names the field and what it needs
  const body = {};
  for (const { p, control } of controls) {
    let value;
    if (p.type === 'boolean') value = control.checked;
    else if (control.value.trim() === '') value = undefined;
    else if (p.type === 'integer') value = Number(control.value);
    else if (p.type === 'string_list') value = control.value.split('\n').map((s) => s.trim()).filter((s) => s !== '');
    else if (p.type === 'json' || p.type === 'object') {
      try {
        value = JSON.parse(control.value);
      } catch (e) {
        showErrors(form, { title: 'Not valid JSON', errors: [{ field: p.name, message: e.message }] });
        return null;
      }
    } else value = control.value.trim();
    if (!entry) {
      if (value !== undefined) body[p.name] = value;
    } else if (p.secret) {
      if (value !== undefined) body[p.name] = value;
    } else if (JSON.stringify(value ?? null) !== JSON.stringify(entry[p.name] ?? null)) {
      // emptied: an empty text returns the field to its default, as the API documents; other kinds send null
      body[p.name] = value ?? (['string', 'text', 'url'].includes(p.type) ? '' : null);
    }
  }
  return body;
}

// ------------------------------------------------------------------ Sending, actions and errors

/** Runs a change; a problem is shown before `anchor` and each field error beside its field. Answers {ok, value}. */
async function send(anchor, control, work) {
  const form = anchor.closest('form') ?? anchor;
  clearErrors(form);
  if (control) control.disabled = true;
  try {
    const value = await work();
    clearProblem();
    return { ok: true, value };
  } catch (e) {
    if (e.status !== 401) showErrors(anchor, e);
    return { ok: false };
  } finally {
    if (control) control.disabled = false;
  }
}

/** The problem in the page's alert (fields marked invalid, the first focused) and each message in its field's slot. */
function showErrors(anchor, problem) {
  showProblem(anchor, problem);
  const form = anchor.closest('form') ?? anchor;
  for (const e of Array.isArray(problem.errors) ? problem.errors : []) {
    const control = e.field && form.querySelector?.(`[name$="-${CSS.escape(e.field)}"]`);
    const slot = control && form.querySelector(`#${CSS.escape(control.id)}-error`);
    if (slot) slot.textContent = e.message ?? '';
  }
}

function clearErrors(form) {
  form.querySelectorAll?.('.field-error').forEach((el) => { el.textContent = ''; });
}

/** A descriptor action: `test` shows the answer's message and whether it passed; `oauth` opens the provider. */
async function runAction(ctx, action, path, control, anchor, result, subject) {
  if (action.kind === 'test') {
    result.className = '';
    result.textContent = `${action.label}: ${subject}…`;
  }
  const answer = await send(anchor, control, () => rooted('POST', path));
  if (!answer.ok) {
    result.textContent = '';
    return;
  }
  if (action.kind === 'oauth') {
    if (answer.value?.authorizeUrl) location.assign(answer.value.authorizeUrl);
    return;
  }
  const passed = answer.value?.ok === true || answer.value?.result === 'ok';
  result.className = passed ? 'ok' : 'error';
  result.textContent = `${subject}: ${passed ? 'OK' : 'Failed'} — ${answer.value?.message ?? answer.value?.code ?? ''}`;
}

/** An OAuth action on an entry that was connected before is a reconnection. */
function actionLabel(action, entry) {
  return action.kind === 'oauth' && (entry.status === 'connected' || entry.status === 'needs_reconnect')
    ? 'Reconnect' : action.label;
}

// ------------------------------------------------------------------ Values in words

/** Each secret field's state: "Auth token set" / "Auth token not set". */
function secretStates(page, values) {
  return page.fields.filter((p) => p.secret).map((p) => `${p.label} ${values[`${p.name}Set`] ? 'set' : 'not set'}`);
}

/** A read-only value as a person reads it: the page's words for it, a time, yes/no, a status, an error. */
function shownValue(ctx, show, value) {
  const said = ctx.extras.words?.[show.name]?.[value];
  if (said) return h('span', { class: `status status-${String(value).replace(/[^a-z0-9]+/gi, '_')}` }, said);
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (/At$/.test(show.name) && !Number.isNaN(Date.parse(value))) return time(value);
  if (/error/i.test(show.name)) return h('span', { class: 'error' }, display(value));
  if (show.name === 'status') return statusBadge(value);
  return display(value);
}

function display(value, separator = ', ') {
  if (Array.isArray(value)) return value.map((v) => display(v)).join(separator);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A value's name in words: lastPolledAt → "Last polled at". */
function words(name) {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]/g, ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** What a rename did to the workflows that named the entry (they follow the new name). */
function renameSummary(answer) {
  const names = (workflows) => workflows.map((w) => `"${w.name}"`).join(', ');
  const updated = answer.workflowsUpdated ?? [];
  let text = `Renamed to "${answer.name}".`;
  text += updated.length ? ` Workflows now using the new name: ${names(updated)}.` : ' No workflow named it.';
  const stuck = answer.workflowsNotUpdated ?? [];
  if (stuck.length) {
    text += ` Still naming the old one (change them by hand): ${stuck.map((w) => `"${w.name}" (${w.reason})`).join(', ')}.`;
  }
  return text;
}

// ------------------------------------------------------------------ Salesforce

/**
 * The callback URL to paste into the Connected App before the first connection is made: the connector's OAuth
 * callback under the installation's public URL (DOONEFLOW_PUBLIC_URL; unset: the address of this console).
 */
function salesforceCallback({ org }) {
  const url = `${publicOrigin()}/v1/organizations/${encodeURIComponent(org.id)}/integrations/salesforce/oauth/callback`;
  const code = h('code', { id: 'salesforce-callback-url' }, url);
  return h('div', { class: 'callback' },
    h('p', {}, 'First create a Connected App in Salesforce (Setup → App Manager → New Connected App → Enable OAuth '
      + 'Settings) with this Callback URL, and the scopes api and refresh_token, offline_access:'),
    h('p', {}, code, ' ', copyButton('salesforce-callback-copy', () => url, code)),
    h('p', { class: 'muted' }, 'It is under the installation\'s public URL (DOONEFLOW_PUBLIC_URL), or this console\'s '
      + 'address when none is set. If you registered another URL, give it as the Callback URL below.'));
}

// ------------------------------------------------------------------ Dashboard health cards

/**
 * The dashboard's health card per connector settings page, built from its descriptor like the pages themselves (a
 * third party's connector gets one too): configured or not, each entry with what its descriptor shows (a status in
 * words, the last poll and error), the connector's Test action, and a link to its page. Connectors that are
 * installed but not running say so; types the organization's workflows use that no installed connector provides are
 * listed as not installed.
 */
export async function healthCards({ org, orgPath, workflows }) {
  const connectors = await get('/connectors');
  const pages = connectors.settings ?? [];
  const cards = await Promise.all(pages.map((page) => healthCard(page, org, orgPath)));
  const missing = notInstalled(connectors, workflows);
  if (missing.length > 0) {
    cards.push(h('section', { class: 'health', id: 'health-not-installed', 'aria-labelledby': 'health-not-installed-title' },
      h('h3', { id: 'health-not-installed-title' }, 'Not installed'),
      h('ul', { class: 'plain' }, missing.map(([type, names]) => h('li', {}, statusBadge('not installed'), ' ',
        h('code', {}, type), `: used by ${names.join(', ')}. Runs that reach it wait until its connector is installed.`)))));
  }
  return cards;
}

/** The trigger and action types the workflows use that no installed connector provides, with the workflows' names. */
function notInstalled(connectors, workflows) {
  const known = new Set([...(connectors.triggers ?? []), ...(connectors.actions ?? [])].map((t) => t.type));
  const missing = new Map();
  for (const w of workflows ?? []) {
    const types = [w.trigger?.type, ...(w.actions ?? []).map((a) => a.type)].filter(Boolean);
    for (const type of types) {
      if (known.has(type)) continue;
      if (!missing.has(type)) missing.set(type, new Set());
      missing.get(type).add(w.name);
    }
  }
  return [...missing].map(([type, names]) => [type, [...names]]);
}

async function healthCard(page, org, orgPath) {
  const id = `health-${page.id}`;
  const ctx = { page, extras: EXTRAS[page.id] ?? {} };
  const card = h('section', { class: 'health', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, page.label));
  const fix = (text) => h('a', { href: `${orgPath}/integrations/${encodeURIComponent(page.id)}` }, text);
  if (!page.running) {
    card.append(h('p', {}, statusBadge('not running')),
      h('p', { class: 'muted' }, `Its bundle ${page.bundle} is installed but not started.`), fix('Open its page'));
    return card;
  }
  const resource = page.resource.replace('{orgId}', encodeURIComponent(org.id));
  try {
    if (page.entries === 'many') {
      const entries = await listAllRooted(resource);
      if (entries.length === 0) {
        card.append(h('p', {}, statusBadge('not configured')), fix(`Set up ${page.label}`));
        return card;
      }
      const nameField = page.fields.find((p) => p.name === 'name')
        ?? page.fields.find((p) => p.required && !p.secret && p.type === 'string') ?? page.fields[0];
      card.append(h('ul', { class: 'plain' }, entries.map((entry) => h('li', {},
        h('strong', {}, String((nameField && entry[nameField.name]) ?? entry.id)),
        (page.shows ?? []).filter((s) => entry[s.name] !== undefined && entry[s.name] !== null && entry[s.name] !== '')
          .map((s) => [h('br'), `${words(s.name)}: `, shownValue(ctx, s, entry[s.name])])))),
      fix(entries.some((e) => e.lastError || (e.status && e.status !== 'connected')) ? 'Fix it' : 'Manage'));
      return card;
    }
    let settings = null;
    try {
      settings = await rooted('GET', resource);
    } catch (e) {
      if (e.status !== 404) throw e;
    }
    if (!settings) {
      card.append(h('p', {}, statusBadge('not configured')), fix(`Set up ${page.label}`));
      return card;
    }
    card.append(h('p', {}, statusBadge('configured'), ' ', secretStates(page, settings).join(' · ')),
      ...(page.shows ?? []).filter((s) => settings[s.name] !== undefined && settings[s.name] !== null)
        .map((s) => h('p', {}, `${words(s.name)}: `, shownValue(ctx, s, settings[s.name]))));
    const tests = page.actions.filter((a) => a.kind === 'test');
    for (const a of tests) {
      const verdict = h('output', { id: `${id}-${a.id}-result`, 'aria-live': 'polite' });
      const check = button(a.label, { id: `${id}-${a.id}`, title: a.description });
      check.addEventListener('click', async () => {
        check.disabled = true;
        verdict.className = '';
        verdict.textContent = 'Checking…';
        try {
          const answer = await rooted('POST', `${resource}/${a.path}`);
          const passed = answer?.ok === true || answer?.result === 'ok';
          verdict.className = passed ? 'ok' : 'error';
          verdict.textContent = `${passed ? 'Works' : 'Does not work'}: ${answer?.message ?? answer?.code ?? ''}`;
        } catch (e) {
          verdict.className = 'error';
          verdict.textContent = `Does not work: ${e.detail ?? e.title ?? e.message}`;
        } finally {
          check.disabled = false;
        }
      });
      card.append(h('div', { class: 'toolbar' }, check, verdict));
    }
    card.append(fix(`Change ${page.label}`));
  } catch (e) {
    if (e.status === 401) throw e;
    card.append(h('p', { class: 'error' }, e.status === 403 ? 'Only owners and admins can see this.'
      : `Could not be read: ${e.title ?? e.message}`));
  }
  return card;
}
