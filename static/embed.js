/*
 * Ad Manager loader: <script async src="https://ADS-HOST/embed.js" data-site=… data-layout=…>
 *
 * Asks the server once per page view what every placement shows, renders zones and
 * "À lire aussi" inserts into boxes whose space is already reserved, and reports
 * rendered/viewable events in batches. Plain ES2017, no build step. It defines only
 * window.admanager, sets no cookie, and catches every failure: the host page never
 * sees an exception from us.
 */
(function () {
  'use strict';
  var adm = window.admanager = window.admanager || {};
  // Several tags on one page: the first one does the work.
  if (adm.loader) return;
  var tag = document.currentScript;
  if (!tag || !tag.getAttribute('data-site')) tag = document.querySelector('script[data-site][src*="embed.js"]');
  if (!tag) return;
  adm.loader = true;

  var BASE = tag.src.replace(/\/embed\.js(\?.*)?$/, '');
  // In px, the label line (markup.LABEL_HEIGHT).
  var LABEL = 16;
  var EXCLUDED = 'blockquote,figure,table,li,aside,header,footer,nav,.adm-slot';
  var CSS_TEXT = '.adm-slot{display:block;clear:both;overflow:hidden;box-sizing:content-box}.adm-zone{margin:16px 0;text-align:center}.adm-label{display:block;height:16px;font:11px/16px sans-serif;color:#6b6b6b;letter-spacing:.05em;text-transform:uppercase;overflow:hidden}.adm-zone img{display:block;margin:0 auto;max-width:100%;height:auto;border:0}.adm-zone iframe{display:block;margin:0 auto;max-width:100%;border:0}.adm-insert .adm-line{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.adm-ad{display:flex;flex-direction:column;align-items:center;justify-content:center;overflow:hidden}.adm-text{display:flex;flex-direction:column;justify-content:center;box-sizing:border-box;width:100%;height:100%;padding:4px 12px;border:1px solid #ddd;background:#f7f7f7;color:#222;text-decoration:none;font:14px/1.3 sans-serif;overflow:hidden}.adm-text strong{display:block;font-size:16px}.adm-house{border-style:dashed;background:#fff}.adm-house strong{font-size:20px;letter-spacing:.02em}';
  var FC_KEY = 'admanager-fc';
  var MONTH = 30 * 86400;
  var SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

  var queue = [];
  var eventsUrl = '';
  var flushTimer = 0;
  // Boxes we inserted, removed by refresh().
  var created = [];
  var viewer = null;
  var storageAllowed = false;
  // Where render() looks: the page, or one appended article.
  var scope = document;

  function noop() {}

  // The value of a <meta property=…> (or name=…), or '' when the page has none.
  function meta(name) {
    var el = document.querySelector('meta[property="' + name + '"],meta[name="' + name + '"]');
    return el ? el.getAttribute('content') || '' : '';
  }

  // Text as the decision accepts it: no control characters, at most ``max`` long.
  function clean(text, max) {
    return String(text || '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, max);
  }

  // What the page says about itself: the tag's data-* first, then the page's metas.
  function pageFacts() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var tags = tag.getAttribute('data-tags');
    if (tags === null) {
      tags = Array.prototype.map.call(document.querySelectorAll('meta[property="article:tag"]'),
        function (m) { return m.getAttribute('content') || ''; }).join(',');
    }
    return {
      site: tag.getAttribute('data-site'),
      layout: tag.getAttribute('data-layout') || '',
      url: clean(canonical && canonical.href || location.href.split('#')[0], 2000),
      title: clean(meta('og:title') || document.title, 300),
      section: clean(tag.getAttribute('data-section') || meta('article:section'), 120),
      tags: tags.split(',').map(function (t) { return clean(t, 60); }).filter(Boolean).slice(0, 20).join(','),
      vw: window.innerWidth,
      lang: (document.documentElement.lang || '').slice(0, 8),
      preview: tag.getAttribute('data-preview') === '1' ? '1' : ''
    };
  }

  // Purpose-1 consent from a TCF v2 CMP, waited for at most 500 ms; no CMP means no.
  function consent() {
    return new Promise(function (resolve) {
      if (typeof window.__tcfapi !== 'function') return resolve(false);
      setTimeout(function () { resolve(false); }, 500);
      try {
        window.__tcfapi('addEventListener', 2, function (data, ok) {
          if (!ok || !data || data.eventStatus === 'cmpuishown') return;
          resolve(!!(data.purpose && data.purpose.consents && data.purpose.consents[1]));
          try { window.__tcfapi('removeEventListener', 2, noop, data.listenerId); } catch (e) { /* old CMP */ }
        });
      } catch (e) {
        resolve(false);
      }
    });
  }

  // Frequency-cap memory {campaign: [unix times]}; only read or written with consent.
  function capMemory() {
    if (!storageAllowed) return {};
    try {
      var memory = JSON.parse(localStorage.getItem(FC_KEY) || '{}');
      var oldest = Date.now() / 1000 - MONTH;
      Object.keys(memory).forEach(function (id) {
        memory[id] = (Array.isArray(memory[id]) ? memory[id] : []).filter(function (t) { return t > oldest; }).slice(-50);
        if (!memory[id].length) delete memory[id];
      });
      return memory;
    } catch (e) {
      return {};
    }
  }

  // Remember that a capped campaign was shown now, when the reader allowed it.
  function remember(campaign) {
    if (!storageAllowed || !campaign) return;
    try {
      var memory = capMemory();
      (memory[campaign] = memory[campaign] || []).push(Math.floor(Date.now() / 1000));
      localStorage.setItem(FC_KEY, JSON.stringify(memory));
    } catch (e) { /* storage full or blocked */ }
  }

  // The single decision request of the page view (no cookies sent or kept).
  function decide(facts) {
    var memory = capMemory();
    facts.fc = Object.keys(memory).length ? JSON.stringify(memory) : '';
    function query() {
      return Object.keys(facts).filter(function (k) { return facts[k] !== ''; }).map(function (k) {
        return k + '=' + encodeURIComponent(facts[k]);
      }).join('&');
    }
    // App servers take about 4 KB of request line (gunicorn's default): the oldest cap
    // memory, then a long title, then the rest of the memory give way first.
    if (query().length > 3800) {
      Object.keys(memory).forEach(function (c) { memory[c] = memory[c].slice(-3); });
      facts.fc = JSON.stringify(memory);
      facts.title = facts.title.slice(0, 60);
    }
    if (query().length > 3800) facts.fc = '';
    return fetch(BASE + '/serve?' + query(), {credentials: 'omit', mode: 'cors'}).then(function (r) {
      if (!r.ok) throw new Error('serve ' + r.status);
      return r.json();
    });
  }

  // Queue one event and send the batch soon; viewable events wait a little for company.
  function track(token, kind, delay) {
    if (!token || !eventsUrl) return;
    queue.push({t: token, k: kind});
    clearTimeout(flushTimer);
    flushTimer = setTimeout(flush, delay || 0);
  }

  // Send the queued events in one beacon (text/plain: no CORS preflight, survives unload).
  function flush() {
    if (!queue.length) return;
    var body = JSON.stringify({events: queue.splice(0, queue.length)});
    try {
      if (!navigator.sendBeacon || !navigator.sendBeacon(eventsUrl, body)) {
        fetch(eventsUrl, {method: 'POST', body: body, credentials: 'omit', keepalive: true, mode: 'no-cors'}).catch(noop);
      }
    } catch (e) { /* nothing to do: events are best effort */ }
  }

  // Viewable = ≥50 % in view for one continuous second while the tab is visible.
  function watch(el, tokens) {
    if (!window.IntersectionObserver) return;
    if (!viewer) {
      viewer = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { e.target.admInView = e.intersectionRatio >= 0.5; arm(e.target); });
      }, {threshold: [0, 0.5, 1]});
    }
    el.admTokens = tokens;
    viewer.observe(el);
  }

  // Start or stop an element's one-second clock from its visibility now.
  function arm(el) {
    // Already viewable.
    if (!el.admTokens) return;
    if (el.admInView && document.visibilityState === 'visible') {
      if (!el.admClock) {
        el.admClock = setTimeout(function () {
          var tokens = el.admTokens;
          el.admTokens = null;
          if (viewer) viewer.unobserve(el);
          if (el.isConnected) tokens.forEach(function (t) { track(t, 'viewable', 1000); });
        }, 1000);
      }
    } else {
      clearTimeout(el.admClock);
      el.admClock = 0;
    }
  }

  // The article body: the layout's selector, else the first CMS selector that finds one;
  // in an appended article, the article element itself when none matches inside it.
  function findBody(layout) {
    var list = layout.body_selector ? [layout.body_selector] : layout.body_selectors || [];
    try {
      for (var i = 0; i < list.length; i++) {
        var found = scope.querySelector(list[i]);
        if (found) return found;
      }
    } catch (e) { /* an invalid selector: placeholders are still filled */ }
    return scope === document ? null : scope;
  }

  // The paragraphs that count (DESIGN.md): <p> with text outside quotes, lists, asides… and us.
  function paragraphs(body) {
    return Array.prototype.filter.call(body.getElementsByTagName('p'), function (p) {
      var outside = p.closest(EXCLUDED);
      return !(outside && body.contains(outside)) && /\S/.test(p.textContent);
    });
  }

  // Where a placement goes in the finished page: [parent, before-node, anchor, after-anchor?].
  function spot(p, body, ps) {
    if (ps.length < (p.min_paragraphs || 0)) return null;
    var at;
    if (p.where === 'before_first_paragraph') return ps[0] ? [ps[0].parentNode, ps[0], ps[0], false] : null;
    if (p.where === 'after_paragraph' || p.where === 'after_paragraph_from_end') {
      at = ps[p.where === 'after_paragraph' ? p.paragraph - 1 : ps.length - p.paragraph];
      return at ? [at.parentNode, at.nextSibling, at, true] : null;
    }
    if (p.where === 'after_body') return [body, null];
    at = p.selector && scope.querySelector(p.selector);
    if (!at) return null;
    if (p.where === 'before_selector') return [at.parentNode, at, at, false];
    if (p.where === 'after_selector') return [at.parentNode, at.nextSibling, at, true];
    return p.where === 'inside_selector' ? [at, null] : null;
  }

  // Whether a box reserved early already stands at its spot (our other boxes may sit
  // between): the head part may have guessed the body before the page was all there.
  function standsAt(el, where) {
    if (el.parentNode !== where[0]) return false;
    var forward = where[2] && where[3];
    var n = where[2] ? (forward ? where[2].nextSibling : where[2].previousSibling) : where[0].lastChild;
    for (; n; n = forward ? n.nextSibling : n.previousSibling) {
      if (n === el) return true;
      if (n.nodeType === 1 ? !n.classList.contains('adm-slot') : /\S/.test(n.textContent)) return false;
    }
    return false;
  }

  // The box reserved for the zone at this viewport: tallest allowed size plus the label.
  function zoneHeight(zone) {
    var entries = zone.size_map || [];
    var tallest = 0;
    entries.forEach(function (entry) {
      if ((entry.min_width || 0) > window.innerWidth) return;
      tallest = 0;
      (entry.sizes || []).forEach(function (s) { tallest = Math.max(tallest, +(String(s).split('x')[1]) || 0); });
    });
    return tallest + (zone.label ? LABEL : 0);
  }

  // The element a placement renders into: reserved by the head part, the page's
  // placeholder, or a new box inserted now (that one may move text: use the head part).
  function boxFor(p, body, ps) {
    var el = scope.querySelector('[data-adm-placement="' + p.id + '"]');
    var where;
    if (el) {
      where = body && !el.admPlaceholder && spot(p, body, ps);
      if (where && !standsAt(el, where)) where[0].insertBefore(el, where[1]);
    } else if (p.kind === 'zone') {
      el = scope.querySelector('[data-adm-zone="' + CSS.escape(p.zone.slug) + '"]:not([data-adm-placement])');
      if (el) {
        el.admPlaceholder = true;
      } else if (p.where !== 'manual') {
        where = body && spot(p, body, ps);
        if (!where) return null;
        el = where[0].insertBefore(document.createElement('div'), where[1]);
        el.style.minHeight = zoneHeight(p.zone) + 'px';
        if (p.zone.label) el.appendChild(make('span', 'adm-label', p.zone.label));
      }
    } else if (p.where !== 'manual') {
      where = body && spot(p, body, ps);
      if (!where) return null;
      el = where[0].insertBefore(document.createElement('p'), where[1]);
      el.style.minHeight = (p.insert.link_count || (p.links || []).length || 1) + 'lh';
    }
    if (!el) return null;
    if (!el.admPlaceholder && created.indexOf(el) < 0) created.push(el);
    el.className = 'adm-slot adm-' + p.kind;
    el.setAttribute('data-adm-placement', p.id);
    el.setAttribute('data-adm-kind', p.kind);
    if (p.kind === 'zone') el.setAttribute('data-adm-zone', p.zone.slug);
    return el;
  }

  // A new element with a class and text (text only: creatives never reach innerHTML).
  function make(name, cls, text) {
    var el = document.createElement(name);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  // Only web links and images from the decision; anything else renders nothing.
  function web(url) {
    return /^https?:\/\//i.test(url || '') ? url : '';
  }

  // A link that opens the advertiser (through our click counter) in a new tab.
  function adLink(ad, cls) {
    var a = make('a', cls);
    a.href = web(ad.click) || '#';
    a.target = '_blank';
    a.rel = 'sponsored noopener';
    return a;
  }

  // Empty a zone box but for its label and the placeholder's own reserving <style>.
  function clearZone(el) {
    Array.prototype.slice.call(el.children).forEach(function (c) {
      if (c.className !== 'adm-label' && c.tagName !== 'STYLE') c.remove();
    });
  }

  // Fill a zone box with its ad; give the element to watch, or null when nothing shows.
  function renderZone(el, p) {
    var ad = p.ad;
    clearZone(el);
    if (!ad) return null;
    var holder = make('div', 'adm-ad');
    var inner = zoneHeight(p.zone) - (p.zone.label ? LABEL : 0);
    if (inner > 0) holder.style.height = inner + 'px';
    if (ad.type === 'image' && web(ad.src)) {
      var img = make('img');
      img.src = ad.src;
      img.width = ad.width;
      img.height = ad.height;
      img.alt = ad.alt || '';
      // The ratio the decision announced, not the file's: a wrong file can't move the page.
      img.style.aspectRatio = ad.width + '/' + ad.height;
      holder.appendChild(adLink(ad)).appendChild(img);
    } else if (ad.type === 'html' && web(ad.src)) {
      // Our URL, not srcdoc: a srcdoc frame would run under the host page's CSP.
      var frame = make('iframe');
      frame.setAttribute('sandbox', SANDBOX);
      frame.setAttribute('scrolling', 'no');
      frame.setAttribute('loading', 'lazy');
      frame.title = p.zone.label || 'ad';
      frame.width = ad.width;
      frame.height = ad.height;
      frame.src = ad.src;
      holder.appendChild(frame);
    } else if (ad.headline) {
      var a = holder.appendChild(adLink(ad, ad.type === 'house' ? 'adm-text adm-house' : 'adm-text'));
      if (ad.width) a.style.maxWidth = ad.width + 'px';
      a.appendChild(make('strong', '', ad.headline));
      if (ad.body) a.appendChild(make('span', '', ad.body));
    } else {
      return null;
    }
    el.appendChild(holder);
    if (ad.fc) remember(ad.campaign);
    return [holder, [ad.event]];
  }

  // Fill an insert: bold label, then one linked headline per line.
  function renderInsert(el, p) {
    el.textContent = '';
    var links = (p.links || []).filter(function (l) { return web(l.click) && l.title; });
    links.forEach(function (link, i) {
      var line = el.appendChild(make('span', 'adm-line'));
      if (!i) {
        line.appendChild(make('strong', '', p.insert.label));
        line.appendChild(document.createTextNode(' '));
      }
      var a = line.appendChild(make('a', '', link.title));
      a.href = link.click;
      if (link.sponsored) a.rel = 'sponsored';
    });
    return links.length ? [el, links.map(function (l) { return l.event; })] : null;
  }

  // Take a box away: ours are removed, the page's placeholders only hidden.
  function drop(el) {
    if (el.admPlaceholder) el.style.display = 'none';
    else el.remove();
  }

  // Render the decision inside ``root``: fill or insert every placement, drop what got nothing.
  function render(answer, root) {
    scope = root;
    eventsUrl = web(answer.events);
    var layout = answer.layout || {};
    var body = findBody(layout);
    var ps = body ? paragraphs(body) : [];
    var wide = window.innerWidth >= 768;
    var shown = {};
    (answer.placements || []).forEach(function (p) {
      try {
        if (p.device === 'phone' ? wide : p.device === 'wide' && !wide) return;
        var el = boxFor(p, body, ps);
        if (!el) return;
        shown[p.id] = true;
        var done = p.kind === 'zone' ? renderZone(el, p) : renderInsert(el, p);
        if (!done) return drop(el);
        var tokens = done[1].filter(Boolean);
        tokens.forEach(function (t) { track(t, 'rendered'); });
        watch(done[0], tokens);
      } catch (e) { /* one bad placement leaves the others */ }
    });
    dropUnanswered(shown, root);
  }

  // Take away what the answer did not fill in ``root`` (everything, on failure): boxes
  // the head part reserved (first article only), placeholders the layout does not place.
  function dropUnanswered(shown, root) {
    var reserved = root === document && adm.reserved || {};
    Object.keys(reserved).forEach(function (id) {
      if (!shown[id] && reserved[id].parentNode) reserved[id].remove();
    });
    root.querySelectorAll('[data-adm-zone]:not([data-adm-placement])').forEach(function (el) {
      el.style.display = 'none';
    });
  }

  // Put the shared CSS in the page when no snippet part brought it (script tag alone):
  // adding it twice would need one more CSP hash for nothing.
  function addStyle() {
    if (adm.reserved || document.querySelector('.adm-slot,#adm-style')) return;
    var style = make('style', '', CSS_TEXT);
    style.id = 'adm-style';
    document.head.appendChild(style);
  }

  // Resolve once the parser is done, so paragraphs are counted on the whole article.
  function parsed() {
    return new Promise(function (resolve) {
      if (document.readyState !== 'loading') resolve();
      else document.addEventListener('DOMContentLoaded', resolve);
    });
  }

  // One page view in ``root`` (the page, or an appended article whose own URL, title,
  // section and tags come from ``opts`` or its data-adm-* attributes): consent and
  // parsing, one decision, rendering. Never rejects. A later run for the same root
  // wins: an answer that comes back after it is dropped.
  function run(root, opts) {
    var mine = root.admRuns = (root.admRuns || 0) + 1;
    return Promise.all([consent(), parsed()]).then(function (results) {
      storageAllowed = results[0];
      addStyle();
      var facts = pageFacts();
      if (root !== document) {
        var h = root.querySelector('h1,h2');
        facts.title = clean(h && h.textContent, 300) || facts.title;
        ['url', 'title', 'section', 'tags'].forEach(function (k) {
          var v = opts[k] || root.getAttribute('data-adm-' + k);
          if (v) facts[k] = clean(v, k === 'url' ? 2000 : 300);
        });
      }
      return decide(facts);
    }).then(function (answer) {
      if (mine === root.admRuns) render(answer, root);
    }).catch(function () {
      try { if (mine === root.admRuns) dropUnanswered({}, root); } catch (e) { /* nothing left to undo */ }
    });
  }

  // Single-page sites: forget the last page's boxes and ask again for the new one.
  // Infinite scroll: refresh({body: element}) makes the appended article a page view
  // of its own and fills it alone, leaving the articles above as they are.
  adm.refresh = function (opts) {
    opts = opts || {};
    if (opts.body && opts.body.nodeType === 1) return run(opts.body, opts);
    try {
      flush();
      if (viewer) viewer.disconnect();
      viewer = null;
      created.splice(0).forEach(function (el) { el.remove(); });
      adm.reserved = {};
      document.querySelectorAll('[data-adm-zone]').forEach(function (el) {
        el.removeAttribute('data-adm-placement');
        el.style.display = '';
        clearZone(el);
      });
    } catch (e) { /* start afresh anyway */ }
    return run(document, opts);
  };

  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flush();
    document.querySelectorAll('.adm-slot, .adm-ad').forEach(arm);
  });
  adm.ready = run(document, {});
})();
