// The one global the page scripts define: window.admanager, shared by the head
// part (which fills adm.reserved) and the loader (adm.ready, adm.refresh).
export const adm = window.admanager = window.admanager || {};
