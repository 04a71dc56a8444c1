// Team Members and Members (with invitations): forms over the organization's people. The connectors' settings
// pages (Integrations, Email Inboxes) are built from their descriptors in pages-integrations.js.
import { get, post, patch, del, listAll } from './api.js';
import { h, button, table, field, input, select, time, showProblem, clearProblem } from './dom.js';

const api = (org, path = '') => `/organizations/${encodeURIComponent(org.id)}${path}`;

/**
 * Runs a change started by a button; shows the problem before `anchor` when it fails and leaves every
 * field as it was typed. Returns the answer, or undefined after a failure.
 */
async function attempt(anchor, control, work) {
  if (control) control.disabled = true;
  try {
    const answer = await work();
    clearProblem();
    return answer;
  } catch (e) {
    if (e.status !== 401) showProblem(anchor, e);
    return undefined;
  } finally {
    if (control) control.disabled = false;
  }
}

/** A row's Activate/Deactivate and delete buttons for the resource at `path`; `reload` runs after each. */
function switchAndDelete(anchor, path, active, deleteLabel, question, reload) {
  return [
    button(active ? 'Deactivate' : 'Activate', {
      dataset: { action: active ? 'deactivate' : 'activate' },
      onclick: async (e) => {
        if (await attempt(anchor, e.target, () => patch(path, { active: !active }))) reload();
      },
    }),
    button(deleteLabel, {
      dataset: { action: 'delete' }, class: 'danger',
      onclick: async (e) => {
        if (!confirm(question)) return;
        if (await attempt(anchor, e.target, async () => (await del(path), true))) reload();
      },
    }),
  ];
}

/** The non-empty values of the given inputs by API field name (numbers as numbers). */
function values(fields) {
  const body = {};
  for (const [name, el] of Object.entries(fields)) {
    if (el.type === 'checkbox') body[name] = el.checked;
    else if (el.value.trim() !== '') body[name] = el.type === 'number' ? Number(el.value) : el.value.trim();
  }
  return body;
}

/** A form's add button: posts the fields' values to `path`, then empties the form and runs `reload`. */
function postThenReload(control, form, path, fields, reload) {
  control.addEventListener('click', async () => {
    if (await attempt(control.parentElement, control, () => post(path, values(fields)))) {
      form.reset();
      await reload();
    }
  });
}

// ------------------------------------------------------------------ Team members

export async function teamPage({ main, org }) {
  const f = {
    name: input('member-name', { required: true, autocomplete: 'off' }),
    phone: input('member-phone', { type: 'tel', required: true, placeholder: '+14155550123' }),
    email: input('member-email', { type: 'email', autocomplete: 'off' }),
  };
  const list = h('div');
  const add = button('Add team member', { id: 'member-add', class: 'primary' });
  const form = h('form', { class: 'card' }, h('h2', {}, 'Add a team member'),
    field('Name', f.name), field('Phone', f.phone, 'With its country code (E.164), e.g. +14155550123.'),
    field('Email (optional)', f.email), h('div', { class: 'toolbar' }, add));
  form.addEventListener('submit', (e) => e.preventDefault());
  main.append(h('h1', {}, 'Team Members'), list, form);

  async function load() {
    const members = await attempt(list, null, () => listAll(api(org, '/team-members')));
    if (!members) return;
    list.replaceChildren(table('team-members', ['Name', 'Phone', 'Email', 'Active', 'Added', ''],
      members.map((m) => [m.name, m.phone, m.email ?? '—', m.active ? 'yes' : 'no', time(m.createdAt),
        h('span', { class: 'actions' },
          switchAndDelete(list, api(org, `/team-members/${m.id}`), m.active, 'Remove',
            `Remove ${m.name} from the team?`, load))]),
      'No team members yet.'));
  }

  postThenReload(add, form, api(org, '/team-members'), f, load);
  await load();
}

// ------------------------------------------------------------------ Members and invitations

export async function membersPage({ main, org }) {
  const membersList = h('div');
  main.append(h('h1', {}, 'Members'), membersList);
  const canManage = org.role === 'owner' || org.role === 'admin';
  const invitationsList = h('div');
  const result = h('div', { id: 'invite-result' });
  if (canManage) {
    const f = {
      email: input('invite-email', { type: 'email', required: true, autocomplete: 'off' }),
      role: select('invite-role', [['member'], ['admin'], ...(org.role === 'owner' ? [['owner']] : [])], 'member'),
    };
    const send = button('Invite', { id: 'invite-send', class: 'primary' });
    const form = h('form', { class: 'card' }, h('h2', {}, 'Invite someone'),
      h('p', { class: 'muted' }, 'Nobody joins until they accept. You get an accept token to pass on to them.'),
      field('Email', f.email), field('Role', f.role), h('div', { class: 'toolbar' }, send), result);
    form.addEventListener('submit', (e) => e.preventDefault());
    send.addEventListener('click', async () => {
      const answer = await attempt(send.parentElement, send, () => post(api(org, '/members'), values(f)));
      if (!answer) return;
      form.reset();
      showAcceptToken(result, answer);
      await loadInvitations();
    });
    main.append(h('h2', {}, 'Invitations'), invitationsList, form);
  }

  async function loadMembers() {
    const members = await attempt(membersList, null, () => get(api(org, '/members')));
    if (!members) return;
    membersList.replaceChildren(table('org-members', ['Email', 'Role', 'Added'],
      members.items.map((m) => [m.email, m.role, time(m.addedAt)])));
  }

  async function loadInvitations() {
    const answer = await attempt(invitationsList, null, () => get(api(org, '/invitations')));
    if (!answer) return;
    invitationsList.replaceChildren(table('invitations', ['Email', 'Role', 'Status', 'Invited by', 'Expires', ''],
      answer.items.map((i) => [i.email, i.role, h('span', { class: `status status-${i.status}` }, i.status), i.invitedBy,
        time(i.expiresAt), i.status === 'pending' && button('Revoke', {
          dataset: { action: 'revoke' }, class: 'danger',
          onclick: async (e) => {
            if (!confirm(`Revoke the invitation of ${i.email}?`)) return;
            if (await attempt(invitationsList, e.target, async () => (await del(api(org, `/invitations/${i.id}`)), true))) {
              loadInvitations();
            }
          },
        })]),
      'No invitations.'));
  }

  await Promise.all([loadMembers(), canManage && loadInvitations()]);
}

/** The new invitation's accept token, shown this once, and what to do with it. */
function showAcceptToken(box, answer) {
  const i = answer.invitation;
  box.replaceChildren(h('div', { class: 'secret-once', role: 'status' },
    h('p', {}, `Invited ${i.email} as ${i.role}, until ${time(i.expiresAt)}. Pass this accept token on to them; `
      + 'it is shown only this once:'),
    h('p', {}, h('code', { id: 'invite-token' }, answer.acceptToken)),
    h('p', { class: 'muted' }, 'They paste it on the sign-in page of this console (or send it to '
      + 'POST /v1/invitations/accept). Someone who already has an account signs in first: the invitation is '
      + 'shown to them there, to accept or decline.')));
}
