/*
 * Ad Manager head part, inlined in the page's <head> by the snippet generator.
 *
 * While the parser builds the article, it puts an empty box of the final size at
 * each in-content placement, as soon as its place is known, so the box is there
 * before the first paint and nothing moves when embed.js fills it later. Its CSS
 * (min-height per breakpoint) comes with it in a <style>, scoped by placement id.
 * It stops at DOMContentLoaded. Python drops comments and indentation when inlining.
 */
(function (config) {
  var adm = window.admanager = window.admanager || {};
  var reserved = adm.reserved = adm.reserved || {};
  var EXCLUDED = 'blockquote,figure,table,li,aside,header,footer,nav,.adm-slot';
  var wide = window.innerWidth >= 768;
  var todo = config.placements.filter(function (p) {
    return p.where !== 'manual' && (p.device === 'phone' ? !wide : p.device === 'wide' ? wide : true);
  });

  // The article body: the layout's selector, else the first CMS selector that finds one.
  function findBody() {
    var list = config.body_selector ? [config.body_selector] : config.body_selectors;
    for (var i = 0; i < list.length; i++) {
      try {
        var found = document.querySelector(list[i]);
        if (found) return found;
      } catch (e) {
        return null;
      }
    }
    return null;
  }

  // The paragraphs that count (DESIGN.md): <p> with text, not in quotes, figures,
  // tables, lists, asides, headers, footers, navs or our own boxes.
  function paragraphs(body) {
    return Array.prototype.filter.call(body.getElementsByTagName('p'), function (p) {
      var outside = p.closest(EXCLUDED);
      return !(outside && body.contains(outside)) && /\S/.test(p.textContent);
    });
  }

  // The parser is done with an element once anything follows it in the document.
  function closed(el) {
    for (; el; el = el.parentNode) if (el.nextSibling) return true;
    return false;
  }

  // An empty box as the loader fills it: the element contract of DESIGN.md.
  function box(p) {
    var el = document.createElement(p.kind === 'zone' ? 'div' : 'p');
    el.className = 'adm-slot adm-' + p.kind;
    el.setAttribute('data-adm-placement', p.id);
    el.setAttribute('data-adm-kind', p.kind);
    if (p.kind === 'zone') {
      el.setAttribute('data-adm-zone', p.zone.slug);
      if (p.zone.label) {
        var label = el.appendChild(document.createElement('span'));
        label.className = 'adm-label';
        label.textContent = p.zone.label;
      }
    }
    return el;
  }

  // A zone that has a placeholder of the page's own goes there, not in the text.
  function hasPlaceholder(p) {
    return p.kind === 'zone' &&
      document.querySelector('[data-adm-zone="' + CSS.escape(p.zone.slug) + '"]:not([data-adm-placement])');
  }

  // Where a placement goes now, as [parent, before-node], or null while unknown.
  function spot(p, body, ps, final) {
    var done = ps.length;
    if (done && !final && !closed(ps[done - 1])) done--;
    if (done < (p.min_paragraphs || 0)) return null;
    var at;
    if (p.where === 'before_first_paragraph') return done ? [ps[0].parentNode, ps[0]] : null;
    if (p.where === 'after_paragraph') {
      at = done >= p.paragraph && ps[p.paragraph - 1];
      return at ? [at.parentNode, at.nextSibling] : null;
    }
    // Counting from the end, or after the body, needs the whole body.
    if (p.where === 'after_paragraph_from_end' || p.where === 'after_body') {
      if (!final && !closed(body)) return null;
      if (p.where === 'after_body') return [body, null];
      at = ps[ps.length - p.paragraph];
      return at ? [at.parentNode, at.nextSibling] : null;
    }
    at = p.selector && document.querySelector(p.selector);
    if (!at) return null;
    if (p.where === 'before_selector') return [at.parentNode, at];
    // After or inside an element: once the parser is done with it.
    if (!final && !closed(at)) return null;
    if (p.where === 'after_selector') return [at.parentNode, at.nextSibling];
    return [at, null];
  }

  // One pass over the placements still waiting; ``final`` once the whole page is parsed.
  // Nothing of ours may throw into the page: a placement that fails is left to the loader.
  function pass(final) {
    var body = findBody();
    if (!body) return;
    var ps = paragraphs(body);
    todo = todo.filter(function (p) {
      try {
        if (hasPlaceholder(p)) return false;
        var where = spot(p, body, ps, final);
        if (!where) return !final;
        reserved[p.id] = where[0].insertBefore(box(p), where[1]);
      } catch (e) { /* the loader places it */ }
      return false;
    });
  }

  // The ad host is down (the loader failed to load): take the empty boxes away.
  function collapse(event) {
    var el = event.target;
    if (!el || el.tagName !== 'SCRIPT' || !el.hasAttribute('data-site') || !/\/embed\.js/.test(el.src)) return;
    Object.keys(reserved).forEach(function (id) { reserved[id].remove(); });
    document.querySelectorAll('[data-adm-zone]').forEach(function (box) { box.style.display = 'none'; });
  }

  document.addEventListener('error', collapse, true);
  var observer = new MutationObserver(function () {
    try { pass(false); } catch (e) { /* e.g. an invalid body selector */ }
  });
  observer.observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', function () {
    observer.disconnect();
    try {
      pass(true);
      // A placeholder further down the page wins over a box reserved in the text.
      Object.keys(reserved).forEach(function (id) {
        var slug = reserved[id].getAttribute('data-adm-zone');
        if (slug && document.querySelector('[data-adm-zone="' + CSS.escape(slug) + '"]:not([data-adm-placement])')) {
          reserved[id].remove();
          delete reserved[id];
        }
      });
    } catch (e) { /* the loader still fills what is there */ }
    adm.headDone = true;
  });
})(__ADM_CONFIG__);
