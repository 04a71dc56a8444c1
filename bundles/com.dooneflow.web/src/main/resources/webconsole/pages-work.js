// Dashboard, Workflows (the list; the editor is workflow-editor.js) and Events (executions, their steps, the log).
import { get, post, patch, del, listAll, query } from './api.js';
import { h, button, table, row, emptyRow, field, input, json, time, duration, select, statusBadge, showProblem,
  clearProblem } from './dom.js';
import { navigate } from './app.js';
import { workflowEditor } from './workflow-editor.js';
import { healthCards } from './pages-integrations.js';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
const UNFINISHED = ['queued', 'running', 'waiting'];

const api = (org, path = '') => `/organizations/${encodeURIComponent(org.id)}${path}`;

/** Runs a page's loading step; a failure is shown on the page instead of an empty screen. */
export async function loading(anchor, work) {
  try {
    return await work();
  } catch (e) {
    if (e.status !== 401) showProblem(anchor, e);
    return undefined;
  }
}

function executionLink(orgPath, execution, text) {
  return h('a', { class: 'execution-link', href: `${orgPath}/events/${encodeURIComponent(execution.id)}` }, text);
}

// ------------------------------------------------------------------ Dashboard

export async function dashboardPage({ main, org, orgPath }) {
  const body = h('div', { class: 'grid' });
  main.append(h('h1', {}, `Dashboard — ${org.name}`), body);
  const data = await loading(body, async () => {
    const [workflows, recent, failed, events] = await Promise.all([
      listAll(api(org, '/workflows')),
      // Test runs (sent from the workflow builder) are left out of the counts.
      get(api(org, '/executions?test=false&limit=200')),
      get(api(org, '/executions?status=failed&test=false&limit=5')),
      get(api(org, '/events?limit=100')),
    ]);
    return { workflows, recent: recent.items, failed: failed.items, errors: events.items.filter((e) => e.level === 'error').slice(0, 5) };
  });
  if (!data) return;
  const enabled = data.workflows.filter((w) => w.enabled).length;
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, data.recent.filter((e) => e.status === s).length]));
  const health = h('section', { class: 'card wide', id: 'integration-health', 'aria-labelledby': 'health-title' },
    h('h2', { id: 'health-title' }, 'Integrations'), h('p', { class: 'muted' }, 'Checking…'));
  body.append(
    h('section', { class: 'card' }, h('h2', {}, 'Workflows'),
      h('p', { class: 'big' }, String(data.workflows.length)), h('p', {}, `${enabled} enabled`),
      h('a', { href: `${orgPath}/workflows` }, 'Manage workflows')),
    h('section', { class: 'card' }, h('h2', {}, `Last ${data.recent.length} runs`),
      h('dl', { class: 'counts' }, STATUSES.map((s) => [h('dt', {}, statusBadge(s)), h('dd', {}, String(byStatus[s]))]))),
    health,
    h('section', { class: 'card wide' }, h('h2', {}, 'Failed runs'),
      table('dashboard-failed', ['Workflow', 'Trigger', 'When', 'Error'], data.failed.map((e) => [
        executionLink(orgPath, e, workflowLabel(e)), triggerSummary(e), time(e.createdAt), e.error ?? '']),
      'No failed runs.'),
      h('a', { href: `${orgPath}/events${query({ status: 'failed' })}` }, 'All failed runs')),
    h('section', { class: 'card wide' }, h('h2', {}, 'Recent errors'),
      table('dashboard-errors', ['When', 'Source', 'Message'], data.errors.map((e) => [time(e.time), e.source, e.message]),
        'No errors.')));
  await integrationHealth(health, org, orgPath, data.workflows);
}

/** One card per connector's settings page (from its descriptor) and one for what the workflows use but is missing. */
async function integrationHealth(section, org, orgPath, workflows) {
  let cards;
  try {
    cards = await healthCards({ org, orgPath, workflows });
  } catch (e) {
    if (e.status !== 401) section.replaceChildren(h('h2', { id: 'health-title' }, 'Integrations'),
      h('p', { class: 'error' }, unreadable(e)));
    return;
  }
  section.replaceChildren(h('h2', { id: 'health-title' }, 'Integrations'),
    cards.length > 0 ? h('div', { class: 'grid' }, cards)
      : h('p', { class: 'muted' }, 'No installed connector has settings.'));
}

function unreadable(problem) {
  return problem.status === 403 ? 'Only owners and admins can see this.' : `Could not be read: ${problem.title ?? problem.message}`;
}

// ------------------------------------------------------------------ Workflows

export async function workflowsPage({ main, org, orgPath, id }) {
  const listHolder = h('div');
  const editorHolder = h('div');
  const newButton = button('New workflow', { id: 'workflow-new', class: 'primary' });
  main.append(h('h1', {}, 'Workflows'), h('div', { class: 'toolbar' }, newButton), editorHolder, listHolder);
  let connectors = null;

  async function refresh() {
    const workflows = await loading(listHolder, () => listAll(api(org, '/workflows')));
    if (!workflows) return;
    listHolder.replaceChildren(table('workflows', ['Name', 'Trigger', 'Enabled', 'Version', ''],
      workflows.map((w) => [w.name, h('code', {}, w.trigger.type), w.enabled ? 'yes' : 'no', String(w.version),
        h('span', { class: 'actions' },
          button(w.enabled ? 'Disable' : 'Enable', {
            dataset: { action: w.enabled ? 'disable' : 'enable' },
            onclick: () => act(async () => {
              await patch(api(org, `/workflows/${w.id}`), { enabled: !w.enabled });
              if (w.enabled) await offerToCancelRuns(w);
            }),
          }),
          button('Edit', { dataset: { action: 'edit' }, onclick: () => edit(w) }),
          button('Delete', {
            dataset: { action: 'delete' }, class: 'danger',
            onclick: () => confirm(`Delete the workflow "${w.name}"?`) && act(async () => {
              await del(api(org, `/workflows/${w.id}`));
              await offerToCancelRuns(w);
            }),
          }))]),
      'No workflows yet: add one with "New workflow".'));
  }

  /** A disabled or deleted workflow's runs that have not finished go on unless the person cancels them. */
  async function offerToCancelRuns(w) {
    const pending = await Promise.all(UNFINISHED.map((status) =>
      get(api(org, `/executions${query({ workflowId: w.id, status, limit: 1 })}`))));
    if (pending.some((page) => page.items.length > 0)
      && confirm(`"${w.name}" has runs that have not finished. Cancel them too?`)) {
      await post(api(org, `/workflows/${w.id}/cancel-executions`));
    }
  }

  async function act(change) {
    try {
      clearProblem();
      await change();
      await refresh();
    } catch (e) {
      if (e.status !== 401) showProblem(listHolder, e);
    }
  }

  /** The editor for a saved workflow (as GET answers it, with its secrets' `<name>Set`) or a new one (null). */
  async function openEditor(workflow) {
    connectors ??= await loading(editorHolder, () => get('/connectors'));
    if (!connectors) return;
    clearProblem();
    workflowEditor({ holder: editorHolder, org, orgPath, connectors, workflow, onSaved: refresh,
      onClose: () => {
        clearProblem();
        editorHolder.replaceChildren();
      } });
  }

  async function edit(workflow) {
    const current = await loading(listHolder, () => get(api(org, `/workflows/${encodeURIComponent(workflow.id)}`)));
    if (current) await openEditor(current);
  }

  newButton.addEventListener('click', () => openEditor(null));
  await refresh();
  if (id) await edit({ id }); // /workflows/{id}: the run page links a workflow here
}

// ------------------------------------------------------------------ Events

/** A run's workflow as people know it: its name, or its id once it was deleted. */
function workflowLabel(e) {
  return e.workflowName ?? `Deleted workflow ${e.workflowId.slice(0, 8)}`;
}

/** Who the trigger was about (name, email, phone — those present), else the trigger's type. */
function triggerSummary(e) {
  const c = e.contact ?? {};
  const parts = [c.name, c.email, c.phone].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : e.triggerType;
}

/** A list that grows with "Load more" while the API gives a next cursor. */
export function pagedTable(id, headings, toCells, empty) {
  const t = table(id, headings, [], empty);
  const body = t.querySelector('tbody');
  const more = button('Load more', { class: 'more', hidden: true, 'aria-controls': id });
  let cursor = null;
  let path = null;
  async function load(anchor, first) {
    const sep = path.includes('?') ? '&' : '?';
    const answer = await loading(anchor, () => get(`${path}${first ? '' : `${sep}cursor=${encodeURIComponent(cursor)}`}`));
    if (!answer) return;
    if (first) body.replaceChildren();
    for (const item of answer.items) body.append(row(headings, toCells(item)));
    if (body.rows.length === 0) body.append(emptyRow(headings, empty));
    cursor = answer.nextCursor;
    more.hidden = !cursor;
  }
  more.addEventListener('click', () => load(more, false));
  return {
    element: h('div', {}, t, more),
    show: (newPath) => {
      path = newPath;
      return load(t, true);
    },
  };
}

/** The Events filter as the URL holds it (?workflow=&status=&test=&from=&to=&q=, dates as YYYY-MM-DD). */
function eventsFilter() {
  const p = new URLSearchParams(location.search);
  const test = p.get('test');
  return { workflow: p.get('workflow') ?? '', status: p.get('status') ?? '',
    test: test === 'true' || test === 'false' ? test : '', from: p.get('from') ?? '', to: p.get('to') ?? '',
    q: p.get('q') ?? '' };
}

/** Marks a test run: a sample event sent from the workflow builder. */
function testBadge() {
  return h('span', { class: 'badge badge-test', title: 'A test run, sent from the workflow builder' }, 'Test');
}

/** A local calendar day's start as an RFC 3339 UTC time; `next` gives the next day's start (an exclusive end). */
export function dayStart(day, next = false) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (next) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export async function eventsPage({ main, org, orgPath }) {
  const current = eventsFilter();
  const workflowFilter = select('workflow-filter', [['', 'All workflows']], current.workflow);
  const statusFilter = select('status-filter', [['', 'All statuses'], ...STATUSES.map((s) => [s, s])], current.status);
  const testFilter = select('test-filter', [['', 'Real and test runs'], ['false', 'Real runs only'],
    ['true', 'Test runs only']], current.test);
  const fromFilter = input('from-filter', { type: 'date', value: current.from, name: 'from' });
  const toFilter = input('to-filter', { type: 'date', value: current.to, name: 'to' });
  const search = input('search-filter', { type: 'search', value: current.q, maxlength: 200, name: 'q',
    placeholder: 'Name, email, phone…' });
  // Named after the API's parameters, so a refused filter marks its control.
  workflowFilter.name = 'workflowId';
  statusFilter.name = 'status';
  testFilter.name = 'test';
  const form = h('form', { class: 'filters', id: 'events-filter', role: 'search', 'aria-label': 'Filter runs' },
    field('Workflow', workflowFilter), field('Status', statusFilter), field('Runs', testFilter), field('From', fromFilter),
    field('To', toFilter),
    field('Search trigger data', search),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', id: 'filter-apply', class: 'primary' }, 'Apply'),
      button('Clear', { id: 'filter-clear' })));
  const executions = pagedTable('executions', ['Workflow', 'Trigger', 'Status', 'Started', 'Duration'], (e) => [
    executionLink(orgPath, e, workflowLabel(e)), triggerSummary(e), [statusBadge(e.status), e.test && [' ', testBadge()]],
    time(e.startedAt ?? e.createdAt),
    duration(e.startedAt, e.finishedAt) ?? (e.status === 'running' ? 'running' : '')], 'No runs match.');
  const events = pagedTable('events', ['When', 'Level', 'Source', 'Message'], (e) => [
    time(e.time), h('span', { class: `level level-${e.level}` }, e.level), e.source, e.message], 'No events.');
  main.append(h('h1', {}, 'Events'),
    h('section', { 'aria-labelledby': 'runs-title' }, h('h2', { id: 'runs-title' }, 'Runs'), form, executions.element),
    h('section', { 'aria-labelledby': 'log-title' }, h('h2', { id: 'log-title' }, 'Event log'), events.element));

  // The filter lives in the URL: applying it adds a history entry, so Back returns to the previous one.
  const apply = () => {
    const next = query({ workflow: workflowFilter.value, status: statusFilter.value, test: testFilter.value,
      from: fromFilter.value, to: toFilter.value, q: search.value.trim() });
    if (next !== location.search) navigate(`${orgPath}/events${next}`, { keepFocus: true });
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  for (const control of [workflowFilter, statusFilter, testFilter, fromFilter, toFilter]) {
    control.addEventListener('change', apply);
  }
  form.querySelector('#filter-clear').addEventListener('click', () => {
    if (location.search) navigate(`${orgPath}/events`, { keepFocus: true });
  });

  const workflows = await loading(form, () => listAll(api(org, '/workflows')));
  for (const w of workflows ?? []) workflowFilter.append(h('option', { value: w.id, selected: w.id === current.workflow }, w.name));
  const fromTime = dayStart(current.from);
  const toTime = dayStart(current.to, true);
  await Promise.all([
    executions.show(api(org, `/executions${query({ workflowId: current.workflow, status: current.status,
      test: current.test, from: fromTime, to: toTime, q: current.q, limit: 50 })}`)),
    events.show(api(org, '/events?limit=50'))]);
}

export async function executionPage({ main, org, orgPath, id }) {
  const detail = h('div', { id: 'execution-detail' });
  const title = h('h1', {}, 'Run');
  main.append(h('p', {}, h('a', { href: `${orgPath}/events` }, '← Events')), title, detail);
  const execution = await loading(detail, () => get(api(org, `/executions/${encodeURIComponent(id)}`)));
  if (!execution) return;
  title.textContent = `${execution.test ? 'Test run' : 'Run'} of ${workflowLabel(execution)}`;
  showExecution(detail, org, orgPath, execution);
}

/** Facts with a value only: an unset time or field (or a condition written `cond && value` that is false) is left out. */
function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false)
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

const refreshTimers = new WeakMap();

function showExecution(detail, org, orgPath, e) {
  const workflow = e.workflowName
    ? h('a', { href: `${orgPath}/workflows/${encodeURIComponent(e.workflowId)}`, id: 'execution-workflow' },
      `${e.workflowName} (version ${e.workflowVersion})`)
    : `${workflowLabel(e)} (version ${e.workflowVersion})`;
  const c = e.contact ?? {};
  const finished = ['succeeded', 'failed', 'cancelled'].includes(e.status);
  const actions = [];
  if (e.status === 'failed' || e.status === 'cancelled') {
    actions.push(execAction(detail, org, orgPath, e, 'Retry', 'execution-retry', 'retry', 'primary'));
  }
  if (UNFINISHED.includes(e.status) && !e.cancelRequested) {
    actions.push(execAction(detail, org, orgPath, e, 'Cancel', 'execution-cancel', 'cancel', 'danger'));
  }
  detail.replaceChildren(
    facts([
      ['Status', statusBadge(e.status)], ['Kind', e.test && [testBadge(), ' sent from the workflow builder']],
      ['Workflow', workflow], ['Trigger', e.triggerType],
      ['Contact', [c.name, c.email, c.phone].filter(Boolean).join(' · ')],
      ['Received', time(e.createdAt)], ['Started', e.startedAt && time(e.startedAt)],
      ['Finished', e.finishedAt && time(e.finishedAt)], ['Duration', duration(e.startedAt, e.finishedAt)],
      ['Next attempt', !finished && e.nextAttemptAt && time(e.nextAttemptAt)],
      ['Waiting for', e.status === 'waiting' && e.waitingFor && `${e.waitingFor} to be installed`],
      ['Cancelling', e.cancelRequested && 'it stops once its running step ends'],
    ]),
    actions.length > 0 && h('div', { class: 'toolbar' }, actions),
    h('h2', {}, 'Steps'),
    (e.steps ?? []).length === 0 ? h('p', { class: 'muted' }, 'This workflow version has no steps.')
      : h('ol', { class: 'steps', id: 'execution-steps' }, e.steps.map(stepCard)),
    h('details', { class: 'trigger-data' }, h('summary', {}, 'Trigger data as received'), json(e.triggerData)));
  // An unfinished run is shown as it moves on, while its page is open (one timer per page, however often redrawn).
  clearTimeout(refreshTimers.get(detail));
  if (!finished) {
    refreshTimers.set(detail, setTimeout(async () => {
      if (!detail.isConnected) return;
      const now = await get(api(org, `/executions/${encodeURIComponent(e.id)}`)).catch(() => null);
      if (now && detail.isConnected) showExecution(detail, org, orgPath, now);
    }, 2000));
  }
}

function stepCard(s) {
  const number = s.number ?? s.index + 1;
  const heading = h('h3', {}, `Step ${number} `, h('code', {}, s.type), ' ', statusBadge(s.status));
  if (s.status === 'not_run') {
    return h('li', { class: 'card step not-run', id: `step-${number}` }, heading, h('p', { class: 'muted' }, s.explanation ?? 'Not run.'));
  }
  const params = s.input?.params ?? {};
  const unknown = s.input?.unknownVariables ?? [];
  const output = s.output ?? {};
  const attempts = `${s.attempts} ${s.attempts === 1 ? 'attempt' : 'attempts'}`;
  return h('li', { class: 'card step', id: `step-${number}` }, heading,
    h('p', {}, [attempts, s.startedAt && `first started ${time(s.startedAt)}`, s.finishedAt && `last ended ${time(s.finishedAt)}`]
      .filter(Boolean).join(' · ')),
    s.error && h('div', { class: 'step-error', role: 'note' },
      h('p', { class: 'error' }, s.explanation ?? s.error),
      s.explanation && h('p', { class: 'muted' }, h('small', {}, 'Recorded error: ', s.error))),
    attemptsTable(number, s.attemptHistory ?? []),
    h('h4', {}, 'Input as sent'), json(params),
    unknown.length > 0 && h('p', { class: 'error' }, `Variables with no value: ${unknown.join(', ')}`),
    Object.keys(output).length > 0 && [h('h4', {}, 'Output'), json(output)],
    s.notes && Object.keys(s.notes).length > 0 && h('details', {}, h('summary', {}, 'Connector notes'), json(s.notes)));
}

const OUTCOMES = { succeeded: 'succeeded', retrying: 'failed, tried again', failed: 'failed', lost: 'never reported back' };

/** Each attempt at a step with its times, duration, outcome and error; nothing for a step without recorded attempts. */
function attemptsTable(number, attempts) {
  if (attempts.length === 0) return null;
  return [h('h4', {}, 'Attempts'), table(`step-${number}-attempts`,
    ['Attempt', 'Started', 'Finished', 'Duration', 'Outcome', 'Error'],
    attempts.map((a) => [String(a.number), a.startedAt ? time(a.startedAt) : 'unknown', time(a.finishedAt),
      duration(a.startedAt, a.finishedAt) ?? '',
      h('span', { class: `status status-${a.outcome}` }, OUTCOMES[a.outcome] ?? a.outcome), a.error ?? '']))];
}

/** A button that posts to the execution's {@code verb} endpoint, then shows the run afresh. */
function execAction(detail, org, orgPath, e, label, id, verb, kind) {
  const b = button(label, { id, class: kind });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      clearProblem();
      showExecution(detail, org, orgPath, await post(api(org, `/executions/${encodeURIComponent(e.id)}/${verb}`)));
    } catch (err) {
      b.disabled = false;
      if (err.status !== 401) showProblem(detail, err);
    }
  });
  return b;
}
