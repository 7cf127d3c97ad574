// The console's single page: sign-in, then one of the views by the URL's hash
// (#/overview, #/alerts, #/alert/<uuid>, #/deadletters, #/silences). Each view returns a stop function for its
// polling timer, called when the user leaves it.
import { api, session, whenUnauthorized } from './api.js';
import { clear } from './dom.js';
import { overview } from './views/overview.js';
import { alerts } from './views/alerts.js';
import { alertPage } from './views/alert.js';
import { deadLetters } from './views/deadletters.js';
import { silences } from './views/silences.js';

const $ = (id) => document.getElementById(id);
let stop = () => {};

function showLogin(message = '') {
  stop();
  stop = () => {};
  session.token = '';
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('who').textContent = '';
  clear($('view'));
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('token').focus();
}

async function signIn() {
  const me = await api('/whoami');
  session.role = me.role;
  $('who').textContent = me.role === 'admin' ? 'admin' : 'read-only';
  $('login').hidden = true;
  $('nav').hidden = false;
  $('logout').hidden = false;
  route();
}

function route() {
  if ($('login').hidden === false) return;
  stop();
  const [, view = 'overview', ...rest] = location.hash.split('/');
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === view || (view === 'alert' && a.dataset.view === 'alerts'));
  const root = clear($('view'));
  const views = { overview, alerts, alert: (el) => alertPage(el, decodeURIComponent(rest.join('/'))), deadletters: deadLetters, silences };
  stop = (views[view] ?? overview)(root) ?? (() => {});
}

whenUnauthorized(() => showLogin('The token was refused or has expired. Sign in again.'));
window.addEventListener('hashchange', route);
$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  session.token = $('token').value.trim();
  $('token').value = '';
  signIn().catch((err) => showLogin(err.status === 401 ? 'That token was refused.' : err.message));
});
$('logout').addEventListener('click', () => showLogin());

if (session.token) signIn().catch(() => showLogin());
else showLogin();
