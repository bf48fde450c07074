/*
 * Ad Manager loader, built into static/embed.js:
 * <script async src="https://ADS-HOST/embed.js" data-site=… data-layout=…>
 *
 * Asks the server once per page view what every placement shows, renders zones and
 * "À lire aussi" inserts into boxes whose space is already reserved, and reports
 * rendered/viewable events in batches. It defines only window.admanager, sets no
 * cookie, and catches every failure: the host page never sees an exception from us.
 */
import { adm } from './adm.js';
import { listen } from './events.js';
import { refresh } from './refresh.js';
import { run, useTag } from './view.js';

const start = () => {
  // Several tags on one page: the first one does the work.
  if (adm.loader) return;
  let tag = document.currentScript;
  if (!tag || !tag.dataset.site) tag = document.querySelector('script[data-site][src*="embed.js"]');
  if (!tag) return;
  adm.loader = true;
  useTag(tag);
  adm.refresh = refresh;
  listen();
  adm.ready = run(document, {});
}

start();
