// What the page says about itself, sent with the decision request: the script tag's
// data-* first, then what the page says of itself (describe.js, brought by the head
// part; without it, only the metas, the <h1> and the <title>).
import { adm } from './adm.js';
import { all, meta, one, text } from './describe.js';

// Text as the decision accepts it: no control characters, at most ``max`` long.
export const clean = (text, max) => {
  return String(text || '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, max);
}

// Without the head part (the script tag alone): the metas, the <h1>, the <title>.
const basic = () => ({
  title: text(one('h1')) || document.title,
  section: meta('article:section'),
  tags: all('meta[property="article:tag"]').map((m) => m.content)
});

// The facts of the page view the script ``tag`` belongs to.
export const pageFacts = (tag) => {
  const canonical = one('link[rel="canonical"]');
  const page = (adm.describe || basic)();
  const tags = tag.dataset.tags;
  return {
    site: tag.dataset.site,
    layout: tag.dataset.layout || '',
    url: clean(canonical && canonical.href || location.href.split('#')[0], 2000),
    title: clean(page.title, 300),
    section: clean(tag.dataset.section || page.section, 120),
    tags: (tags == null ? page.tags : tags.split(',')).map((t) => clean(t, 60)).filter(Boolean).slice(0, 20).join(','),
    published: clean(page.published, 40),
    vw: innerWidth,
    lang: (document.documentElement.lang || '').slice(0, 8),
    preview: tag.dataset.preview === '1' ? '1' : ''
  };
}

// The facts of an appended article (infinite scroll): its own URL, title, section and
// tags from ``opts`` or its data-adm-* attributes, its heading as the title otherwise.
export const articleFacts = (facts, root, opts) => {
  facts.title = clean(text(root.querySelector('h1,h2')), 300) || facts.title;
  ['url', 'title', 'section', 'tags'].forEach((k) => {
    const v = opts[k] || root.getAttribute('data-adm-' + k);
    if (v) facts[k] = clean(v, k === 'url' ? 2000 : 300);
  });
  return facts;
}
