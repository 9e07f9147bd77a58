// Element lookup for IceGuard's own pages (popup, prompt, options).

/** The element with this id; a page that lacks it is a build mistake, said at once by name. */
export const el = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page lacks #${id}`);
  return e as T;
};

/** One choice of a list (ui.css `.choice`): the input, its label, and its help text, which describes the input. */
export interface Choice {
  type: 'radio' | 'checkbox';
  id: string;
  /** The radio group. */
  name?: string;
  value?: string;
  label: string;
  help: string;
}

/** A choice's row, as the popup and the options page show every list of choices. */
export function choiceRow(c: Choice): { row: HTMLDivElement; input: HTMLInputElement; help: HTMLParagraphElement } {
  const row = Object.assign(document.createElement('div'), { className: 'choice' });
  const input = Object.assign(document.createElement('input'), { type: c.type, id: c.id });
  if (c.name !== undefined) input.name = c.name;
  if (c.value !== undefined) input.value = c.value;
  input.setAttribute('aria-describedby', `${c.id}-help`);
  const label = Object.assign(document.createElement('label'), { htmlFor: c.id, textContent: c.label });
  const help = Object.assign(document.createElement('p'), { id: `${c.id}-help`, className: 'help', textContent: c.help });
  row.append(input, label, help);
  return { row, input, help };
}

/** "Set by your organisation" and its kind (ui.css `.org`): the lock is decoration, the words carry the meaning. */
export function orgNote(id: string, text: string): HTMLParagraphElement {
  const note = Object.assign(document.createElement('p'), { id, className: 'org' });
  const lock = Object.assign(document.createElement('span'), { className: 'lock' });
  lock.setAttribute('aria-hidden', 'true');
  note.append(lock, ' ', text);
  return note;
}
