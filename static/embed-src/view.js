// One page view: consent and parsing, one decision, every placement filled, the
// events of what shows. The page, or an appended article (infinite scroll).
import { adm } from './adm.js';
import { allowStorage } from './capping.js';
import { consent } from './consent.js';
import { decide } from './decide.js';
import { sendEventsTo, track, watch } from './events.js';
import { articleFacts, pageFacts } from './facts.js';
import { findBody, fitsDevice, paragraphs } from './page.js';
import { boxFor } from './place.js';
import { addStyle, drop, renderInsert, renderZone, web } from './render.js';

// The loader's own script tag, and the ads host it came from.
let tag = null;
let base = '';

export const useTag = (el) => {
  tag = el;
  base = el.src.replace(/\/embed\.js(\?.*)?$/, '');
}

// Resolve once the parser is done, so paragraphs are counted on the whole article.
const parsed = () => {
  return new Promise((resolve) => {
    if (document.readyState !== 'loading') resolve();
    else document.addEventListener('DOMContentLoaded', resolve);
  });
}

// Render the decision inside ``root``: fill or insert every placement, drop what got nothing.
const fill = (answer, root) => {
  sendEventsTo(web(answer.events));
  const layout = answer.layout || {};
  // In an appended article, the article element itself when no body matches inside it.
  const body = findBody(layout, root) || (root === document ? null : root);
  const ps = body ? paragraphs(body) : [];
  const shown = {};
  (answer.placements || []).forEach((p) => {
    try {
      if (!fitsDevice(p)) return;
      const token = (p.ad || (p.links || [])[0] || {}).event;
      const el = boxFor(p, root, body, ps, !token);
      // Served but with no place on this page: said once, never charged.
      if (!el) return track(token, 'not_placed');
      shown[p.id] = true;
      const done = p.kind === 'zone' ? renderZone(el, p) : renderInsert(el, p);
      if (!done) return drop(el);
      const tokens = done.tokens.filter(Boolean);
      tokens.forEach((t) => track(t, 'rendered'));
      watch(done.el, tokens);
    } catch { /* one bad placement leaves the others */ }
  });
  dropUnanswered(shown, root);
}

// Take away what the answer did not fill in ``root`` (everything, on failure): boxes
// the head part reserved (first article only), placeholders the layout does not place.
const dropUnanswered = (shown, root) => {
  const reserved = root === document && adm.reserved || {};
  Object.keys(reserved).forEach((id) => {
    if (!shown[id] && reserved[id].parentNode) drop(reserved[id]);
  });
  root.querySelectorAll('[data-adm-zone]:not([data-adm-placement])').forEach(drop);
}

// One page view in ``root`` (the page, or an appended article whose own URL, title,
// section and tags come from ``opts`` or its data-adm-* attributes). Never rejects.
// A later run for the same root wins: an answer that comes back after it is dropped.
export const run = (root, opts) => {
  const mine = root.admRuns = (root.admRuns || 0) + 1;
  return Promise.all([consent(), parsed()]).then((results) => {
    allowStorage(results[0]);
    addStyle(base);
    const facts = pageFacts(tag);
    return decide(base, root === document ? facts : articleFacts(facts, root, opts));
  }).then((answer) => {
    if (mine === root.admRuns) fill(answer, root);
  }).catch(() => {
    try { if (mine === root.admRuns) dropUnanswered({}, root); } catch { /* nothing left to undo */ }
  });
}
