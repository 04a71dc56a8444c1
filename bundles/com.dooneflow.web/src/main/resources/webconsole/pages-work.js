// Dashboard, Workflows (the list; the editor is workflow-editor.js) and Events (executions, their steps, the log).
import { get, post, patch, del, listAll, query } from './api.js';
import { h, button, table, json, time, select, statusBadge, showProblem, clearProblem } from './dom.js';
import { workflowEditor } from './workflow-editor.js';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'];
const UNFINISHED = ['queued', 'running', 'waiting'];

const api = (org, path = '') => `/organizations/${encodeURIComponent(org.id)}${path}`;

/** Runs a page's loading step; a failure is shown on the page instead of an empty screen. */
async function loading(anchor, work) {
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
      get(api(org, '/executions?limit=200')),
      get(api(org, '/executions?status=failed&limit=5')),
      get(api(org, '/events?limit=100')),
    ]);
    return { workflows, recent: recent.items, failed: failed.items, errors: events.items.filter((e) => e.level === 'error').slice(0, 5) };
  });
  if (!data) return;
  const enabled = data.workflows.filter((w) => w.enabled).length;
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, data.recent.filter((e) => e.status === s).length]));
  body.append(
    h('section', { class: 'card' }, h('h2', {}, 'Workflows'),
      h('p', { class: 'big' }, String(data.workflows.length)), h('p', {}, `${enabled} enabled`),
      h('a', { href: `${orgPath}/workflows` }, 'Manage workflows')),
    h('section', { class: 'card' }, h('h2', {}, `Last ${data.recent.length} executions`),
      h('dl', { class: 'counts' }, STATUSES.map((s) => [h('dt', {}, statusBadge(s)), h('dd', {}, String(byStatus[s]))]))),
    h('section', { class: 'card wide' }, h('h2', {}, 'Failed executions'),
      table('dashboard-failed', ['When', 'Trigger', 'Error'], data.failed.map((e) => [
        executionLink(orgPath, e, time(e.createdAt)), e.triggerType, e.error ?? '']), 'No failed executions.')),
    h('section', { class: 'card wide' }, h('h2', {}, 'Recent errors'),
      table('dashboard-errors', ['When', 'Source', 'Message'], data.errors.map((e) => [time(e.time), e.source, e.message]),
        'No errors.')));
}

// ------------------------------------------------------------------ Workflows

export async function workflowsPage({ main, org, orgPath }) {
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
}

// ------------------------------------------------------------------ Events

/** A list that grows with "Load more" while the API gives a next cursor. */
function pagedTable(id, headings, toCells, empty) {
  const t = table(id, headings, [], empty);
  const more = button('Load more', { class: 'more', hidden: true });
  let cursor = null;
  let path = null;
  async function load(anchor, first) {
    const sep = path.includes('?') ? '&' : '?';
    const answer = await loading(anchor, () => get(`${path}${first ? '' : `${sep}cursor=${encodeURIComponent(cursor)}`}`));
    if (!answer) return;
    const body = t.tBodies[0];
    if (first) body.replaceChildren();
    for (const item of answer.items) body.append(h('tr', {}, toCells(item).map((c) => h('td', {}, c))));
    if (body.rows.length === 0) body.append(h('tr', {}, h('td', { colspan: headings.length, class: 'empty' }, empty)));
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

export async function eventsPage({ main, org, orgPath }) {
  const filter = select('status-filter', [['', 'All statuses'], ...STATUSES.map((s) => [s, s])], '');
  const names = new Map();
  const executions = pagedTable('executions', ['Started', 'Workflow', 'Status', 'Trigger', 'Error'], (e) => [
    executionLink(orgPath, e, time(e.createdAt)), names.get(e.workflowId) ?? e.workflowId,
    statusBadge(e.status), e.triggerType, e.error ?? ''], 'No executions.');
  const events = pagedTable('events', ['When', 'Level', 'Source', 'Message'], (e) => [
    time(e.time), h('span', { class: `level level-${e.level}` }, e.level), e.source, e.message], 'No events.');
  main.append(h('h1', {}, 'Events'),
    h('section', {}, h('h2', {}, 'Executions'),
      h('div', { class: 'toolbar' }, h('label', { for: 'status-filter' }, 'Status '), filter), executions.element),
    h('section', {}, h('h2', {}, 'Event log'), events.element));
  const showExecutions = () => executions.show(api(org, `/executions${query({ status: filter.value, limit: 50 })}`));
  filter.addEventListener('change', () => {
    clearProblem();
    showExecutions();
  });
  const workflows = await loading(main.firstChild.nextSibling, () => listAll(api(org, '/workflows')));
  for (const w of workflows ?? []) names.set(w.id, w.name);
  await Promise.all([showExecutions(), events.show(api(org, '/events?limit=50'))]);
}

export async function executionPage({ main, org, orgPath, id }) {
  const detail = h('div', { id: 'execution-detail' });
  main.append(h('p', {}, h('a', { href: `${orgPath}/events` }, '← Events')), h('h1', {}, 'Execution'), detail);
  const execution = await loading(detail, () => get(api(org, `/executions/${encodeURIComponent(id)}`)));
  if (!execution) return;
  // The workflow by its name; a deleted one is only known by its id.
  const workflow = await get(api(org, `/workflows/${encodeURIComponent(execution.workflowId)}`)).catch(() => null);
  showExecution(detail, org, execution, workflow?.name);
}

function showExecution(detail, org, e, workflowName) {
  const facts = [
    ['Status', statusBadge(e.status)], ['Workflow', `${workflowName ?? e.workflowId} (version ${e.workflowVersion})`],
    ['Trigger', e.triggerType], ['Created', time(e.createdAt)], ['Started', time(e.startedAt)],
    ['Finished', time(e.finishedAt)], ['Next attempt', time(e.nextAttemptAt)],
    ['Waiting for', e.waitingFor ?? '—'], ['Error', e.error ?? '—'],
  ];
  if (e.cancelRequested) facts.push(['Cancelling', 'it stops once its running step ends']);
  const actions = [];
  if (e.status === 'failed' || e.status === 'cancelled') {
    actions.push(execAction(detail, org, e, 'Retry', 'execution-retry', 'retry', 'primary', workflowName));
  }
  if (UNFINISHED.includes(e.status) && !e.cancelRequested) {
    actions.push(execAction(detail, org, e, 'Cancel', 'execution-cancel', 'cancel', 'danger', workflowName));
  }
  detail.replaceChildren(
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    ...(actions.length > 0 ? [h('div', { class: 'toolbar' }, actions)] : []),
    h('h2', {}, 'Trigger data'), json(e.triggerData),
    h('h2', {}, 'Steps'),
    (e.steps ?? []).length === 0 ? h('p', { class: 'muted' }, 'No step has run yet.') : h('ol', { class: 'steps' },
      e.steps.map((s) => h('li', { class: 'card step' },
        h('h3', {}, `Step ${s.index + 1} `, h('code', {}, s.type), ' ', statusBadge(s.status)),
        h('p', {}, `Attempts: ${s.attempts} · started ${time(s.startedAt)} · finished ${time(s.finishedAt)}`),
        s.error && h('p', { class: 'error' }, s.error),
        h('h4', {}, 'Input'), json(s.input),
        h('h4', {}, 'Output'), json(s.output),
        s.notes && Object.keys(s.notes).length > 0 && [h('h4', {}, 'Notes'), json(s.notes)]))));
}

/** A button that posts to the execution's {@code verb} endpoint and shows the execution as it answers. */
function execAction(detail, org, e, label, id, verb, kind, workflowName) {
  const b = button(label, { id, class: kind });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      clearProblem();
      showExecution(detail, org, await post(api(org, `/executions/${encodeURIComponent(e.id)}/${verb}`)), workflowName);
    } catch (err) {
      b.disabled = false;
      if (err.status !== 401) showProblem(detail, err);
    }
  });
  return b;
}
