// Integrations (Twilio, Salesforce), Email Inboxes, Team Members and Members (with invitations): forms over the
// organization's settings.
import { get, put, post, patch, del, listAll } from './api.js';
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

// ------------------------------------------------------------------ Integrations

export async function integrationsPage({ main, org }) {
  main.append(h('h1', {}, 'Integrations'));
  const twilio = twilioSection(org);
  const salesforce = salesforceSection(org);
  main.append(twilio.element, salesforce.element);
  await Promise.all([twilio.load(), salesforce.load()]);
}

function twilioSection(org) {
  const f = {
    accountSid: input('twilio-accountSid', { autocomplete: 'off', placeholder: 'AC…' }),
    authToken: input('twilio-authToken', { type: 'password', autocomplete: 'new-password' }),
    phoneNumber: input('twilio-phoneNumber', { placeholder: '+14155552671' }),
    messagingServiceSid: input('twilio-messagingServiceSid', { placeholder: 'MG… (instead of a phone number)' }),
  };
  const status = h('p', { id: 'twilio-status', class: 'muted' }, 'Not configured');
  const result = h('output', { id: 'twilio-test-result' });
  const save = button('Save', { id: 'twilio-save', class: 'primary' });
  const test = button('Test', { id: 'twilio-test' });
  const remove = button('Remove', { id: 'twilio-remove', class: 'danger' });
  const form = h('form', { class: 'card' },
    h('h2', {}, 'SMS (Twilio)'), status,
    field('Account SID', f.accountSid),
    field('Auth Token', f.authToken, 'Write-only: leave blank to keep the stored token.'),
    field('Phone number', f.phoneNumber, 'With its country code, e.g. +14155552671.'),
    field('Messaging Service SID', f.messagingServiceSid, 'Optional: use instead of a phone number.'),
    h('div', { class: 'toolbar' }, save, test, remove), result);
  form.addEventListener('submit', (e) => e.preventDefault());

  function show(settings) {
    f.authToken.value = ''; // the token is never kept on the page
    if (!settings) {
      status.textContent = 'Not configured';
      return;
    }
    f.accountSid.value = settings.accountSid ?? '';
    f.phoneNumber.value = settings.phoneNumber ?? '';
    f.messagingServiceSid.value = settings.messagingServiceSid ?? '';
    status.textContent = settings.authTokenSet ? 'Auth token set' : 'Auth token not set';
    f.authToken.placeholder = settings.authTokenSet ? 'set — leave blank to keep' : '';
  }

  save.addEventListener('click', async () => {
    const answer = await attempt(save.parentElement, save, () => put(api(org, '/integrations/twilio'), values(f)));
    if (answer) show(answer);
  });
  test.addEventListener('click', async () => {
    result.textContent = 'Testing…';
    const answer = await attempt(save.parentElement, test, () => post(api(org, '/integrations/twilio/test')));
    result.textContent = answer
      ? `${answer.result}: ${answer.message}${answer.accountName ? ` (account ${answer.accountName})` : ''}` : '';
    result.className = answer?.result === 'ok' ? 'ok' : 'error';
  });
  remove.addEventListener('click', async () => {
    if (!confirm('Remove the Twilio credentials?')) return;
    const done = await attempt(save.parentElement, remove, async () => (await del(api(org, '/integrations/twilio')), true));
    if (done) {
      Object.values(f).forEach((el) => { el.value = ''; });
      show(null);
    }
  });

  return {
    element: form,
    load: async () => {
      try {
        show(await get(api(org, '/integrations/twilio')));
      } catch (e) {
        if (e.status === 404) show(null);
        else if (e.status !== 401) showProblem(save.parentElement, e);
      }
    },
  };
}

function salesforceSection(org) {
  const f = {
    name: input('sf-name', { placeholder: 'Production' }),
    environment: select('sf-environment', [['production'], ['sandbox']], 'production'),
    clientId: input('sf-clientId', { autocomplete: 'off' }),
    clientSecret: input('sf-clientSecret', { type: 'password', autocomplete: 'new-password' }),
    loginUrl: input('sf-loginUrl', { type: 'url', placeholder: 'optional, e.g. https://mydomain.my.salesforce.com' }),
    redirectUri: input('sf-redirectUri', { type: 'url', placeholder: 'optional: the default callback URL' }),
  };
  const list = h('div');
  const renamed = h('output', { id: 'sf-rename-result' });
  const save = button('Save Configuration', { id: 'sf-save', class: 'primary' });
  const form = h('form', { class: 'card' },
    h('h3', {}, 'Add a connection'),
    field('Connection name', f.name), field('Environment', f.environment),
    field('Client ID (Consumer Key)', f.clientId), field('Client Secret (Consumer Secret)', f.clientSecret),
    field('Login URL', f.loginUrl), field('Redirect URI', f.redirectUri),
    h('div', { class: 'toolbar' }, save),
    h('p', { class: 'muted' }, 'Saving sends you to Salesforce to authorize the connection.'));
  form.addEventListener('submit', (e) => e.preventDefault());

  async function load() {
    const connections = await attempt(list, null, () => listAll(api(org, '/integrations/salesforce')));
    if (!connections) return;
    list.replaceChildren(table('salesforce-connections', ['Name', 'Environment', 'Status', 'Instance', ''],
      connections.map((c) => [c.name, c.environment, h('span', { class: `status status-${c.status}` }, c.status),
        c.instanceUrl ?? '—', h('span', { class: 'actions' },
          button('Rename', {
            dataset: { action: 'rename' },
            onclick: async (e) => {
              const name = prompt(`New name for the Salesforce connection "${c.name}":`, c.name)?.trim();
              if (!name || name === c.name) return;
              const answer = await attempt(list, e.target, () => patch(api(org, `/integrations/salesforce/${c.id}`), { name }));
              if (!answer) return;
              await load();
              renamed.textContent = renameSummary(answer);
            },
          }),
          button('Reconnect', {
            dataset: { action: 'reconnect' },
            onclick: async (e) => {
              const answer = await attempt(list, e.target, () => post(api(org, `/integrations/salesforce/${c.id}/connect`)));
              if (answer) location.assign(answer.authorizeUrl);
            },
          }),
          button('Delete', {
            dataset: { action: 'delete' }, class: 'danger',
            onclick: async (e) => {
              if (!confirm(`Delete the Salesforce connection "${c.name}"?`)) return;
              if (await attempt(list, e.target, async () => (await del(api(org, `/integrations/salesforce/${c.id}`)), true))) load();
            },
          }))]),
      'No Salesforce connection yet.'));
  }

  save.addEventListener('click', async () => {
    const answer = await attempt(save.parentElement, save, () => post(api(org, '/integrations/salesforce'), values(f)));
    if (answer) location.assign(answer.authorizeUrl); // Salesforce sends the browser back to the callback
  });

  return { element: h('section', { class: 'card' }, h('h2', {}, 'Salesforce'), renamed, list, form), load };
}

/** What a rename did to the workflows that named the connection (they follow the new name). */
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

// ------------------------------------------------------------------ Email inboxes

export async function inboxesPage({ main, org }) {
  const f = {
    emailAddress: input('inbox-emailAddress', { type: 'email', required: true }),
    host: input('inbox-host', { placeholder: 'imap.gmail.com', required: true }),
    port: input('inbox-port', { type: 'number', min: 1, max: 65535, placeholder: '993' }),
    security: select('inbox-security', [['ssl', 'SSL/TLS'], ['starttls', 'STARTTLS'], ['none', 'None (plain text)']], 'ssl'),
    username: input('inbox-username', { autocomplete: 'off', placeholder: 'default: the email address' }),
    password: input('inbox-password', { type: 'password', autocomplete: 'new-password', required: true }),
    pollIntervalSeconds: input('inbox-pollIntervalSeconds', { type: 'number', min: 30, value: 60 }),
    active: input('inbox-active', { type: 'checkbox', checked: true }),
  };
  const list = h('div');
  const result = h('output', { id: 'inbox-test-result' });
  const create = button('Create Inbox', { id: 'inbox-create', class: 'primary' });
  const form = h('form', { class: 'card' }, h('h2', {}, 'Add an inbox'),
    field('Email address', f.emailAddress), field('IMAP server', f.host),
    field('IMAP port', f.port, 'Usually 993 for SSL/TLS, 143 for STARTTLS.'), field('Security', f.security),
    field('IMAP username', f.username), field('IMAP password', f.password, 'Write-only: stored encrypted.'),
    field('Poll interval (seconds)', f.pollIntervalSeconds, 'At least 30; 60 is recommended.'),
    field('Active', f.active), h('div', { class: 'toolbar' }, create));
  form.addEventListener('submit', (e) => e.preventDefault());
  main.append(h('h1', {}, 'Email Inboxes'), list, result, form);

  async function load() {
    const inboxes = await attempt(list, null, () => listAll(api(org, '/email-inboxes')));
    if (!inboxes) return;
    list.replaceChildren(table('inboxes', ['Email address', 'Server', 'Poll', 'Active', 'Last polled', 'Last error', ''],
      inboxes.map((i) => [i.emailAddress, `${i.host}:${i.port} (${i.security})`, `${i.pollIntervalSeconds} s`,
        i.active ? 'yes' : 'no', time(i.lastPolledAt), i.lastError ? h('span', { class: 'error' }, i.lastError) : '—',
        h('span', { class: 'actions' },
          button('Test', {
            dataset: { action: 'test' },
            onclick: async (e) => {
              result.textContent = 'Testing…';
              const answer = await attempt(list, e.target, () => post(api(org, `/email-inboxes/${i.id}/test`)));
              result.textContent = answer ? `${i.emailAddress}: ${answer.code} — ${answer.message}` : '';
              result.className = answer?.ok ? 'ok' : 'error';
            },
          }),
          ...switchAndDelete(list, api(org, `/email-inboxes/${i.id}`), i.active, 'Delete',
            `Delete the inbox ${i.emailAddress}?`, load))]),
      'No inbox yet.'));
  }

  postThenReload(create, form, api(org, '/email-inboxes'), f, load);
  await load();
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
