// Frequency-cap memory {campaign: [unix times]} in localStorage, only read or
// written when the reader consented.

const KEY = 'admanager-fc';
const MONTH = 30 * 86400;
let allowed = false;

export const allowStorage = (yes) => {
  allowed = yes;
}

// The memory of the last 30 days, 50 showings per campaign at most.
export const capMemory = () => {
  if (!allowed) return {};
  try {
    const memory = JSON.parse(localStorage.getItem(KEY) || '{}');
    const oldest = Date.now() / 1000 - MONTH;
    Object.keys(memory).forEach((id) => {
      memory[id] = (Array.isArray(memory[id]) ? memory[id] : []).filter((t) => t > oldest).slice(-50);
      if (!memory[id].length) delete memory[id];
    });
    return memory;
  } catch {
    return {};
  }
}

// Remember that a capped campaign was shown now, when the reader allowed it.
export const remember = (campaign) => {
  if (!allowed || !campaign) return;
  try {
    const memory = capMemory();
    (memory[campaign] = memory[campaign] || []).push(Math.floor(Date.now() / 1000));
    localStorage.setItem(KEY, JSON.stringify(memory));
  } catch { /* storage full or blocked */ }
}
