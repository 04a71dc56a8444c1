// The DooneFlow console: sign-in, the organization's navigation, and client-side routing (History API).
import { api, token, whenUnauthorized, signIn, signOut as endSession, useCsrfToken, usePublicUrl, publicOrigin }
  from './api.js';
import { h, button, field, input, time, showProblem } from './dom.js';
import { dashboardPage, workflowsPage, eventsPage, executionPage } from './pages-work.js';
import { teamPage, membersPage, settingsPage, passwordForm } from './pages-settings.js';
import { integrationsPage, inboxesPage } from './pages-integrations.js';
import { activityPage } from './pages-activity.js';

const NAV = [
  ['dashboard', 'Dashboard', ''],
  ['workflows', 'Workflows', '/workflows'],
  ['events', 'Events', '/events'],
  ['integrations', 'Integrations', '/integrations'],
  ['email-inboxes', 'Email Inboxes', '/email-inboxes'],
  ['team-members', 'Team Members', '/team-members'],
  ['members', 'Members', '/members'],
  ['activity', 'Activity', '/activity'],
];

const PAGES = {
  dashboard: dashboardPage,
  workflows: workflowsPage,
  events: eventsPage,
  integrations: integrationsPage,
  'email-inboxes': inboxesPage,
  'team-members': teamPage,
  members: membersPage,
  activity: activityPage,
  settings: (context) => settingsPage({ ...context, me, afterPasswordChange }),
};

const app = document.getElementById('app');
let me = null; // GET /v1/me of the signed-in session or token
let invitations = null; // GET /v1/me/invitations: the signed-in user's pending invitations
let returnTo = null; // the page asked for before signing in

let navigated = false; // false until the first page change: the first page load keeps the browser's focus

/** Shows another page; `keepFocus` leaves the focus where it is (a filter changed the URL of the same page). */
export function navigate(path, { replace = false, keepFocus = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  navigated = true;
  render({ keepFocus });
}

/** /organizations/{org}[/{page}[/{id}]] → its parts, or null for any other path. */
function parseOrgPath(path) {
  const m = /^\/organizations\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/.exec(path);
  if (!m) return null;
  return { org: decodeURIComponent(m[1]), page: m[2] ?? 'dashboard', id: m[3] && decodeURIComponent(m[3]) };
}

async function render({ keepFocus = false } = {}) {
  const path = location.pathname;
  // An invitation link opens the sign-in page with the accept form filled in, whoever is signed in here.
  if (path === '/sign-in' && (invitationInLink() || resetInLink())) {
    signInPage();
    return;
  }
  if (!me) {
    // The session cookie is shared by every tab: a new tab asks who is signed in before showing the sign-in page.
    try {
      me = await api('GET', '/me', undefined, { signingIn: true });
      useCsrfToken(me.csrfToken);
      usePublicUrl(me.publicUrl);
    } catch (e) {
      if (e.status !== 401) {
        message('The console could not load your account', e);
        return;
      }
      if (path !== '/sign-in') {
        returnTo = parseOrgPath(path) ? path : null;
        history.replaceState(null, '', '/sign-in');
      }
      signInPage();
      return;
    }
  }
  invitations ??= await api('GET', '/me/invitations').then((answer) => answer.items, () => []);
  const route = parseOrgPath(path);
  const org = route && me.organizations.find((o) => o.id === route.org);
  if (!org || !(route.page in PAGES)) {
    const first = me.organizations[0];
    if (!first) {
      const none = h('main', { id: 'main' }, h('h1', {}, 'No organization'),
        h('p', {}, invitations.length > 0 ? 'Accept an invitation to join an organization.'
          : 'This token belongs to no organization: ask an owner or admin of one to invite you.'),
        button('Sign out', { id: 'sign-out', onclick: signOut }));
      app.replaceChildren(...[setPasswordCard(), invitationsBanner(), none].filter(Boolean));
      return;
    }
    navigate(`/organizations/${first.id}`, { replace: true });
    return;
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  const focused = keepFocus && document.activeElement?.id;
  // Settings has its own password form: the card would repeat it.
  app.replaceChildren(...[skipLink(), header(org, route.page), route.page !== 'settings' && setPasswordCard(),
    invitationsBanner(), main].filter(Boolean));
  const page = route.page === 'events' && route.id ? executionPage : PAGES[route.page];
  // Every page puts its heading up before loading its data: the focus moves there at once, the title follows the
  // heading once the data is in (a run's page names its workflow only then).
  const loaded = page({ main, org, orgPath: `/organizations/${encodeURIComponent(org.id)}`, id: route.id });
  announce(main, org, focused);
  await loaded;
  nameWindow(main, org);
}

function nameWindow(main, org) {
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} — ${org.name} — DooneFlow` : 'DooneFlow';
}

/** A link past the navigation to the page's content, the first thing the keyboard reaches. */
function skipLink() {
  return h('a', { class: 'skip-link', href: '#main', onclick: (e) => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  } }, 'Skip to content');
}

/**
 * Names the page in the window title and, after a page change, moves the focus to its heading so a screen reader
 * reads where the person is; a filter change puts the focus back on the control that made it.
 */
function announce(main, org, focused) {
  const heading = main.querySelector('h1');
  nameWindow(main, org);
  if (focused && document.getElementById(focused)) {
    document.getElementById(focused).focus();
  } else if (navigated && heading && !main.contains(document.activeElement)) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

function header(org, current) {
  const base = `/organizations/${encodeURIComponent(org.id)}`;
  const switcher = me.organizations.length > 1 && h('select', {
    id: 'org-switch', 'aria-label': 'Organization',
    onchange: (e) => navigate(`/organizations/${encodeURIComponent(e.target.value)}`),
  }, me.organizations.map((o) => h('option', { value: o.id, selected: o.id === org.id }, o.name)));
  // On a small screen the navigation folds behind a Menu button.
  const menu = button('Menu', { id: 'nav-toggle', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'site-nav' });
  const top = h('header', { class: 'top' },
    h('span', { class: 'brand' }, 'DooneFlow'),
    // The organization's name opens its Settings (members, roles, tokens, integrations).
    h('a', { id: 'org-settings', class: 'org', href: `${base}/settings`, 'data-nav': 'settings',
      'aria-current': current === 'settings' ? 'page' : false, title: `Settings of ${org.name}` }, org.name),
    switcher,
    menu,
    h('nav', { id: 'site-nav', 'aria-label': 'Main' }, NAV.filter(([key]) => key !== 'activity' || org.role !== 'member')
      .map(([key, label, suffix]) => h('a', {
      href: base + suffix, 'data-nav': key, 'aria-current': key === current ? 'page' : false,
    }, label))),
    h('span', { class: 'who' }, me.email),
    button('Sign out', { id: 'sign-out', onclick: signOut }));
  if (switcher) switcher.setAttribute('aria-label', 'Switch organization');
  menu.addEventListener('click', () => {
    const open = top.classList.toggle('open');
    menu.setAttribute('aria-expanded', String(open));
  });
  return top;
}

/** The signed-in user's pending invitations, each with Accept and Decline; nothing when there are none. */
function invitationsBanner() {
  if (!invitations || invitations.length === 0) return null;
  const box = h('section', { id: 'my-invitations', class: 'card invitations' }, h('h2', {}, 'Invitations'),
    h('ul', {}, invitations.map((i) => h('li', {},
      h('span', {}, `${i.invitedBy} invited you to ${i.organizationName} as ${i.role} (until ${time(i.expiresAt)}). `),
      button('Accept', { class: 'primary', dataset: { action: 'accept' }, onclick: (e) => answer(e.target, i, 'accept') }),
      ' ',
      button('Decline', { dataset: { action: 'decline' }, onclick: (e) => answer(e.target, i, 'decline') })))));
  return box;

  async function answer(control, invitation, verb) {
    control.disabled = true;
    try {
      const answered = await api('POST', `/invitations/${encodeURIComponent(invitation.id)}/${verb}`);
      me = null;
      invitations = null;
      if (answered?.organization) navigate(`/organizations/${encodeURIComponent(answered.organization.id)}`);
      else render();
    } catch (e) {
      control.disabled = false;
      if (e.status !== 401) showProblem(box.querySelector('ul'), e);
    }
  }
}

/** The secret of a password reset link (/sign-in#reset=dfr_…), or null. */
function resetInLink() {
  const m = /^#reset=(dfr_[A-Za-z0-9_-]+)$/.exec(location.hash);
  return m ? m[1] : null;
}

/** The accept token of an invitation link (/sign-in#invitation=dfi_…), or null. */
function invitationInLink() {
  const m = /^#invitation=(dfi_[A-Za-z0-9_-]+)$/.exec(location.hash);
  return m ? m[1] : null;
}

function signInPage() {
  const email = input('email', { type: 'email', autocomplete: 'username', required: true });
  const password = input('password', { type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { id: 'sign-in', type: 'submit', class: 'primary' }, 'Sign in');
  const useToken = button('Use an API token instead', { id: 'use-token', class: 'link', 'aria-expanded': 'false',
    'aria-controls': 'token-form' });
  const forgot = button('Forgot password?', { id: 'forgot-password', class: 'link', 'aria-expanded': 'false',
    'aria-controls': 'forgot-form' });
  const form = h('form', { class: 'card sign-in', id: 'password-form' },
    h('h1', {}, 'Sign in to DooneFlow'),
    field('Email', email), field('Password', password), submit,
    h('p', {}, forgot), h('p', {}, useToken));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await signIn(email.value.trim(), password.value);
      signedIn();
    } catch (e) {
      showProblem(submit, e);
    } finally {
      submit.disabled = false;
    }
  });

  const tokenInput = input('token', { type: 'password', autocomplete: 'off', required: true, placeholder: 'API token' });
  const tokenSubmit = h('button', { id: 'sign-in-token', type: 'submit' }, 'Sign in with the token');
  const tokenForm = h('form', { class: 'card sign-in', id: 'token-form', hidden: true },
    h('h2', {}, 'Sign in with an API token'),
    h('p', {}, 'The first owner\'s token was printed at the first start and written to data/initial-owner.txt, '
      + 'unless it was set with DOONEFLOW_BOOTSTRAP_TOKEN (or a password with DOONEFLOW_BOOTSTRAP_PASSWORD). '
      + 'A token signs in this tab only; set a password afterwards to sign in with your email.'),
    field('API token', tokenInput), tokenSubmit);
  tokenForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    tokenSubmit.disabled = true;
    try {
      token.set(tokenInput.value.trim()); // the API helper sends the stored token
      me = await api('GET', '/me', undefined, { signingIn: true });
      useCsrfToken(null);
      usePublicUrl(me.publicUrl);
      signedIn();
    } catch (e) {
      token.clear();
      showProblem(tokenSubmit, e);
    } finally {
      tokenSubmit.disabled = false;
    }
  });
  useToken.addEventListener('click', () => {
    tokenForm.hidden = !tokenForm.hidden;
    useToken.setAttribute('aria-expanded', String(!tokenForm.hidden));
    if (!tokenForm.hidden) tokenInput.focus();
  });

  const forgotForm = forgotPasswordForm();
  forgot.addEventListener('click', () => {
    forgotForm.hidden = !forgotForm.hidden;
    forgot.setAttribute('aria-expanded', String(!forgotForm.hidden));
    if (forgotForm.hidden) return;
    const address = forgotForm.querySelector('#forgot-email');
    address.value ||= email.value.trim(); // what was typed to sign in is the likely address
    address.focus();
  });

  const reset = resetInLink() && resetPasswordForm(resetInLink(), email);
  const invitation = acceptInvitationForm(invitationInLink());
  app.replaceChildren(h('main', { id: 'main', class: 'center' }, reset, form, forgotForm, tokenForm, invitation.form));
  document.title = reset ? 'Choose a new password — DooneFlow' : 'Sign in — DooneFlow';
  (reset ? reset.querySelector('input') : invitation.prefilled ? invitation.focus : email).focus();
  offerSingleSignOn(form, submit);
}

/**
 * "Forgot password?": emails a reset link when the installation sends mail; the answer is the same whether or not
 * the address has an account. Without mail, it says whom to ask.
 */
function forgotPasswordForm() {
  const address = input('forgot-email', { type: 'email', autocomplete: 'username', required: true });
  const submit = h('button', { id: 'forgot-send', type: 'submit' }, 'Send me a reset link');
  const status = h('p', { role: 'status', id: 'forgot-status' });
  const form = h('form', { class: 'card sign-in', id: 'forgot-form', hidden: true },
    h('h2', {}, 'Reset your password'), field('Your email', address), submit, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.textContent = '';
    try {
      const answer = await api('POST', '/password-reset/request', { email: address.value.trim() }, { signingIn: true });
      status.textContent = answer?.detail ?? 'If an account has this email, a reset link is on its way.';
    } catch (e) {
      showProblem(submit, e.status === 409 ? { title: 'No email from this installation',
        detail: 'Ask an owner or admin of your organization for a password reset link.' } : e);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** The page a password reset link opens: the new password twice; then signing in with it. */
function resetPasswordForm(secret, signInEmail) {
  const first = input('reset-password', { type: 'password', autocomplete: 'new-password', required: true });
  const again = input('reset-password-again', { type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { id: 'reset-submit', type: 'submit', class: 'primary' }, 'Set my new password');
  const form = h('form', { class: 'card sign-in', id: 'reset-form' },
    h('h1', {}, 'Choose a new password'),
    h('p', {}, 'This link works once. Setting a new password signs you out everywhere.'),
    field('New password', first, 'At least 12 characters, not your email.'), field('New password again', again),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (first.value !== again.value) {
      showProblem(submit, { title: 'The two passwords differ', errors: [{ field: 'password',
        message: 'type the same new password twice' }] });
      return;
    }
    submit.disabled = true;
    try {
      await api('POST', '/password-reset', { token: secret, password: first.value }, { signingIn: true });
      history.replaceState(null, '', '/sign-in');
      form.replaceChildren(h('h1', {}, 'Your password is set'),
        h('p', { role: 'status', id: 'reset-done' }, 'Sign in with your email and the new password below.'));
      signInEmail.focus();
    } catch (e) {
      showProblem(submit, e);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

const SSO_ERRORS = {
  state: 'The answer of the identity provider did not match a sign-in started in this browser. Try again.',
  refused: 'The identity provider did not sign you in.',
  provider: 'The identity provider could not be reached. Try again later, or sign in with your password.',
  token: 'The identity provider refused to finish signing you in.',
  'id-token': 'The answer of the identity provider could not be trusted, so it was refused.',
  'email-not-verified': 'Your identity provider has not verified your email address.',
  'no-account': 'No DooneFlow account has the email your identity provider gave. Ask an owner or admin of your '
    + 'organization to invite you.',
};

/** A "Sign in with single sign-on" link when the installation has an identity provider, and why it last failed. */
async function offerSingleSignOn(form, submit) {
  const failed = /^#sso-error=([a-z-]+)$/.exec(location.hash);
  if (failed) {
    showProblem(submit, { title: 'Single sign-on failed', detail: SSO_ERRORS[failed[1]] ?? SSO_ERRORS.refused });
  }
  const sso = await api('GET', '/session/oidc', undefined, { signingIn: true }).catch(() => null);
  if (!sso?.enabled) return;
  // An absolute address: the console's own link handling must not keep this one in the page. It starts under the
  // public URL, where the provider sends the browser back: the cookie holding the request must go there too.
  const start = (sso.startUrl ?? `${publicOrigin()}/v1/session/oidc/start`)
    + (returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : '');
  form.append(h('p', {}, h('a', { id: 'sign-in-sso', class: 'sso', href: start }, 'Sign in with single sign-on')));
}

/** After signing in: the page asked for before, else the first organization. */
function signedIn() {
  const target = returnTo;
  returnTo = null;
  me = null;
  invitations = null;
  navigate(target ?? '/', { replace: true });
}

/**
 * Accepting an invitation with its accept token (from the invitation link, or pasted), for someone who has no
 * account yet: they choose their password and are signed in with it. Without a password, the account's first API
 * token is shown once instead. Someone with an account signs in and accepts from the banner.
 */
function acceptInvitationForm(fromLink) {
  const acceptToken = input('invitation-token', { type: 'password', autocomplete: 'off', required: true,
    placeholder: 'dfi_…', value: fromLink ?? undefined });
  const password = input('invitation-password', { type: 'password', autocomplete: 'new-password' });
  const submit = h('button', { id: 'invitation-accept', type: 'submit' }, 'Accept invitation');
  const result = h('div', { id: 'invitation-result' });
  const form = h('form', { class: 'card', id: 'invitation-form' },
    h('h2', {}, 'Invited?'),
    h('p', {}, fromLink ? 'You were invited. Choose your password to join and sign in.'
      : 'Paste the accept token you were given. If you already have an account, sign in above instead: '
      + 'your invitations are shown once you are signed in.'),
    field('Accept token', acceptToken),
    field('Choose a password', password, 'At least 12 characters, not your email. Leave it empty to get an API '
      + 'token instead.'),
    submit, result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const chosen = password.value;
      const accepted = await api('POST', '/invitations/accept', { token: acceptToken.value.trim(),
        ...(chosen ? { password: chosen } : {}) }, { signingIn: true });
      form.reset();
      if (chosen) {
        await signIn(accepted.member.email, chosen);
        history.replaceState(null, '', '/sign-in');
        returnTo = `/organizations/${encodeURIComponent(accepted.organization.id)}`;
        signedIn();
        return;
      }
      const secret = accepted.token?.token;
      const go = () => {
        if (secret) token.set(secret);
        me = null;
        invitations = null;
        navigate(`/organizations/${encodeURIComponent(accepted.organization.id)}`, { replace: true });
      };
      result.replaceChildren(
        h('p', {}, `You joined ${accepted.organization.name} as ${accepted.member.role}.`),
        secret && h('p', {}, 'Your API token, shown only this once: keep it somewhere safe, you sign in with it. ',
          h('code', { id: 'invitation-api-token' }, secret)),
        button('Continue', { id: 'invitation-continue', class: 'primary', onclick: go }));
    } catch (e) {
      showProblem(submit, e);
    } finally {
      submit.disabled = false;
    }
  });
  return { form, prefilled: Boolean(fromLink), focus: password };
}

/** For someone signed in without a password (by their API token): set one to sign in with email and password. */
function setPasswordCard() {
  if (!me || me.passwordSet) return null;
  const card = h('section', { id: 'set-password', class: 'card invitations' }, h('h2', {}, 'Set your password'),
    h('p', {}, `You signed in with an API token. Choose a password to sign in as ${me.email} from now on.`));
  card.append(passwordForm({ me, current: false, done: async () => {
    me.passwordSet = true;
    card.replaceChildren(h('p', { role: 'status' }, 'Your password is set: sign in with your email and it from now on.'));
  } }));
  return card;
}

/** A changed password ended the sessions: a session sign-in signs in again with the new one. */
async function afterPasswordChange(newPassword) {
  if (!token.get()) await signIn(me.email, newPassword);
  me.passwordSet = true;
}

async function signOut() {
  try {
    await endSession();
  } catch {
    // Signed out all the same: the page forgets the session, and the cookie of an ended session is refused.
  }
  me = null;
  invitations = null;
  navigate('/sign-in');
}

function message(title, problem) {
  const anchor = h('p', {}, h('a', { href: '/sign-in', onclick: signOut }, 'Sign in again'));
  app.replaceChildren(h('main', { id: 'main' }, h('h1', {}, title), anchor));
  showProblem(anchor, problem);
}

whenUnauthorized(() => {
  me = null;
  invitations = null;
  navigate('/sign-in', { replace: true });
});

// Links inside the console change the page without reloading it.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href^="/"]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey
    || link.target || link.hasAttribute('download')) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', () => {
  navigated = true;
  render();
});
render();
