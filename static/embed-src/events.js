// Counting: "rendered" and "viewable" events, queued and sent in batches.
import { noop } from './consent.js';

let queue = [];
let url = '';
let timer = 0;
let viewer = null;

// Where events go, as the decision said (only a web URL).
export const sendEventsTo = (address) => {
  url = address;
}

// Queue one event and send the batch soon; viewable events wait a little for company.
export const track = (token, kind, delay) => {
  if (!token || !url) return;
  queue.push({t: token, k: kind});
  clearTimeout(timer);
  timer = setTimeout(flush, delay || 0);
}

// Send the queued events in one beacon (text/plain: no CORS preflight, survives unload).
export const flush = () => {
  if (!queue.length) return;
  const body = JSON.stringify({events: queue});
  queue = [];
  try {
    if (!navigator.sendBeacon || !navigator.sendBeacon(url, body)) {
      fetch(url, {method: 'POST', body, credentials: 'omit', keepalive: true, mode: 'no-cors'}).catch(noop);
    }
  } catch (e) { /* nothing to do: events are best effort */ }
}

// Viewable = ≥50 % in view for one continuous second while the tab is visible.
export const watch = (el, tokens) => {
  if (!window.IntersectionObserver) return;
  if (!viewer) {
    viewer = new IntersectionObserver((entries) => {
      entries.forEach((e) => { e.target.admInView = e.intersectionRatio >= 0.5; arm(e.target); });
    }, {threshold: [0, 0.5, 1]});
  }
  el.admTokens = tokens;
  viewer.observe(el);
}

// Stop watching every element (a new page view starts afresh).
export const unwatchAll = () => {
  if (viewer) viewer.disconnect();
  viewer = null;
}

// Start or stop an element's one-second clock from its visibility now.
const arm = (el) => {
  // Already viewable.
  if (!el.admTokens) return;
  if (el.admInView && document.visibilityState === 'visible') {
    if (!el.admClock) {
      el.admClock = setTimeout(() => {
        const tokens = el.admTokens;
        el.admTokens = null;
        if (viewer) viewer.unobserve(el);
        if (el.isConnected) tokens.forEach((t) => track(t, 'viewable', 1000));
      }, 1000);
    }
  } else {
    clearTimeout(el.admClock);
    el.admClock = 0;
  }
}

// Send what is queued when the reader leaves; pause and resume the clocks with the tab.
export const listen = () => {
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush();
    document.querySelectorAll('.adm-slot, .adm-ad').forEach(arm);
  });
}
