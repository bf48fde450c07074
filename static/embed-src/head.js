/*
 * Ad Manager head part, built into static/embed-head.js and inlined in the page's
 * <head> by the snippet generator, with the layout in place of __ADM_CONFIG__.
 *
 * While the parser builds the article, it puts an empty box of the final size at
 * each in-content placement, as soon as its place is known, so the box is there
 * before the first paint and nothing moves when embed.js fills it later. Its CSS
 * (min-height per breakpoint) comes with it in a <style>, scoped by placement id.
 * It stops at DOMContentLoaded.
 */
import { adm } from './adm.js';
import { describe } from './describe.js';
import { findBody, fitsDevice, paragraphs, placeholderFor } from './page.js';
import { newBox, spot } from './place.js';

/* global __ADM_CONFIG__ */
const config = __ADM_CONFIG__;
const reserved = adm.reserved = adm.reserved || {};
// The loader asks the page about itself through this (see describe.js).
adm.describe = describe;
let todo = config.placements.filter((p) => p.where !== 'manual' && fitsDevice(p));

// One pass over the placements still waiting; ``final`` once the whole page is parsed.
// Nothing of ours may throw into the page: a placement that fails is left to the loader.
const pass = (final) => {
  const body = findBody(config, document);
  if (!body) return;
  const ps = paragraphs(body);
  todo = todo.filter((p) => {
    try {
      // A zone that has a placeholder of the page's own goes there, not in the text.
      if (p.kind === 'zone' && placeholderFor(document, p.zone.slug)) return false;
      const where = spot(p, body, ps, document, final);
      if (!where) return !final;
      reserved[p.id] = where.parent.insertBefore(newBox(p), where.before);
    } catch { /* the loader places it */ }
    return false;
  });
}

// The ad host is down (the loader failed to load): take the empty boxes away.
const collapse = (event) => {
  const el = event.target;
  if (!el || el.tagName !== 'SCRIPT' || !el.hasAttribute('data-site') || !/\/embed\.js/.test(el.src)) return;
  Object.keys(reserved).forEach((id) => reserved[id].remove());
  document.querySelectorAll('[data-adm-zone]').forEach((box) => { box.style.display = 'none'; });
}

document.addEventListener('error', collapse, true);
const observer = new MutationObserver(() => {
  try { pass(false); } catch { /* e.g. an invalid body selector */ }
});
observer.observe(document.documentElement, {childList: true, subtree: true});
document.addEventListener('DOMContentLoaded', () => {
  observer.disconnect();
  try {
    pass(true);
    // A placeholder further down the page wins over a box reserved in the text.
    Object.keys(reserved).forEach((id) => {
      const slug = reserved[id].getAttribute('data-adm-zone');
      if (slug && placeholderFor(document, slug)) {
        reserved[id].remove();
        delete reserved[id];
      }
    });
  } catch { /* the loader still fills what is there */ }
  adm.headDone = true;
});
