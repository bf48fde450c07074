// A new element with a class and text (text only: what the decision sends never
// reaches innerHTML).
export const make = (name, cls, text) => {
  const el = document.createElement(name);
  if (cls) el.className = cls;
  if (text) el.textContent = text;
  return el;
}
