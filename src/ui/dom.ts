// Element lookup for IceGuard's own pages (popup, prompt, options).

/** The element with this id; a page that lacks it is a build mistake, said at once by name. */
export const el = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page lacks #${id}`);
  return e as T;
};
