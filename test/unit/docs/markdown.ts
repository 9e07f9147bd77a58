// What docs.test.ts reads from Markdown: the words of its prose and its relative links.

/** Fenced code blocks (```), which hold commands and code, not prose or links. */
const FENCED = /^```[^\n]*\n[\s\S]*?^```[ \t]*$/gm;

/**
 * The words of `md`'s prose: fenced code blocks, HTML comments, images and table rule lines are left
 * out, a link counts as its text, and a word is a run of non-space characters with at least one
 * letter or digit (so `|`, `-` and `→` do not count; `inline code` does, as part of its sentence).
 */
export function proseWords(md: string): number {
  const prose = md
    .replace(FENCED, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\|[-|: ]+\|[ \t]*$/gm, ' ');
  return prose.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Targets of inline links and images outside fenced code that point into the repository (no scheme, not only an #anchor), without their #anchor. */
export function relativeLinks(md: string): string[] {
  const targets = [...md.replace(FENCED, ' ').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
  return targets.filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#')).map((t) => t.replace(/[#?].*$/, ''));
}
