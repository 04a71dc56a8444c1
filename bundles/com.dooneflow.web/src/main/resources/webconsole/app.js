// The DooneFlow console: sign-in, the organization's navigation, and client-side routing (History API).
import { api, token, whenUnauthorized } from './api.js';
import { h, button, field, input, showProblem } from './dom.js';
import { dashboardPage, workflowsPage, eventsPage, executionPage } from './pages-work.js';
import { integrationsPage, inboxesPage, teamPage } from './pages-settings.js';

const NAV = [
  ['dashboard', 'Dashboard', ''],
  ['workflows', 'Workflows', '/workflows'],
  ['events', 'Events', '/events'],
  ['integrations', 'Integrations', '/integrations'],
  ['email-inboxes', 'Email Inboxes', '/email-inboxes'],
  ['team-members', 'Team Members', '/team-members'],
];

const PAGES = {
  dashboard: dashboardPage,
  workflows: workflowsPage,
  events: eventsPage,
  integrations: integrationsPage,
  'email-inboxes': inboxesPage,
  'team-members': teamPage,
};

const app = document.getElementById('app');
let me = null; // GET /v1/me of the signed-in token
let returnTo = null; // the page asked for before signing in

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

/** /organizations/{org}[/{page}[/{id}]] → its parts, or null for any other path. */
function parseOrgPath(path) {
  const m = /^\/organizations\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/.exec(path);
  if (!m) return null;
  return { org: decodeURIComponent(m[1]), page: m[2] ?? 'dashboard', id: m[3] && decodeURIComponent(m[3]) };
}

async function render() {
  const path = location.pathname;
  if (!token.get()) {
    if (path !== '/sign-in') {
      returnTo = parseOrgPath(path) ? path : null;
      history.replaceState(null, '', '/sign-in');
    }
    signInPage();
    return;
  }
  try {
    me ??= await api('GET', '/me');
  } catch (e) {
    if (e.status !== 401) message('The console could not load your account', e);
    return;
  }
  const route = parseOrgPath(path);
  const org = route && me.organizations.find((o) => o.id === route.org);
  if (!org || !(route.page in PAGES)) {
    const first = me.organizations[0];
    if (!first) {
      message('No organization', { title: 'No organization', detail: 'This token belongs to no organization.' });
      return;
    }
    navigate(`/organizations/${first.id}`, { replace: true });
    return;
  }
  const main = h('main', { id: 'main' });
  app.replaceChildren(header(org, route.page), main);
  const page = route.page === 'events' && route.id ? executionPage : PAGES[route.page];
  await page({ main, org, orgPath: `/organizations/${encodeURIComponent(org.id)}`, id: route.id });
}

function header(org, current) {
  const base = `/organizations/${encodeURIComponent(org.id)}`;
  const switcher = me.organizations.length > 1 && h('select', {
    id: 'org-switch', 'aria-label': 'Organization',
    onchange: (e) => navigate(`/organizations/${encodeURIComponent(e.target.value)}`),
  }, me.organizations.map((o) => h('option', { value: o.id, selected: o.id === org.id }, o.name)));
  return h('header', { class: 'top' },
    h('span', { class: 'brand' }, 'DooneFlow'),
    switcher || h('span', { class: 'org' }, org.name),
    h('nav', {}, NAV.map(([key, label, suffix]) => h('a', {
      href: base + suffix, 'data-nav': key, 'aria-current': key === current ? 'page' : false,
    }, label))),
    h('span', { class: 'who' }, me.email),
    button('Sign out', { id: 'sign-out', onclick: signOut }));
}

function signInPage() {
  const tokenInput = input('token', { type: 'password', autocomplete: 'off', required: true, placeholder: 'API token' });
  const submit = h('button', { id: 'sign-in', type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card sign-in' },
    h('h1', {}, 'Sign in to DooneFlow'),
    h('p', {}, 'Paste your API token (the first owner\'s token is in data/initial-owner.txt).'),
    field('API token', tokenInput), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      token.set(tokenInput.value.trim()); // the API helper sends the stored token
      me = await api('GET', '/me', undefined, { signingIn: true });
      const target = returnTo;
      returnTo = null;
      navigate(target ?? '/', { replace: true });
    } catch (e) {
      token.clear();
      showProblem(submit, e);
    } finally {
      submit.disabled = false;
    }
  });
  app.replaceChildren(h('main', { id: 'main', class: 'center' }, form));
  tokenInput.focus();
}

function signOut() {
  token.clear();
  me = null;
  navigate('/sign-in');
}

function message(title, problem) {
  const anchor = h('p', {}, h('a', { href: '/sign-in', onclick: signOut }, 'Sign in again'));
  app.replaceChildren(h('main', { id: 'main' }, h('h1', {}, title), anchor));
  showProblem(anchor, problem);
}

whenUnauthorized(() => {
  me = null;
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
window.addEventListener('popstate', render);
render();
