// Just enough CSS reading for the contrast test: the rules of IceGuard's own style sheets (no nesting
// beyond @media, no strings with braces), the colour variables of the light and dark themes, and the
// WCAG 2.2 contrast ratio of two colours.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rule {
  selector: string;
  /** The @media prelude the rule sits in, or null at top level. */
  media: string | null;
  declarations: Map<string, string>;
}

const root = join(import.meta.dirname, '../../..');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The index of the brace that closes the one at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unbalanced braces after offset ${open}`);
}

function declarations(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of body.split(';')) {
    const colon = part.indexOf(':');
    if (colon > 0) out.set(squash(part.slice(0, colon)), squash(part.slice(colon + 1)));
  }
  return out;
}

export function parseRules(css: string, media: string | null = null): Rule[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: Rule[] = [];
  let at = 0;
  for (let open = text.indexOf('{', at); open >= 0; open = text.indexOf('{', at)) {
    const prelude = squash(text.slice(at, open));
    const close = closing(text, open);
    const body = text.slice(open + 1, close);
    if (prelude.startsWith('@media')) rules.push(...parseRules(body, prelude));
    else rules.push({ selector: prelude, media, declarations: declarations(body) });
    at = close + 1;
  }
  return rules;
}

export const readRules = (file: string): Rule[] => parseRules(readFileSync(join(root, file), 'utf8'));

/** The custom property a rule's declaration uses, e.g. `--line` from `border: 1px solid var(--line)`. */
export function variableOf(rules: Rule[], selector: string, property: string): string {
  const found = rules.filter((r) => r.media === null && r.selector === selector && r.declarations.has(property));
  const value = found.at(-1)?.declarations.get(property); // the last one wins, as in the cascade
  if (value === undefined) throw new Error(`no "${selector} { ${property} }"`);
  const name = /var\(\s*(--[\w-]+)/.exec(value)?.[1];
  if (!name) throw new Error(`"${selector} { ${property}: ${value} }" takes no colour variable`);
  return name;
}

/** The custom properties a `:root` rule declares, in the top level or in the given @media. */
export function themeVariables(rules: Rule[], media: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules.filter((x) => x.selector === ':root' && x.media === media)) {
    for (const [k, v] of r.declarations) if (k.startsWith('--')) out.set(k, v);
  }
  return out;
}

/** Every custom property referenced anywhere in a style sheet. */
export function variablesUsed(rules: Rule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) for (const v of r.declarations.values()) for (const m of v.matchAll(/var\(\s*(--[\w-]+)/g)) out.add(m[1] as string);
  return out;
}

/** sRGB channels 0-255 of `#rgb` or `#rrggbb`. */
export function parseHex(colour: string): [number, number, number] {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour);
  if (!m) throw new Error(`"${colour}" is not a #rgb or #rrggbb colour`);
  const hex = (m[1] as string).length === 3 ? [...(m[1] as string)].map((c) => c + c).join('') : (m[1] as string);
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG 2.2 relative luminance (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance). */
export function luminance(colour: string): number {
  const [r, g, b] = parseHex(colour).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.2 contrast ratio (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio), 1 to 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
