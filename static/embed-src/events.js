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

// Send the queued events in one request (text/plain: no CORS preflight), one request
// at a time so a page's events arrive in order. Counting can be paused (503) or the
// connection lost: the batch goes back to the head of the queue and is sent again,
// with what came since, 3, 6, 9 then 12 s later; after that it is dropped (and so is
// a batch that fails again before one gets through). A reader leaving gets a beacon
// instead: it outlives the page, though nothing can resend it.
let busy = 0;
let tries = 0;
export const flush = (leaving) => {
  if (!queue.length || busy && !leaving) return;
  const events = queue;
  const body = JSON.stringify({events});
  queue = [];
  // (url is a web address the decision gave: sendBeacon cannot throw on it)
  if (leaving && navigator.sendBeacon(url, body)) return;
  busy = 1;
  fetch(url, {method: 'POST', body, credentials: 'omit', keepalive: true})
    .then((r) => { if (r.status > 499) throw 0; busy = tries = 0; flush(); })
    .catch(() => {
      if (tries++ < 4) queue = events.concat(queue);
      setTimeout(() => { busy = 0; flush(); }, 3e3 * tries);
    });
}

// Viewable = ≥50 % in view for one continuous second while the tab is visible.
export const watch = (el, tokens) => {
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
    if (document.visibilityState === 'hidden') flush(1);
    document.querySelectorAll('.adm-slot,.adm-ad').forEach(arm);
  });
}
