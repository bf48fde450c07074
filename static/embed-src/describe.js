// What the page says about itself, read the way CMSs write it (docs/embed.md): the
// JSON-LD article (Article, BlogPosting, NewsArticle…, also inside an @graph as SEO
// plugins print it), article:* and og:* metas, WordPress's category and tag links and
// category-* classes, the <h1>, and the <title> last, without the site's name.
// Part of the head part (embed-head.js), which hands it to the loader as
// admanager.describe: the loader alone reads only the metas and the <h1>.
export const one = (selector) => document.querySelector(selector);
export const all = (selector) => [...document.querySelectorAll(selector)];
export const text = (el) => el ? el.textContent : '';

// The value of a <meta property=…> (or name=…), or '' when the page has none.
export const meta = (name) => {
  const el = one('meta[property="' + name + '"],meta[name="' + name + '"]');
  return el ? el.getAttribute('content') || '' : '';
}

// The first article of the page's JSON-LD (in a list or an @graph too), or {}.
const ldArticle = () => {
  const todo = all('script[type="application/ld+json"]').map((s) => {
    try { return JSON.parse(s.textContent); } catch { return 0; }
  });
  while (todo.length) {
    const item = todo.shift() || {};
    if (/(Article|Posting)\b/.test(item['@type'])) return item;
    todo.push(...[].concat(Array.isArray(item) ? item : item['@graph'] || []));
  }
  return {};
}

// A list as JSON-LD writes one: an array, or one comma-separated string.
const list = (value) => [].concat(value || '').join().split(',');

// ``title`` without its last " – part" when that part is ``site`` (any, without ``site``).
const withoutSite = (title, site) => {
  const parts = /(.*\S)\s+[|\u2013\u2014-]\s+(.+)/.exec(title);
  return parts && (!site || parts[2] === site) ? parts[1] : title;
}

// What the page says about itself: title, section, tags, publication date.
export const describe = () => {
  const ld = ldArticle();
  const site = meta('og:site_name');
  const og = meta('og:title');
  // WordPress: classic themes link the category with rel="category tag", block themes
  // inside .taxonomy-category; post_class() and body_class() add category-<slug>.
  const slug = /\bcategory-([\w-]+)/.exec(document.body.className + ' ' + (one('article') || {}).className);
  const metaTags = all('meta[property="article:tag"]').map((m) => m.content);
  const time = one('main time[datetime],article time[datetime]');
  return {
    title: ld.headline || og && withoutSite(og, site) || text(one('h1')) || withoutSite(document.title, site),
    section: list(ld.articleSection)[0] || meta('article:section')
      || text(one('[rel~=category],.taxonomy-category a')) || slug && slug[1],
    tags: ld.keywords ? list(ld.keywords) : metaTags[0] ? metaTags
      : all('[rel=tag]').filter((a) => !a.closest('.taxonomy-category')).map(text),
    published: ld.datePublished || meta('article:published_time') || time && time.getAttribute('datetime')
  };
}

