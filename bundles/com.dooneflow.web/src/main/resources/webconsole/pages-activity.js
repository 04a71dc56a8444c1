// Activity: the organization's audit log — who changed what, when and from where. Owners and admins only.
import { query } from './api.js';
import { h, button, field, input, time } from './dom.js';
import { navigate } from './app.js';
import { loading, pagedTable, dayStart } from './pages-work.js';

const api = (org, path = '') => `/organizations/${encodeURIComponent(org.id)}${path}`;

function activityFilter() {
  const p = new URLSearchParams(location.search);
  return { actor: p.get('actor') ?? '', objectType: p.get('objectType') ?? '', action: p.get('action') ?? '',
    from: p.get('from') ?? '', to: p.get('to') ?? '' };
}

/** Who did it: the person's email and, when they used an API token, which one. */
function actor(e) {
  if (!e.actorEmail) return h('span', { class: 'muted' }, 'not signed in');
  return e.actorTokenId ? [e.actorEmail, h('small', { class: 'muted' }, ` token ${e.actorTokenId.slice(0, 8)}`)]
    : e.actorEmail;
}

function object(e) {
  return e.objectId ? [e.objectType, ' ', h('small', { class: 'muted' }, e.objectId)] : e.objectType;
}

export async function activityPage({ main, org, orgPath }) {
  const current = activityFilter();
  const who = input('activity-actor', { type: 'search', value: current.actor, maxlength: 320, name: 'actor',
    placeholder: 'Email, user or token id' });
  const type = input('activity-type', { type: 'search', value: current.objectType, maxlength: 100, name: 'objectType',
    placeholder: 'workflow, member…' });
  const action = input('activity-action', { type: 'search', value: current.action, maxlength: 100, name: 'action',
    placeholder: 'create, delete…' });
  const from = input('activity-from', { type: 'date', value: current.from, name: 'from' });
  const to = input('activity-to', { type: 'date', value: current.to, name: 'to' });
  const form = h('form', { class: 'filters', id: 'activity-filter', role: 'search', 'aria-label': 'Filter activity' },
    field('Who', who), field('Object', type), field('Action', action), field('From', from), field('To', to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', id: 'activity-apply', class: 'primary' }, 'Apply'),
      button('Clear', { id: 'activity-clear' })));
  const entries = pagedTable('activity', ['When', 'Who', 'From', 'Object', 'Action', 'Change'], (e) => [
    time(e.time), actor(e), e.clientAddress ?? '', object(e), e.action, e.summary ?? ''], 'No activity matches.');
  main.append(h('h1', {}, 'Activity'),
    h('p', { class: 'muted' }, 'Every change made in this organization, by whom, when and from where. Secret values '
      + 'are never recorded, only that they changed.'),
    form, entries.element);

  // The filter lives in the URL, as on Events: Back returns to the previous one.
  const apply = () => {
    const next = query({ actor: who.value.trim(), objectType: type.value.trim(), action: action.value.trim(),
      from: from.value, to: to.value });
    if (next !== location.search) navigate(`${orgPath}/activity${next}`, { keepFocus: true });
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  for (const control of [from, to]) control.addEventListener('change', apply);
  form.querySelector('#activity-clear').addEventListener('click', () => {
    if (location.search) navigate(`${orgPath}/activity`, { keepFocus: true });
  });
  await loading(form, () => entries.show(api(org, `/audit-log${query({ actor: current.actor,
    objectType: current.objectType, action: current.action, from: dayStart(current.from),
    to: dayStart(current.to, true), limit: 50 })}`)));
}
