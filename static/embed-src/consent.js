// The reader's consent, from a TCF v2 CMP when the page has one.

export const noop = () => {}

// Purpose-1 consent (storing on the device), waited for at most 500 ms; no CMP means no.
export const consent = () => {
  return new Promise((resolve) => {
    if (typeof window.__tcfapi !== 'function') return resolve(false);
    setTimeout(() => resolve(false), 500);
    try {
      window.__tcfapi('addEventListener', 2, (data, ok) => {
        if (!ok || !data || data.eventStatus === 'cmpuishown') return;
        resolve(!!(data.purpose && data.purpose.consents && data.purpose.consents[1]));
        try { window.__tcfapi('removeEventListener', 2, noop, data.listenerId); } catch { /* old CMP */ }
      });
    } catch {
      resolve(false);
    }
  });
}
