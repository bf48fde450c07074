// Reading the article page: its body, the paragraphs that count, the width class
// and the page's own placeholders. Shared by the head part and the loader.
import { NOT_COUNTED, PHONE_MAX_WIDTH } from './constants.js';

// The article body in ``root``: the layout's selector, else the first CMS selector
// that finds one; null when none does or a selector is invalid.
export const findBody = (layout, root) => {
  const list = layout.body_selector ? [layout.body_selector] : layout.body_selectors || [];
  try {
    for (const selector of list) {
      const found = root.querySelector(selector);
      if (found) return found;
    }
  } catch { /* an invalid selector: placeholders are still filled */ }
  return null;
}

// The paragraphs that count (docs/embed.md): <p> with text, not inside quotes,
// figures, tables, lists, asides, headers, footers, navs or our own boxes.
export const paragraphs = (body) => {
  return [...body.getElementsByTagName('p')].filter((p) => {
    const outside = p.closest(NOT_COUNTED);
    return !(outside && body.contains(outside)) && /\S/.test(p.textContent);
  });
}

// Whether a placement marked "phone" or "wide" belongs at this viewport width.
export const fitsDevice = (p) => {
  const wide = innerWidth > PHONE_MAX_WIDTH;
  return p.device === 'phone' ? !wide : p.device !== 'wide' || wide;
}

// The page's own placeholder for a zone, not yet taken by a placement.
export const placeholderFor = (root, slug) => {
  return root.querySelector('[data-adm-zone="' + CSS.escape(slug) + '"]:not([data-adm-placement])');
}
