// Silences: the active ones (from the config and the API), with how many alerts each held back;
// the admin role adds one (routing's match syntax, as JSON) or ends one now.
import { api, session } from '../api.js';
import { clear, h, time, toast } from '../dom.js';

export function silences(root) {
  const admin = session.role === 'admin';
  const tbody = h('tbody');
  const table = h('table', { id: 'silences' }, h('thead', {}, h('tr', {}, ['Id', 'Match', 'Reason', 'Until', 'Outputs', 'Held back', 'From', ''].map((t) => h('th', {}, t)))), tbody);
  const form = h(
    'form',
    { class: 'filters', id: 'silence-add' },
    h('label', {}, 'Match (JSON)', h('input', { name: 'match', placeholder: '{"rule": ["Terminal shell in container"]}', size: 40 })),
    h('label', {}, 'For', h('input', { name: 'for', placeholder: '2h', size: 6 })),
    h('label', {}, 'Reason', h('input', { name: 'reason', placeholder: 'maintenance' })),
    h('label', {}, 'Outputs', h('input', { name: 'outputs', placeholder: 'all' })),
    h('button', { type: 'submit', class: 'primary' }, 'Add silence'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    add().catch((err) => toast(err.message));
  });
  root.append(h('h1', {}, 'Silences'), admin ? form : h('p', { class: 'muted' }, 'Signed in read-only: adding and ending silences need the admin token.'), table);

  async function add() {
    const f = Object.fromEntries(new FormData(form));
    let match;
    try {
      match = JSON.parse(String(f.match));
    } catch {
      throw new Error('Match must be JSON, e.g. {"rule": ["Terminal shell in container"]}');
    }
    const outputs = String(f.outputs ?? '').split(',').map((o) => o.trim()).filter((o) => o && o !== 'all');
    const body = { match, for: String(f.for || '1h'), reason: String(f.reason || ''), ...(outputs.length ? { outputs } : {}) };
    const { silence } = await api('/silences', { method: 'POST', body });
    toast(`silence ${silence.id} added until ${time(silence.until)}`);
    form.reset();
    await load();
  }

  async function expire(id) {
    await api(`/silences/${encodeURIComponent(id)}`, { method: 'DELETE' });
    toast(`silence ${id} ended`);
    await load();
  }

  async function load() {
    const { silences: list } = await api('/silences');
    clear(tbody).append(
      ...(list.length === 0 ? [h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No active silence.'))] : []),
      ...list.map((s) =>
        h(
          'tr',
          { 'data-id': s.id },
          h('td', {}, s.id),
          h('td', { class: 'text' }, JSON.stringify(s.match)),
          h('td', { class: 'text' }, s.reason),
          h('td', {}, time(s.until)),
          h('td', {}, Array.isArray(s.outputs) ? s.outputs.join(', ') : 'all'),
          h('td', {}, String(s.hits)),
          h('td', {}, s.origin),
          h('td', {}, admin && s.origin === 'api' ? h('button', { type: 'button', class: 'danger expire', onclick: () => expire(s.id).catch((err) => toast(err.message)) }, 'End now') : null),
        ),
      ),
    );
  }

  load().catch((err) => toast(err.message));
  const timer = setInterval(() => load().catch(() => {}), 5000);
  return () => clearInterval(timer);
}
