// Placing boxes: where a placement goes, and the empty box that reserves its room.
// spot(), newBox() and markBox() serve the head part and the loader alike.
import { LABEL_HEIGHT } from './constants.js';
import { make } from './dom.js';
import { placeholderFor } from './page.js';

// Boxes the loader inserted itself, removed by forgetBoxes() on refresh.
const created = [];

// The parser is done with an element once anything follows it in the document.
export const closed = (el) => {
  for (; el; el = el.parentNode) if (el.nextSibling) return true;
  return false;
}

const after = (at) => {
  return {parent: at.parentNode, before: at.nextSibling, anchor: at, forward: true};
}

const before = (at) => {
  return {parent: at.parentNode, before: at, anchor: at, forward: false};
}

// Where a placement goes: insert into ``parent`` before ``before`` (null: at the end),
// next to ``anchor`` (after it when ``forward``). Null while unknown or impossible.
// ``final`` once the page is parsed; until then a spot is known only when the parser
// is done with what it depends on (the head part calls this while the page loads).
export const spot = (p, body, ps, root, final) => {
  let done = ps.length;
  if (done && !final && !closed(ps[done - 1])) done--;
  if (done < (p.min_paragraphs || 0)) return null;
  const where = p.where;
  let at;
  if (where === 'before_first_paragraph') return done ? before(ps[0]) : null;
  if (where === 'after_paragraph') {
    at = done >= p.paragraph && ps[p.paragraph - 1];
    return at ? after(at) : null;
  }
  // Counting from the end, or after the body, needs the whole body.
  if (where === 'after_paragraph_from_end' || where === 'after_body') {
    if (!final && !closed(body)) return null;
    if (where === 'after_body') return {parent: body, before: null};
    at = ps[ps.length - p.paragraph];
    return at ? after(at) : null;
  }
  at = p.selector && root.querySelector(p.selector);
  if (!at) return null;
  if (where === 'before_selector') return before(at);
  // After or inside an element: once the parser is done with it.
  if (!final && !closed(at)) return null;
  if (where === 'after_selector') return after(at);
  return where === 'inside_selector' ? {parent: at, before: null} : null;
}

// Give an element the marks of a placement's box (the element contract of docs/embed.md).
export const markBox = (el, p) => {
  el.className = 'adm-slot adm-' + p.kind;
  el.dataset.admPlacement = p.id;
  el.dataset.admKind = p.kind;
  if (p.kind === 'zone') el.dataset.admZone = p.zone.slug;
  return el;
}

// An empty box as the loader fills it: a <div> for a zone (with its label), a <p> for an insert.
export const newBox = (p) => {
  const el = markBox(document.createElement(p.kind === 'zone' ? 'div' : 'p'), p);
  if (p.kind === 'zone' && p.zone.label) el.appendChild(make('span', 'adm-label', p.zone.label));
  return el;
}

// The box reserved for the zone at this viewport: tallest allowed size plus the label.
export const zoneHeight = (zone) => {
  let tallest = 0;
  (zone.size_map || []).forEach((entry) => {
    if ((entry.min_width || 0) > innerWidth) return;
    tallest = 0;
    (entry.sizes || []).forEach((s) => { tallest = Math.max(tallest, +String(s).split('x')[1] || 0); });
  });
  return tallest + (zone.label ? LABEL_HEIGHT : 0);
}

// Whether a box reserved early already stands at its spot (our other boxes may sit
// between): the head part may have guessed the body before the page was all there.
const standsAt = (el, where) => {
  if (el.parentNode !== where.parent) return false;
  const {anchor, forward} = where;
  let n = anchor ? (forward ? anchor.nextSibling : anchor.previousSibling) : where.parent.lastChild;
  for (; n; n = forward ? n.nextSibling : n.previousSibling) {
    if (n === el) return true;
    if (n.nodeType === 1 ? !n.classList.contains('adm-slot') : /\S/.test(n.textContent)) return false;
  }
  return false;
}

// The element a placement renders into in ``root``: reserved by the head part, the
// page's placeholder, or a new box inserted now (that one may move text: use the head
// part); never a new box for an answer with nothing to show.
export const boxFor = (p, root, body, ps, empty) => {
  let el = root.querySelector('[data-adm-placement="' + p.id + '"]');
  let where;
  if (el) {
    where = body && !el.admPlaceholder && spot(p, body, ps, root, true);
    if (where && !standsAt(el, where)) where.parent.insertBefore(el, where.before);
  } else if (p.kind === 'zone' && (el = placeholderFor(root, p.zone.slug))) {
    el.admPlaceholder = true;
  } else if (p.where !== 'manual' && !empty) {
    where = body && spot(p, body, ps, root, true);
    if (!where) return null;
    el = where.parent.insertBefore(newBox(p), where.before);
    el.style.minHeight = p.kind === 'zone' ? zoneHeight(p.zone) + 'px'
      : (p.insert.link_count || (p.links || []).length || 1) + 'lh';
  }
  if (!el) return null;
  if (!el.admPlaceholder && !created.includes(el)) created.push(el);
  return markBox(el, p);
}

// Remove every box the loader inserted (a new page view starts afresh).
export const forgetBoxes = () => {
  created.splice(0).forEach((el) => el.remove());
}
