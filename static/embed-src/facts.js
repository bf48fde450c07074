// What the page says about itself, sent with the decision request: the script
// tag's data-* first, then the page's metas, canonical link, title and language.
// A page of a CMS that says more (JSON-LD, other metas) is read here.

// The value of a <meta property=…> (or name=…), or '' when the page has none.
const meta = (name) => {
  const el = document.querySelector('meta[property="' + name + '"],meta[name="' + name + '"]');
  return el ? el.getAttribute('content') || '' : '';
}

// Text as the decision accepts it: no control characters, at most ``max`` long.
export const clean = (text, max) => {
  return String(text || '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, max);
}

// The facts of the page view the script ``tag`` belongs to.
export const pageFacts = (tag) => {
  const canonical = document.querySelector('link[rel="canonical"]');
  let tags = tag.getAttribute('data-tags');
  if (tags === null) {
    tags = [...document.querySelectorAll('meta[property="article:tag"]')]
      .map((m) => m.getAttribute('content') || '').join(',');
  }
  return {
    site: tag.getAttribute('data-site'),
    layout: tag.getAttribute('data-layout') || '',
    url: clean(canonical && canonical.href || location.href.split('#')[0], 2000),
    title: clean(meta('og:title') || document.title, 300),
    section: clean(tag.getAttribute('data-section') || meta('article:section'), 120),
    tags: tags.split(',').map((t) => clean(t, 60)).filter(Boolean).slice(0, 20).join(','),
    vw: innerWidth,
    lang: (document.documentElement.lang || '').slice(0, 8),
    preview: tag.getAttribute('data-preview') === '1' ? '1' : ''
  };
}

// The facts of an appended article (infinite scroll): its own URL, title, section and
// tags from ``opts`` or its data-adm-* attributes, its heading as the title otherwise.
export const articleFacts = (facts, root, opts) => {
  const h = root.querySelector('h1,h2');
  facts.title = clean(h && h.textContent, 300) || facts.title;
  ['url', 'title', 'section', 'tags'].forEach((k) => {
    const v = opts[k] || root.getAttribute('data-adm-' + k);
    if (v) facts[k] = clean(v, k === 'url' ? 2000 : 300);
  });
  return facts;
}
