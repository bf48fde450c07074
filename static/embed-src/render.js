// Rendering what the decision chose into a box: a zone's ad (image, HTML frame or
// text) or an insert's links. Each returns {el, tokens}: the element to watch for
// viewability and the event tokens of what it shows, or null when nothing shows.
import { adm } from './adm.js';
import { remember } from './capping.js';
import { LABEL_HEIGHT } from './constants.js';
import { make } from './dom.js';
import { zoneHeight } from './place.js';

const SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';

// Only web links and images from the decision; anything else renders nothing.
export const web = (url) => {
  return /^https?:\/\//i.test(url || '') ? url : '';
}

// A link that opens the advertiser (through our click counter) in a new tab.
const adLink = (ad, cls) => {
  const a = make('a', cls);
  a.href = web(ad.click) || '#';
  a.target = '_blank';
  a.rel = 'sponsored noopener';
  return a;
}

// Empty a zone box but for its label and the placeholder's own reserving <style>.
export const clearZone = (el) => {
  [...el.children].forEach((c) => {
    if (c.className !== 'adm-label' && c.tagName !== 'STYLE') c.remove();
  });
}

// Fill a zone box with its ad.
export const renderZone = (el, p) => {
  const ad = p.ad;
  clearZone(el);
  if (!ad) return null;
  const holder = make('div', 'adm-ad');
  const inner = zoneHeight(p.zone) - (p.zone.label ? LABEL_HEIGHT : 0);
  if (inner > 0) holder.style.height = inner + 'px';
  if (ad.type === 'image' && web(ad.src)) {
    const img = make('img');
    img.src = ad.src;
    img.width = ad.width;
    img.height = ad.height;
    img.alt = ad.alt || '';
    // The ratio the decision announced, not the file's: a wrong file can't move the page.
    img.style.aspectRatio = ad.width + '/' + ad.height;
    holder.appendChild(adLink(ad)).appendChild(img);
  } else if (ad.type === 'html' && web(ad.src)) {
    // Our URL, not srcdoc: a srcdoc frame would run under the host page's CSP.
    const frame = make('iframe');
    frame.setAttribute('sandbox', SANDBOX);
    frame.scrolling = 'no';
    frame.loading = 'lazy';
    frame.title = p.zone.label || 'ad';
    frame.width = ad.width;
    frame.height = ad.height;
    frame.src = ad.src;
    holder.appendChild(frame);
  } else if (ad.headline) {
    const a = holder.appendChild(adLink(ad, ad.type === 'house' ? 'adm-text adm-house' : 'adm-text'));
    if (ad.width) a.style.maxWidth = ad.width + 'px';
    a.appendChild(make('strong', '', ad.headline));
    if (ad.body) a.appendChild(make('span', '', ad.body));
  } else {
    return null;
  }
  el.appendChild(holder);
  if (ad.fc) remember(ad.campaign);
  return {el: holder, tokens: [ad.event]};
}

// Fill an insert: bold label, then one linked headline per line.
export const renderInsert = (el, p) => {
  el.textContent = '';
  const links = (p.links || []).filter((l) => web(l.click) && l.title);
  links.forEach((link, i) => {
    const line = el.appendChild(make('span', 'adm-line'));
    if (!i) {
      line.appendChild(make('strong', '', p.insert.label));
      line.appendChild(document.createTextNode(' '));
    }
    const a = line.appendChild(make('a', '', link.title));
    a.href = link.click;
    if (link.sponsored) a.rel = 'sponsored';
  });
  return links.length ? {el, tokens: links.map((l) => l.event)} : null;
}

// Hide a box without moving what the reader sees: once it is below the viewport (at
// once if it is already); in view or above it, it keeps its room.
export const drop = (el) => {
  const watcher = new IntersectionObserver(() => {
    if (el.getBoundingClientRect().top >= innerHeight) {
      watcher.disconnect();
      el.style.display = 'none';
    }
  });
  watcher.observe(el);
}

// Link the boxes' shared style (/embed.css) when no snippet part brought it (script
// tag alone): the head part and the placeholders carry it inline.
export const addStyle = (base) => {
  if (adm.reserved || document.querySelector('.adm-slot,#adm-style')) return;
  const link = make('link');
  link.id = 'adm-style';
  link.rel = 'stylesheet';
  link.href = base + '/embed.css';
  document.head.appendChild(link);
}
