// The workflow editor: a form built from the installed types' descriptors (GET /v1/connectors), the same
// definition as JSON ("Advanced"), and for a saved webhook workflow its URL, key and a test run.
import { get, post, patch, webhookTest, publicOrigin, query } from './api.js';
import { h, appendAll, button, field, json, select, statusBadge, showProblem, clearProblem, constraints, copyButton,
  time } from './dom.js';

const api = (org, path = '') => `/organizations/${encodeURIComponent(org.id)}${path}`;

/** What an empty list means for an option source's list parameter (team.assign's pool: every active member). */
const EMPTY_LIST_MEANS = { 'team.members': 'All active team members' };

/** A sample body for a test run: the fields the webhook trigger reads as the contact. */
const GRACE_CHOICES = [[String(24 * 3600), '24 hours'], [String(3600), '1 hour'], [String(7 * 24 * 3600), '7 days'],
  ['0', 'No time: refuse it at once']];
const graceLabel = (seconds) => GRACE_CHOICES.find(([value]) => Number(value) === seconds)?.[1] ?? `${seconds} s`;

const SAMPLE_BODY = { name: 'Ann Lee', phone: '+14155550123', email: 'ann@example.com' };

/** The parts of a saved workflow (or an imported definition) the editor works on; `<name>Set` flags stay in. */
function definitionOf(w) {
  const step = (s) => ({ type: s?.type ?? '', params: { ...(s?.params ?? {}) }, ...(s?.retry ? { retry: s.retry } : {}) });
  return {
    name: w.name ?? '',
    enabled: w.enabled ?? true,
    trigger: step(w.trigger),
    actions: Array.isArray(w.actions) ? w.actions.map(step) : [],
  };
}

/** A template's placeholders, as the engine finds them: {name}, {order.id}; anything else in braces is text. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}/g;

/** The placeholder names in a parameter's value: strings anywhere in it (keys of an object are not templates). */
function placeholdersIn(value, names = new Set()) {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) names.add(m[1]);
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => placeholdersIn(v, names));
  return names;
}

/** {a.b.c} is provided when a, a.b or a.b.c is: templates walk into objects (as the server judges it). */
function provided(name, available) {
  const parts = name.split('.');
  return parts.some((_, i) => available.has(parts.slice(0, i + 1).join('.')));
}

/**
 * The fields of an event's trigger data as templates address them: {name}, nested objects' fields as {order.id}
 * (a few levels deep, at most 100); keys a placeholder cannot spell are left out. Each with a short example value.
 */
function eventFields(data, prefix = '', out = []) {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return out;
  for (const [key, value] of Object.entries(data)) {
    if (out.length >= 100) break;
    if (!(prefix ? /^[A-Za-z0-9_]+$/ : /^[A-Za-z_][A-Za-z0-9_]*$/).test(key)) continue;
    const name = prefix + key;
    const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
    out.push({ name, description: `e.g. ${text.length > 40 ? `${text.slice(0, 39)}…` : text}` });
    if (prefix.split('.').length < 4) eventFields(value, `${name}.`, out);
  }
  return out;
}

function blankDefinition(connectors) {
  const trigger = connectors.triggers.find((t) => t.type === 'webhook') ?? connectors.triggers[0];
  return { name: '', enabled: true, trigger: { type: trigger?.type ?? '', params: {} }, actions: [{ type: '', params: {} }] };
}

/** Every installed type with its parameters, beside the JSON text. */
function typeCatalogue(connectors) {
  const describe = (t) => h('details', { class: 'type' },
    h('summary', {}, h('code', {}, t.type), ` — ${t.label}`),
    t.description && h('p', {}, t.description),
    h('ul', {}, t.parameters.map((p) => h('li', {},
      h('code', {}, p.name), ` (${p.type}${p.required ? ', required' : ''}${p.secret ? ', secret' : ''}${p.templatable ? ', {variables}' : ''})`,
      p.options.length > 0 && ` one of ${p.options.join(', ')}`,
      constraints(p) && ` ${constraints(p)}`,
      p.defaultValue !== null && p.defaultValue !== undefined && ` default ${JSON.stringify(p.defaultValue)}`,
      p.description && h('div', { class: 'muted' }, p.description)))));
  return h('aside', { class: 'catalogue' },
    h('h3', {}, 'Trigger types'), connectors.triggers.map(describe),
    h('h3', {}, 'Action types'), connectors.actions.map(describe));
}

/**
 * Opens the editor in `holder` for `workflow` (as GET .../workflows/{id} answers it) or, when null, a new one.
 * `onSaved` runs after every successful save (the page refreshes its list); `onClose` when the editor is closed.
 */
export function workflowEditor({ holder, org, orgPath, connectors, workflow, onSaved, onClose }) {
  let saved = workflow; // the workflow as last saved; null until a new one is first saved
  let def = workflow ? definitionOf(workflow) : blankDefinition(connectors);
  let mode = 'form';
  const optionLists = new Map(); // option source → promise of its items, loaded once per editor
  const fields = new Map(); // error path (trigger.params.path, actions[1].type...) → { control, error, focus }
  const badJson = new Map(); // json parameters whose text does not parse: error path → field label
  const templated = new Map(); // templatable action parameters: error path → { index, name, warning }
  const warned = new Map(); // error path → the variable warning last shown there (shown once, saving keeps it)
  let events = loadEvents(); // promise of the saved webhook workflow's latest runs' trigger data

  const heading = h('h2', {});
  const tabForm = button('Form', { id: 'workflow-tab-form', role: 'tab', onclick: () => showTab('form') });
  const tabJson = button('Advanced (JSON)', { id: 'workflow-tab-json', role: 'tab', onclick: () => showTab('json') });
  const problemAnchor = h('div', { class: 'problem-anchor' }); // the problem box always goes right before it
  const formPanel = h('div', { id: 'workflow-form', role: 'tabpanel', 'aria-labelledby': 'workflow-tab-form' });
  const jsonText = h('textarea', { id: 'workflow-json', rows: 24, spellcheck: 'false', 'aria-label': 'Workflow JSON' });
  const jsonPanel = h('div', { role: 'tabpanel', 'aria-labelledby': 'workflow-tab-json', class: 'editor-body', hidden: true },
    h('div', { class: 'editor-main' }, jsonText), typeCatalogue(connectors));
  const saveButton = button('Save workflow', { id: 'workflow-save', class: 'primary', onclick: save });
  const savedStatus = h('output', { id: 'workflow-saved', class: 'ok' });
  const webhookPanel = h('section', { id: 'webhook-setup', class: 'card', hidden: true });
  const testPanel = h('section', { id: 'workflow-test', class: 'card', hidden: true });
  const editor = h('section', { class: 'card editor' }, heading,
    h('div', { class: 'tabs', role: 'tablist' }, tabForm, tabJson),
    problemAnchor, formPanel, jsonPanel,
    h('div', { class: 'toolbar' }, saveButton, button('Close', { id: 'workflow-close', onclick: onClose }), savedStatus));

  holder.replaceChildren(editor, webhookPanel, testPanel);
  showHeading();
  renderForm();
  selectTab();
  renderWebhook(null);
  renderTest();
  document.getElementById('workflow-name').focus();

  /**
   * The trigger data of the workflow's latest run (test or real: its body fields become variables) and of its
   * latest real run (the test run's sample); nulls when there is none, or for a trigger other than a webhook.
   */
  async function loadEvents() {
    if (!saved || saved.trigger.type !== 'webhook') return { last: null, lastReal: null };
    const latest = (test) => get(api(org, `/executions${query({ workflowId: saved.id, test, limit: 1 })}`))
      .then((page) => page.items[0] ?? null, () => null); // without them the editor still works
    const [last, lastReal] = await Promise.all([latest(), latest('false')]);
    return { last, lastReal };
  }

  function showHeading() {
    heading.textContent = saved ? `Edit "${saved.name}"` : 'New workflow';
  }

  // ---------------------------------------------------------------- the form

  function renderForm() {
    fields.clear();
    badJson.clear();
    templated.clear();
    const name = h('input', { id: 'workflow-name', required: true, maxlength: 200, autocomplete: 'off',
      placeholder: 'e.g. New leads', value: def.name, 'aria-describedby': 'workflow-name-error' });
    name.addEventListener('input', () => { def.name = name.value; });
    const enabled = h('input', { id: 'workflow-enabled', type: 'checkbox', checked: def.enabled !== false });
    enabled.addEventListener('change', () => { def.enabled = enabled.checked; });
    const addAction = button('Add action', { id: 'action-add', onclick: () => {
      def.actions.push({ type: '', params: {} });
      renderForm();
      document.getElementById(`action-${def.actions.length - 1}-type`).focus();
    } });
    formPanel.replaceChildren(
      h('div', { class: 'field' }, h('label', { for: 'workflow-name' }, 'Name', required()), name,
        errorSlot('name', name)),
      h('div', { class: 'field check' }, enabled, h('label', { for: 'workflow-enabled' }, 'Enabled (the trigger fires)')),
      h('fieldset', { class: 'step', id: 'trigger' }, h('legend', {}, 'Trigger: when this happens'),
        stepFields('trigger', 'trigger', def.trigger, connectors.triggers, -1)),
      h('ol', { class: 'step-list' }, def.actions.map((action, i) => h('li', {},
        h('fieldset', { class: 'step', id: `action-${i}` },
          h('legend', {}, `Step ${i + 1}: then do this`),
          h('div', { class: 'actions step-tools' },
            button('Move up', { dataset: { action: 'up' }, disabled: i === 0, onclick: () => move(i, -1, 'up') }),
            button('Move down', { dataset: { action: 'down' }, disabled: i === def.actions.length - 1,
              onclick: () => move(i, 1, 'down') }),
            button('Remove', { dataset: { action: 'remove' }, class: 'danger', onclick: () => remove(i) })),
          stepFields(`action-${i}`, `actions[${i}]`, action, connectors.actions, i))))),
      addAction);
    fields.set('actions', { control: addAction, error: null, focus: () => addAction.focus() });
  }

  function move(i, by, which) {
    const [action] = def.actions.splice(i, 1);
    def.actions.splice(i + by, 0, action);
    renderForm();
    const again = document.querySelector(`#action-${i + by} [data-action='${which}']`);
    (again && !again.disabled ? again : document.getElementById(`action-${i + by}-type`)).focus();
  }

  function remove(i) {
    def.actions.splice(i, 1);
    renderForm();
    document.getElementById(def.actions.length > 0 ? `action-${Math.min(i, def.actions.length - 1)}-type` : 'action-add').focus();
  }

  /** The type picker of the trigger or an action, its description, and one field per parameter. */
  function stepFields(prefix, path, step, types, index) {
    const id = `${prefix}-type`;
    const descriptor = types.find((t) => t.type === step.type);
    const picker = h('select', { id, required: true, 'aria-describedby': `${id}-help ${id}-error` },
      !descriptor && h('option', { value: step.type, selected: true },
        step.type ? `${step.type} (not installed)` : index < 0 ? 'Choose a trigger…' : 'Choose an action…'),
      types.map((t) => h('option', { value: t.type, selected: t.type === step.type }, `${t.label} (${connectorOf(t)})`)));
    picker.addEventListener('change', () => {
      step.type = picker.value;
      step.params = {}; // another type's parameters mean nothing here; unset ones take their defaults
      renderForm();
      document.getElementById(id).focus();
    });
    const typeField = h('div', { class: 'field' },
      h('label', { for: id }, index < 0 ? 'Trigger type' : 'Action type', required()), picker,
      h('small', { id: `${id}-help` }, descriptor
        ? `${descriptor.description ?? ''} Connector: ${descriptor.bundle ?? connectorOf(descriptor)}.`.trim()
        : (step.type ? 'This type is not installed here: its parameters can be changed in the Advanced (JSON) tab.' : '')),
      errorSlot(`${path}.type`, picker));
    fields.set(path, fields.get(`${path}.type`)); // an error about the step as a whole lands on its type
    return [typeField, ...(descriptor?.parameters ?? []).map((p) => paramField(prefix, path, step, p, index))];
  }

  /** The connector a type comes from, as its id names it ("twilio" of twilio.sms.send). */
  function connectorOf(type) {
    return type.type.split('.')[0];
  }

  /** One parameter's label, control, help text and error slot. */
  function paramField(prefix, path, step, p, index) {
    const id = `${prefix}-param-${p.name}`;
    const errorPath = `${path}.params.${p.name}`;
    const params = step.params;
    const value = p.name in params ? params[p.name] : p.defaultValue;
    const set = (v) => {
      if (v === undefined) delete params[p.name];
      else params[p.name] = v;
    };
    const judged = p.templatable && index >= 0; // variables are checked in actions, as the server does
    const describedBy = `${id}-help ${id}-error${judged ? ` ${id}-warning` : ''}`;
    const common = { id, 'aria-describedby': describedBy, required: p.required };
    let control;
    let focusTarget;
    let extra = null; // an element before the control (the "all" checkbox of an option list)
    let insertInto = () => control; // where the variable picker writes

    if (p.optionSource && p.type === 'string_list') {
      const list = Array.isArray(value) ? value : [];
      control = h('select', { ...common, multiple: true, size: 5, hidden: list.length === 0 && !p.required });
      const all = h('input', { type: 'checkbox', id: `${id}-all`, checked: list.length === 0 });
      all.addEventListener('change', () => {
        control.hidden = all.checked;
        if (all.checked) {
          [...control.options].forEach((o) => { o.selected = false; });
          set(undefined); // left out: the empty list
        } else {
          control.focus();
        }
      });
      if (!p.required) {
        extra = h('div', { class: 'check' }, all,
          h('label', { for: all.id }, EMPTY_LIST_MEANS[p.optionSource] ?? 'Any (none chosen)'));
      }
      fillOptions(control, p, list);
      control.addEventListener('change', () => set([...control.selectedOptions].map((o) => o.value)));
      focusTarget = () => (control.hidden ? all : control);
    } else if (p.optionSource) {
      control = h('select', common);
      fillOptions(control, p, value == null ? [] : [String(value)]);
      control.addEventListener('change', () => set(control.value === '' ? undefined : control.value));
    } else if (p.type === 'select') {
      const blank = !p.required && p.defaultValue == null;
      control = h('select', common,
        (blank || value == null) && h('option', { value: '' }, blank ? '—' : 'Choose…'),
        p.options.map((o) => h('option', { value: o, selected: o === value }, o)));
      control.addEventListener('change', () => set(control.value === '' ? undefined : control.value));
    } else if (p.type === 'boolean') {
      control = h('input', { ...common, required: false, type: 'checkbox', checked: value === true });
      control.addEventListener('change', () => set(control.checked));
    } else if (p.type === 'integer') {
      control = h('input', { ...common, type: 'number', step: 1, min: p.min, max: p.max, value: value ?? '' });
      control.addEventListener('input', () => set(control.value === '' ? undefined : Number(control.value)));
    } else if (p.secret) {
      const isSet = params[`${p.name}Set`] === true;
      // Write-only: the stored value never comes back; typing replaces it, leaving it blank keeps it.
      control = h('input', { ...common, required: p.required && !isSet, type: 'password', autocomplete: 'new-password',
        value: typeof params[p.name] === 'string' ? params[p.name] : '',
        placeholder: isSet ? 'set — leave blank to keep' : '' });
      control.addEventListener('input', () => set(control.value === '' ? undefined : control.value));
    } else if (p.type === 'object') {
      const editor = keyValueEditor(id, value, p, set, describedBy);
      control = editor.element;
      focusTarget = editor.focus;
      insertInto = editor.valueInput;
    } else if (p.type === 'json') {
      control = h('textarea', { ...common, rows: 5, spellcheck: 'false', class: 'code',
        value: value == null ? '' : JSON.stringify(value, null, 2) });
      // Checked when the field is left: a half-typed object is not an error yet.
      control.addEventListener('blur', () => {
        const error = document.getElementById(`${id}-error`);
        badJson.delete(errorPath);
        markValid(control, error);
        if (control.value.trim() === '') {
          set(undefined);
          return;
        }
        try {
          set(JSON.parse(control.value));
        } catch (e) {
          badJson.set(errorPath, p.label);
          markInvalid(control, error, `Not valid JSON: ${e.message}`);
        }
      });
    } else if (p.type === 'string_list') {
      control = h('textarea', { ...common, rows: 3, value: Array.isArray(value) ? value.join('\n') : '' });
      control.addEventListener('input', () => {
        const items = control.value.split('\n').map((s) => s.trim()).filter((s) => s !== '');
        set(items.length > 0 ? items : undefined);
      });
    } else {
      const multiline = p.type === 'text';
      control = h(multiline ? 'textarea' : 'input', { ...common, rows: multiline ? 3 : undefined,
        autocomplete: 'off', spellcheck: multiline ? 'true' : 'false', value: value == null ? '' : String(value),
        inputmode: p.type === 'url' ? 'url' : undefined });
      control.addEventListener('input', () => set(control.value === '' ? undefined : control.value));
    }

    const help = [p.description, constraints(p)].filter(Boolean).join(' · ');
    const error = errorSlot(errorPath, control, focusTarget);
    const row = p.templatable ? h('div', { class: 'with-vars' }, control, variablePicker(id, p.label, index, insertInto))
      : control;
    const warning = judged && variableWarning(id, errorPath, index, p.name);
    if (warning) {
      // Leaving the field (not for its own picker or another of its rows) checks its variables; for Save, saving
      // does, so that a warning it shows for the first time stops that save.
      row.addEventListener('focusout', (e) => {
        if (row.contains(e.relatedTarget) || e.relatedTarget === saveButton) return;
        events.then(({ last }) => flagUnknown(errorPath, last));
      });
    }
    const label = h('label', { for: p.type === 'object' ? undefined : id, id: `${id}-label` }, p.label,
      p.required && required(),
      p.secret && params[`${p.name}Set`] === true && h('span', { class: 'status status-connected', id: `${id}-set` }, 'set'));
    if (p.type === 'boolean') {
      return h('div', { class: 'field' }, h('div', { class: 'check' }, control, label),
        help && h('small', { id: `${id}-help` }, help), error);
    }
    return h('div', { class: 'field' }, label, extra, row, help && h('small', { id: `${id}-help` }, help), error,
      warning);
  }

  /** Fills an option source's select with its labels (the stored value is the option's value, never typed). */
  async function fillOptions(control, p, chosen) {
    control.append(h('option', { value: '', disabled: true }, 'Loading…'));
    if (!optionLists.has(p.optionSource)) {
      optionLists.set(p.optionSource, get(api(org, `/options/${encodeURIComponent(p.optionSource)}`)).then((a) => a.items));
    }
    let items;
    try {
      items = await optionLists.get(p.optionSource);
    } catch (e) {
      optionLists.delete(p.optionSource);
      control.replaceChildren(h('option', { value: chosen[0] ?? '' }, 'The list could not be loaded'));
      if (e.status !== 401) showProblem(problemAnchor, e);
      return;
    }
    const known = new Set(items.map((o) => o.value));
    control.replaceChildren();
    appendAll(control, [
      !control.multiple && h('option', { value: '' }, items.length === 0 ? 'Nothing to choose from yet'
        : p.required ? 'Choose…' : '—'),
      items.map((o) => h('option', { value: o.value, selected: chosen.includes(o.value) }, o.label)),
      // a stored value that is gone (a deleted inbox) stays visible instead of silently changing
      chosen.filter((v) => !known.has(v)).map((v) => h('option', { value: v, selected: true }, `${v} (not found)`))]);
    if (!control.multiple && chosen.length === 0) control.value = '';
  }

  /** Name → value rows (request headers, weights); values stay text where variables may fill them. */
  function keyValueEditor(id, value, p, set, describedBy) {
    const rows = Object.entries(value && typeof value === 'object' ? value : {})
      .map(([k, v]) => ({ key: k, value: typeof v === 'string' ? v : JSON.stringify(v) }));
    const body = h('tbody');
    const add = button('Add', { id: `${id}-add`, onclick: () => {
      rows.push({ key: '', value: '' });
      draw();
      document.getElementById(`${id}-key-${rows.length - 1}`).focus();
    } });
    let lastValue = null;
    const write = () => {
      const object = {};
      for (const r of rows) {
        if (r.key.trim() === '') continue;
        // not templatable (weights): whole numbers go as numbers
        object[r.key.trim()] = !p.templatable && /^-?\d+$/.test(r.value.trim()) ? Number(r.value.trim()) : r.value;
      }
      set(Object.keys(object).length > 0 ? object : undefined);
    };
    function draw() {
      body.replaceChildren(...rows.map((r, i) => {
        const key = h('input', { id: `${id}-key-${i}`, value: r.key, autocomplete: 'off', 'aria-label': `${p.label}: name ${i + 1}` });
        const val = h('input', { id: `${id}-value-${i}`, value: r.value, autocomplete: 'off', 'aria-label': `${p.label}: value ${i + 1}` });
        key.addEventListener('input', () => { r.key = key.value; write(); });
        val.addEventListener('input', () => { r.value = val.value; write(); });
        val.addEventListener('focus', () => { lastValue = val; });
        return h('tr', {}, h('td', {}, key), h('td', {}, val), h('td', {}, button('Remove', {
          'aria-label': `Remove ${p.label} ${i + 1}`, onclick: () => {
            rows.splice(i, 1);
            lastValue = null;
            draw();
            write();
            add.focus();
          },
        })));
      }));
    }
    draw();
    const element = h('div', { id, class: 'kv', role: 'group', 'aria-labelledby': `${id}-label`, 'aria-describedby': describedBy },
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Value'), h('th', {}))), body), add);
    return {
      element,
      focus: () => (body.querySelector('input') ?? add).focus(),
      valueInput: () => {
        if (lastValue?.isConnected) return lastValue;
        if (rows.length === 0) add.click();
        return document.getElementById(`${id}-value-${rows.length - 1}`);
      },
    };
  }

  /** The variables a step can use: the trigger's, the last event's body fields (webhook), each earlier action's outputs. */
  function variablesAt(index, last) {
    const groups = [];
    const trigger = connectors.triggers.find((t) => t.type === def.trigger.type);
    if (trigger) groups.push({ source: `Trigger (${trigger.label})`, outputs: trigger.outputs });
    if (isWebhook() && last) {
      groups.push({ source: `Last event (${time(last.createdAt)})`, outputs: eventFields(last.triggerData) });
    }
    for (let i = 0; i < index; i++) {
      const action = connectors.actions.find((t) => t.type === def.actions[i].type);
      if (action) groups.push({ source: `Step ${i + 1} (${action.label})`, outputs: action.outputs });
    }
    return groups.filter((g) => g.outputs.length > 0);
  }

  /** A small button listing the variables available here; picking one inserts {name} at the cursor. */
  function variablePicker(id, label, index, insertInto) {
    const list = h('div', { id: `${id}-vars-list`, class: 'var-list', role: 'group', 'aria-label': `Variables for ${label}`,
      hidden: true });
    const toggle = button('{…}', { id: `${id}-vars`, class: 'var-button', title: 'Insert a variable',
      'aria-label': `Insert a variable into ${label}`, 'aria-expanded': 'false', 'aria-controls': list.id });
    const close = () => {
      list.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
    };
    const insert = (name) => {
      const target = insertInto();
      close();
      if (!target) return;
      target.focus();
      const start = target.selectionStart ?? target.value.length;
      target.setRangeText(`{${name}}`, start, target.selectionEnd ?? start, 'end');
      target.dispatchEvent(new Event('input', { bubbles: true })); // the definition follows, as when typed
    };
    toggle.addEventListener('click', async () => {
      if (!list.hidden) {
        close();
        return;
      }
      const groups = variablesAt(index, (await events).last);
      list.replaceChildren(...(groups.length === 0 ? [h('p', { class: 'muted' }, 'No variables are available here.')]
        : groups.map((g) => h('div', {}, h('strong', {}, g.source),
          h('ul', {}, g.outputs.map((o) => h('li', {}, o.name === '*'
            ? h('span', { class: 'muted' }, 'any field of the body, e.g. {name}', o.description ? ` — ${o.description}` : '')
            : [button(`{${o.name}}`, { dataset: { variable: o.name }, onclick: () => insert(o.name) }),
              o.description && h('small', {}, ` ${o.description}`)])))))));
      list.hidden = false;
      toggle.setAttribute('aria-expanded', 'true');
      list.querySelector('button')?.focus();
    });
    list.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        close();
        toggle.focus();
      }
    });
    return h('div', { class: 'var-picker' }, toggle, list);
  }

  // ---------------------------------------------------------------- variables nothing provides

  function isWebhook() {
    return def.trigger.type === 'webhook';
  }

  /** The slot beside an action's templatable parameter where variables nothing before it provides are flagged. */
  function variableWarning(id, path, index, name) {
    const warning = h('small', { id: `${id}-warning`, class: 'field-warning', hidden: true });
    templated.set(path, { index, name, warning });
    return warning;
  }

  /**
   * The variable names step `index` can use, judged as the server does: the trigger's and the earlier steps'
   * declared outputs and, for a webhook, the body fields of its last event. Null when a step before it says not
   * (or not all) of what it gives, so nothing can be judged.
   */
  function variablesAvailable(index, last) {
    const names = new Set();
    const steps = [connectors.triggers.find((t) => t.type === def.trigger.type),
      ...def.actions.slice(0, index).map((a) => connectors.actions.find((t) => t.type === a.type))];
    for (const [i, type] of steps.entries()) {
      if (!type || type.outputs.length === 0) return null;
      for (const o of type.outputs) {
        if (o.name !== '*') names.add(o.name);
        else if (i === 0 && isWebhook()) eventFields(last?.triggerData).forEach((f) => names.add(f.name));
        else return null;
      }
    }
    return names;
  }

  /** Flags (or unflags) one parameter's unknown variables; true when the warning is one not shown before. */
  function flagUnknown(path, last) {
    const t = templated.get(path);
    if (!t?.warning.isConnected) return false;
    const available = variablesAvailable(t.index, last);
    const unknown = available ? [...placeholdersIn(def.actions[t.index]?.params[t.name])]
      .filter((n) => !provided(n, available)) : [];
    const names = unknown.map((n) => `{${n}}`).join(', ');
    const is = unknown.length === 1 ? 'is' : 'are';
    t.warning.textContent = unknown.length === 0 ? '' : isWebhook()
      ? `${names} ${is} not provided by any earlier step or the last event${last ? '' : ' (none has arrived yet)'}. `
        + 'Check the spelling; a webhook\'s body is free-form, so you can still save it as written.'
      : `${names} ${is} not provided by any earlier step: check the spelling.`;
    t.warning.hidden = unknown.length === 0;
    if (unknown.length === 0) return false;
    const fresh = warned.get(path) !== t.warning.textContent;
    warned.set(path, t.warning.textContent);
    return fresh;
  }

  // ---------------------------------------------------------------- errors next to their fields

  function required() {
    return h('span', { class: 'required', title: 'required' }, ' *');
  }

  /** The error slot of a field, registered under the path the API names it by (actions[1].params.body). */
  function errorSlot(path, control, focus) {
    const error = h('small', { id: `${control.id}-error`, class: 'field-error', hidden: true });
    fields.set(path, { control, error, focus: focus ?? (() => control.focus()) });
    return error;
  }

  function markInvalid(control, error, message) {
    control.setAttribute('aria-invalid', 'true');
    error.textContent = error.hidden || !error.textContent ? message : `${error.textContent} ${message}`;
    error.hidden = false;
  }

  function markValid(control, error) {
    control.removeAttribute('aria-invalid');
    error.textContent = '';
    error.hidden = true;
  }

  /** The field an error path is about, or the nearest enclosing one (actions[2].params.headers.X → headers). */
  function fieldFor(path) {
    let p = path ?? '';
    for (;;) {
      if (fields.has(p)) return fields.get(p);
      const shorter = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (shorter === p || shorter === '') return null;
      p = shorter;
    }
  }

  function clearErrors() {
    for (const f of fields.values()) if (f?.error) markValid(f.control, f.error);
    clearProblem();
  }

  /** The problem above the form, each field error beside its field, and focus on the first of them. */
  function showErrors(problem) {
    clearErrors();
    let first = null;
    if (mode === 'form') {
      for (const e of Array.isArray(problem.errors) ? problem.errors : []) {
        const f = fieldFor(e.field);
        if (!f?.error) continue;
        markInvalid(f.control, f.error, e.message ?? '');
        const warning = templated.get(e.field)?.warning;
        if (warning) warning.hidden = true; // the server's own finding replaces it
        first ??= f;
      }
    }
    showProblem(problemAnchor, problem);
    if (first) first.focus();
    else if (mode === 'json') jsonText.focus();
  }

  // ---------------------------------------------------------------- tabs

  function selectTab() {
    tabForm.setAttribute('aria-selected', String(mode === 'form'));
    tabJson.setAttribute('aria-selected', String(mode === 'json'));
    formPanel.hidden = mode !== 'form';
    jsonPanel.hidden = mode !== 'json';
  }

  /** Switching converts: the form's definition becomes the JSON text, and JSON that parses becomes the form. */
  function showTab(next) {
    if (next === mode) return;
    if (next === 'json') {
      if (badJson.size > 0) {
        refuseBadJson();
        return;
      }
      jsonText.value = JSON.stringify(def, null, 2);
    } else {
      const parsed = parseJsonTab();
      if (!parsed) return;
      def = parsed;
      renderForm();
    }
    clearProblem();
    mode = next;
    selectTab();
    (mode === 'json' ? tabJson : tabForm).focus();
  }

  /** The JSON tab's definition, or null after showing why it cannot be used (the tab stays as it is). */
  function parseJsonTab() {
    let parsed;
    try {
      parsed = JSON.parse(jsonText.value);
    } catch (e) {
      showProblem(problemAnchor, { title: 'This is not valid JSON', detail: e.message });
      jsonText.focus();
      return null;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || typeof parsed.trigger !== 'object'
      || !Array.isArray(parsed.actions)) {
      showProblem(problemAnchor, { title: 'This is not a workflow',
        detail: 'The form needs an object with a name, a trigger and a list of actions.' });
      jsonText.focus();
      return null;
    }
    return definitionOf(parsed);
  }

  function refuseBadJson() {
    const [path, label] = badJson.entries().next().value;
    showProblem(problemAnchor, { title: `${label} is not valid JSON`, detail: 'Correct it, or empty it, first.' });
    fields.get(path).focus();
  }

  // ---------------------------------------------------------------- saving

  async function save() {
    clearErrors();
    savedStatus.textContent = '';
    let body;
    if (mode === 'json') {
      try {
        body = JSON.parse(jsonText.value);
      } catch (e) {
        showProblem(problemAnchor, { title: 'This is not valid JSON', detail: e.message });
        jsonText.focus();
        return;
      }
    } else {
      if (badJson.size > 0) {
        refuseBadJson();
        return;
      }
      // Variables nothing provides are flagged beside their fields. A webhook's body is free-form: once flagged,
      // saving keeps them; other workflows the server refuses with the same finding.
      const { last } = await events;
      const flagged = [...templated.keys()].filter((path) => flagUnknown(path, last));
      if (flagged.length > 0 && isWebhook()) {
        savedStatus.textContent = 'Not saved yet: check the variables flagged below, then save again to keep them.';
        fields.get(flagged[0])?.focus();
        return;
      }
      body = def;
    }
    saveButton.disabled = true;
    try {
      const answer = saved ? await patch(api(org, `/workflows/${encodeURIComponent(saved.id)}`), body)
        : await post(api(org, '/workflows'), body);
      saved = answer;
      def = definitionOf(answer);
      showHeading();
      renderForm(); // secrets now show as "set", and nothing typed into them stays on the page
      if (mode === 'json') jsonText.value = JSON.stringify(def, null, 2);
      savedStatus.textContent = `Saved (version ${answer.version}).`;
      events = loadEvents();
      renderWebhook(null);
      renderTest();
      onSaved?.(answer);
      // A key-authenticated webhook without a key refuses every call: it gets one now, shown once.
      const auth = answer.trigger.params.authentication;
      if (answer.trigger.type === 'webhook' && (auth === 'key' || auth === 'standard-webhooks') && !answer.webhookKeySet) {
        await generateKey();
      }
    } catch (e) {
      if (e.status !== 401) showErrors(e);
    } finally {
      saveButton.disabled = false;
    }
  }

  // ---------------------------------------------------------------- webhook setup

  // Until when the key a rotation replaced is still accepted: undefined until known, null when it is not.
  let previousKeyExpiry;

  async function generateKey(graceSeconds = 0) {
    try {
      const key = await post(api(org, `/workflows/${encodeURIComponent(saved.id)}/webhook-key`
        + `?graceSeconds=${graceSeconds}`));
      saved = { ...saved, webhookKeySet: true };
      previousKeyExpiry = key.previousKeyExpiresAt ?? null;
      renderWebhook(key);
      document.getElementById('webhook-key-once')?.focus();
    } catch (e) {
      if (e.status !== 401) showProblem(webhookPanel.querySelector('.toolbar') ?? problemAnchor, e);
    }
  }

  /** The saved webhook's URL, a curl command, its authentication and its key; `fresh` is a key just generated. */
  function renderWebhook(fresh) {
    webhookPanel.hidden = !saved || saved.trigger.type !== 'webhook';
    if (webhookPanel.hidden) {
      webhookPanel.replaceChildren();
      return;
    }
    const path = saved.trigger.params.path ?? '';
    const auth = saved.trigger.params.authentication ?? 'none';
    // Callers reach the installation's public URL, which may not be the address this page came from.
    const url = `${publicOrigin()}/webhook/${path}`;
    const key = fresh?.webhookKey ?? 'YOUR_WEBHOOK_KEY';
    const curl = [`curl -X POST '${url}'`, "  -H 'Content-Type: application/json'",
      auth === 'key' && `  -H 'X-Webhook-Key: ${key}'`, `  -d '${JSON.stringify(SAMPLE_BODY)}'`]
      .filter(Boolean).join(' \\\n');
    const urlCode = h('code', { id: 'webhook-url' }, url);
    const curlCode = h('pre', { id: 'webhook-curl', class: 'json' }, curl);
    const modes = {
      none: 'None: anyone who knows the URL can call it.',
      key: 'Key: callers send the webhook key in the X-Webhook-Key header.',
      'standard-webhooks': 'Standard Webhooks: callers sign each request with the signing secret '
        + '(webhook-id, webhook-timestamp and webhook-signature headers).',
    };
    // How long callers may keep using the key a rotation replaces, so they can switch without lost webhooks.
    const grace = select('webhook-key-grace', GRACE_CHOICES, String(24 * 3600));
    const keyButton = button(saved.webhookKeySet ? 'Rotate key' : 'Generate key', {
      id: 'webhook-key-generate', class: saved.webhookKeySet ? undefined : 'primary',
      onclick: async () => {
        const seconds = saved.webhookKeySet ? Number(grace.value) : 0;
        if (saved.webhookKeySet && !confirm(seconds === 0
          ? 'Rotate the key? Callers using the current key or signing secret are refused from now on.'
          : `Rotate the key? The current key and signing secret stay valid for ${graceLabel(seconds)}.`)) return;
        keyButton.disabled = true;
        await generateKey(seconds);
        keyButton.disabled = false;
      },
    });
    const previous = h('dd', { id: 'webhook-key-previous' });
    showPreviousKey(previous);
    webhookPanel.replaceChildren();
    appendAll(webhookPanel, [h('h2', {}, 'Webhook setup'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'URL'), h('dd', {}, urlCode, ' ', copyButton('webhook-url-copy', () => url, urlCode)),
        h('dt', {}, 'Authentication'), h('dd', { id: 'webhook-auth' }, modes[auth] ?? auth),
        auth !== 'none' && [h('dt', {}, 'Key'), h('dd', { id: 'webhook-key-status' }, saved.webhookKeySet
          ? 'Generated (it is shown only when generated).'
          : h('span', { class: 'error' }, 'None yet: every call is refused until you generate one.'))],
        auth !== 'none' && saved.webhookKeySet && [h('dt', {}, 'Previous key'), previous]),
      fresh && freshKey(fresh),
      h('h3', {}, 'Try it'),
      auth === 'standard-webhooks'
        ? h('p', { class: 'muted' }, 'Requests must be signed with the signing secret: use a Standard Webhooks library. '
          + 'The test run below needs no signature.')
        : [curlCode, copyButton('webhook-curl-copy', () => curl, curlCode)],
      h('div', { class: 'toolbar' }, keyButton,
        saved.webhookKeySet && field('Old key stays valid for', grace))]);
  }

  /** Whether the key the last rotation replaced is still accepted, and until when (asked once per workflow). */
  async function showPreviousKey(dd) {
    if (previousKeyExpiry === undefined && saved.webhookKeySet) {
      try {
        const status = await get(api(org, `/workflows/${encodeURIComponent(saved.id)}/webhook-key`));
        previousKeyExpiry = status.previousKeyExpiresAt ?? null;
      } catch (e) {
        return; // the key itself still shows; the grace is a detail
      }
    }
    dd.replaceChildren(previousKeyExpiry && new Date(previousKeyExpiry) > new Date()
      ? h('span', {}, 'Still accepted until ', time(previousKeyExpiry), ', beside the current one.')
      : 'None: only the current key and signing secret are accepted.');
  }

  /** A key and signing secret just generated: the API never shows them again. */
  function freshKey(fresh) {
    const key = h('code', { id: 'webhook-key' }, fresh.webhookKey);
    const secret = h('code', { id: 'webhook-signing-secret' }, fresh.signingSecret);
    return h('div', { class: 'secret-once', role: 'status', id: 'webhook-key-once', tabindex: -1 },
      h('p', {}, 'Shown only this once: copy them now.'),
      h('p', {}, 'Webhook key: ', key, ' ', copyButton('webhook-key-copy', () => fresh.webhookKey, key)),
      h('p', {}, 'Signing secret: ', secret, ' ',
        copyButton('webhook-signing-secret-copy', () => fresh.signingSecret, secret)));
  }

  // ---------------------------------------------------------------- test run

  function renderTest() {
    testPanel.hidden = !saved || saved.trigger.type !== 'webhook';
    if (testPanel.hidden) {
      testPanel.replaceChildren();
      return;
    }
    const sample = h('textarea', { id: 'workflow-test-body', rows: 6, spellcheck: 'false', class: 'code',
      'aria-describedby': 'workflow-test-help workflow-test-sample-source' });
    const fallback = JSON.stringify(SAMPLE_BODY, null, 2);
    sample.value = fallback;
    const source = h('small', { id: 'workflow-test-sample-source', class: 'muted' });
    // The last real event is the likeliest shape of the next one: start from it (unless already edited).
    events.then(({ lastReal }) => {
      if (!lastReal || !sample.isConnected || sample.value !== fallback) return;
      sample.value = JSON.stringify(lastReal.triggerData ?? {}, null, 2);
      source.textContent = `From the last real event (${time(lastReal.createdAt)}).`;
    });
    const result = h('div', { id: 'workflow-test-result', 'aria-live': 'polite' });
    const run = button('Test run', { id: 'workflow-test-run', class: 'primary' });
    run.addEventListener('click', async () => {
      let body;
      try {
        body = JSON.parse(sample.value);
      } catch (e) {
        showProblem(run.parentElement, { title: 'The sample body is not valid JSON', detail: e.message });
        sample.setAttribute('aria-invalid', 'true');
        sample.focus();
        return;
      }
      sample.removeAttribute('aria-invalid');
      clearProblem();
      run.disabled = true;
      result.replaceChildren(h('p', { class: 'muted' }, 'Running…'));
      try {
        showRuns(result, (await webhookTest(saved.trigger.params.path, body)).executions);
        events = loadEvents(); // its body's fields are now the last event's
      } catch (e) {
        result.replaceChildren();
        if (e.status !== 401) showProblem(run.parentElement, e);
      } finally {
        run.disabled = false;
      }
    });
    testPanel.replaceChildren(h('h2', {}, 'Test run'),
      h('p', { id: 'workflow-test-help', class: 'muted' }, 'Sends this body to the saved workflow as its webhook would, '
        + 'signed in as you (no key needed), and shows what each step did. The actions really run: messages are sent.'),
      h('label', { for: sample.id }, 'Sample body (JSON)'), sample, source,
      h('div', { class: 'toolbar' }, run), result);
  }

  function showRuns(result, executions) {
    const label = (type) => connectors.actions.find((t) => t.type === type)?.label ?? type;
    result.replaceChildren(...(executions.length === 0
      ? [h('p', { class: 'muted' }, 'No run started (is the workflow enabled?).')]
      : executions.map((e) => h('div', { class: 'run' },
        h('p', {}, h('a', { href: `${orgPath}/events/${encodeURIComponent(e.id)}` }, 'Run'), ' ', statusBadge(e.status),
          e.error && h('span', { class: 'error' }, ` ${e.error}`)),
        h('ol', { class: 'steps' }, (e.steps ?? []).map((s) => h('li', { class: 'card step' },
          h('h3', {}, `Step ${s.index + 1}: ${label(s.type)} `, statusBadge(s.status)),
          s.error && h('p', { class: 'error' }, s.error),
          h('h4', {}, 'Output'), json(s.output))))))));
  }
}
