// Team Members, Members (with invitations) and Settings (the organization's pages, your API tokens and password):
// forms over the organization's people and your account. The connectors' settings pages (Integrations, Email
// Inboxes) are built from their descriptors in pages-integrations.js.
import { get, post, put, patch, del, listAll, publicOrigin } from './api.js';
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

  const resetResult = h('div', { id: 'reset-result' });
  main.insertBefore(resetResult, membersList.nextSibling);

  async function loadMembers() {
    const members = await attempt(membersList, null, () => get(api(org, '/members')));
    if (!members) return;
    // Owners and admins manage members; only an owner grants, takes away or removes ownership, or resets an owner.
    const mayManage = (m) => canManage && (m.role !== 'owner' || org.role === 'owner');
    membersList.replaceChildren(table('org-members', ['Email', 'Role', 'Added', ''],
      members.items.map((m) => [m.email, mayManage(m) ? roleSelect(m) : m.role, time(m.addedAt),
        mayManage(m) && h('span', { class: 'actions' }, button('Reset password', {
          dataset: { action: 'reset-password' }, 'aria-label': `Reset the password of ${m.email}`,
          onclick: async (e) => {
            if (!confirm(`Make a password reset link for ${m.email}? Their unused earlier link stops working.`)) return;
            const answer = await attempt(membersList, e.target,
              () => post(api(org, `/members/${encodeURIComponent(m.userId)}/password-reset`)));
            if (answer) showResetLink(resetResult, answer);
          },
        }), button('Remove', {
          dataset: { action: 'remove' }, class: 'danger',
          onclick: async (e) => {
            if (!confirm(`Remove ${m.email} from ${org.name}? They lose access to it at once.`)) return;
            if (await attempt(membersList, e.target,
              async () => (await del(api(org, `/members/${encodeURIComponent(m.userId)}`)), true))) loadMembers();
          },
        }))])));
  }

  /** A member's role, changed as soon as another is picked; a refused change puts the old one back. */
  function roleSelect(m) {
    const roles = ['member', 'admin', ...(org.role === 'owner' ? ['owner'] : [])];
    const control = h('select', { 'aria-label': `Role of ${m.email}`, dataset: { action: 'role' } },
      roles.map((r) => h('option', { value: r, selected: r === m.role }, r)));
    control.addEventListener('change', async () => {
      const changed = await attempt(membersList, control,
        () => patch(api(org, `/members/${encodeURIComponent(m.userId)}`), { role: control.value }));
      if (changed) loadMembers();
      else control.value = m.role;
    });
    return control;
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

/** The new invitation's link and accept token, shown this once, and what to do with them. */
function showAcceptToken(box, answer) {
  const i = answer.invitation;
  // The installation's public URL: the invitee may not reach the address this page came from.
  const link = `${publicOrigin()}/sign-in#invitation=${answer.acceptToken}`;
  box.replaceChildren(h('div', { class: 'secret-once', role: 'status' },
    h('p', {}, answer.emailed
      ? `Invited ${i.email} as ${i.role}, until ${time(i.expiresAt)}. The invitation link was emailed to them; if it `
        + 'does not arrive, pass this link on yourself (it is shown only this once):'
      : `Invited ${i.email} as ${i.role}, until ${time(i.expiresAt)}. Pass this invitation link on to them; `
        + 'it is shown only this once:'),
    h('p', {}, h('code', { id: 'invite-link' }, link)),
    h('p', {}, 'Its accept token: ', h('code', { id: 'invite-token' }, answer.acceptToken)),
    h('p', { class: 'muted' }, 'The link opens this console, where they choose a password and join (the accept '
      + 'token alone can be pasted on the sign-in page, or sent to POST /v1/invitations/accept). Someone who '
      + 'already has an account signs in first: the invitation is shown to them there, to accept or decline.')));
}

/** A new password reset link, shown this once, and whether it was emailed. */
function showResetLink(box, answer) {
  const link = `${publicOrigin()}/sign-in#reset=${answer.resetToken}`;
  box.replaceChildren(h('div', { class: 'secret-once', role: 'status' },
    h('p', {}, answer.emailed
      ? `A password reset link was emailed to ${answer.email}. If it does not arrive, pass this link on yourself `
        + `(shown only this once; it works once, until ${time(answer.expiresAt)}):`
      : `Pass this password reset link on to ${answer.email} (shown only this once; it works once, until `
        + `${time(answer.expiresAt)}):`),
    h('p', {}, h('code', { id: 'reset-link' }, link)),
    h('p', { class: 'muted' }, 'It opens this console, where they choose a new password; that signs them out '
      + 'everywhere.')));
}

// ------------------------------------------------------------------ Settings

/** The organization's settings pages, and the signed-in person's API tokens and password. */
export async function settingsPage({ main, org, orgPath, me, afterPasswordChange }) {
  main.append(h('h1', {}, 'Settings'),
    h('p', { class: 'muted' }, `${org.name}: you are ${org.role === 'admin' ? 'an' : 'a'} ${org.role}.`),
    h('nav', { class: 'card', 'aria-label': 'Organization settings' }, h('h2', {}, 'Organization'),
      h('ul', {}, [['Members and invitations', '/members'], ['Integrations', '/integrations'],
        ['Email Inboxes', '/email-inboxes'], ['Team Members', '/team-members']]
        .map(([label, suffix]) => h('li', {}, h('a', { href: orgPath + suffix }, label))))));

  const tokens = h('div');
  const result = h('div', { id: 'new-token-result' });
  const name = input('token-name', { autocomplete: 'off', placeholder: 'e.g. deploy script' });
  const create = button('Create token', { id: 'token-create', class: 'primary' });
  const tokenForm = h('form', { class: 'card' }, h('h2', {}, 'Your API tokens'),
    h('p', { class: 'muted' }, 'For scripts and other REST clients: send one as Authorization: Bearer <token>.'),
    tokens, field('Name', name), h('div', { class: 'toolbar' }, create), result);
  tokenForm.addEventListener('submit', (e) => e.preventDefault());
  create.addEventListener('click', async () => {
    const made = await attempt(create.parentElement, create, () => post('/tokens', { name: name.value.trim() }));
    if (!made) return;
    tokenForm.querySelector('#token-name').value = '';
    result.replaceChildren(h('div', { class: 'secret-once', role: 'status' },
      h('p', {}, `The token "${made.name}", shown only this once:`), h('p', {}, h('code', { id: 'new-api-token' }, made.token))));
    await loadTokens();
  });

  const password = h('section', { class: 'card', id: 'password-settings' }, h('h2', {}, 'Your password'),
    passwordForm({ me, current: me.passwordSet, done: afterPasswordChange }));
  main.append(tokenForm, password);

  async function loadTokens() {
    const answer = await attempt(tokens, null, () => get('/tokens'));
    if (!answer) return;
    tokens.replaceChildren(table('api-tokens', ['Name', 'Starts with', 'Created', ''],
      answer.items.map((t) => [t.name, h('code', {}, t.prefix), time(t.createdAt), t.id !== me.tokenId && button('Revoke', {
        dataset: { action: 'revoke' }, class: 'danger',
        onclick: async (e) => {
          if (!confirm(`Revoke the token "${t.name}"? Whatever uses it can no longer sign in.`)) return;
          if (await attempt(tokens, e.target, async () => (await del(`/tokens/${encodeURIComponent(t.id)}`), true))) {
            loadTokens();
          }
        },
      })]), 'No API tokens.'));
  }

  await loadTokens();
}

/**
 * Sets the signed-in person's password: the current one when they have one, the new one twice. `done` runs with
 * the new password once it is set (a changed password ends the sessions, so a session signs in again with it).
 */
export function passwordForm({ me, current, done }) {
  const fields = [
    current && field('Current password', input('current-password', { type: 'password', autocomplete: 'current-password',
      required: true })),
    field('New password', input('new-password', { type: 'password', autocomplete: 'new-password', required: true }),
      'At least 12 characters, not your email.'),
    field('New password again', input('new-password-again', { type: 'password', autocomplete: 'new-password',
      required: true })),
  ];
  const submit = h('button', { id: 'set-password-submit', type: 'submit', class: 'primary' },
    current ? 'Change password' : 'Set password');
  const status = h('p', { role: 'status', id: 'password-status' });
  const form = h('form', {}, fields, h('div', { class: 'toolbar' }, submit), status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    const value = (id) => form.querySelector(`#${id}`)?.value;
    if (value('new-password') !== value('new-password-again')) {
      showProblem(submit, { title: 'The two new passwords differ', errors: [{ field: 'password',
        message: 'type the same new password twice' }] });
      return;
    }
    const changed = await attempt(submit.parentElement, submit, async () => {
      await put('/me/password', { ...(current ? { currentPassword: value('current-password') } : {}),
        password: value('new-password') });
      return true;
    });
    if (!changed) return;
    const password = value('new-password');
    form.reset();
    await done(password);
    status.textContent = current ? 'Your password is changed.' : 'Your password is set.';
  });
  return form;
}
