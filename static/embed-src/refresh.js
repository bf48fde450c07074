// Page views after the first: single-page sites and infinite scroll.
import { adm } from './adm.js';
import { flush, unwatchAll } from './events.js';
import { forgetBoxes } from './place.js';
import { clearZone } from './render.js';
import { run } from './view.js';

// Single-page sites: forget the last page's boxes and ask again for the new one.
// Infinite scroll: refresh({body: element}) makes the appended article a page view
// of its own and fills it alone, leaving the articles above as they are.
export const refresh = (opts) => {
  opts = opts || {};
  if (opts.body && opts.body.nodeType === 1) return run(opts.body, opts);
  try {
    flush();
    unwatchAll();
    forgetBoxes();
    adm.reserved = {};
    document.querySelectorAll('[data-adm-zone]').forEach((el) => {
      el.removeAttribute('data-adm-placement');
      el.style.display = '';
      clearZone(el);
    });
  } catch { /* start afresh anyway */ }
  return run(document, opts);
}
