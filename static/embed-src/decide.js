// The single decision request of a page view (no cookies sent or kept).
import { capMemory } from './capping.js';

// App servers take about 4 KB of request line (gunicorn's default).
const MAX_QUERY = 3800;

export const decide = (base, facts) => {
  const memory = capMemory();
  facts.fc = Object.keys(memory).length ? JSON.stringify(memory) : '';
  const query = () => Object.keys(facts).filter((k) => facts[k] !== '')
    .map((k) => k + '=' + encodeURIComponent(facts[k])).join('&');
  // The oldest cap memory, then a long title, then the rest of the memory give way first.
  if (query().length > MAX_QUERY) {
    Object.keys(memory).forEach((c) => { memory[c] = memory[c].slice(-3); });
    facts.fc = JSON.stringify(memory);
    facts.title = facts.title.slice(0, 60);
  }
  if (query().length > MAX_QUERY) facts.fc = '';
  return fetch(base + '/serve?' + query(), {credentials: 'omit'}).then((r) => {
    // Any failure drops the reserved boxes (view.js): no message needed.
    if (!r.ok) throw r.status;
    return r.json();
  });
}
