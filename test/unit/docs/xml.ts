// A small, strict XML reader for the Group Policy templates in docs/policies/windows/ (issue #17):
// Windows' Group Policy editor refuses a template that is not well-formed, and no XML parser is a
// dependency of this project. It reads the subset those files use (an XML declaration, comments,
// elements, attributes, text, character and the five predefined entity references, CDATA) and throws,
// with the position, on anything else: a DOCTYPE, processing instructions after the declaration,
// mismatched or unclosed tags, duplicate or unquoted attributes, `<` or a bare `&` in text or values,
// or more than one root element.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), entities decoded. */
  text: string;
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const SPACE = /[ \t\r\n]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class Reader {
  pos = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    const before = this.src.slice(0, this.pos);
    const line = before.split('\n').length;
    const col = this.pos - before.lastIndexOf('\n');
    throw new Error(`XML: ${what} at line ${line}, column ${col}`);
  }

  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  expect(s: string): void {
    if (!this.startsWith(s)) this.fail(`expected "${s}"`);
    this.pos += s.length;
  }

  match(re: RegExp): string {
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    const s = m?.[0] ?? '';
    this.pos += s.length;
    return s;
  }

  name(): string {
    return this.match(NAME) || this.fail('expected a name');
  }

  space(): string {
    return this.match(SPACE);
  }

  /** Up to `end` (consumed); the part before it. */
  until(end: string, what: string): string {
    const at = this.src.indexOf(end, this.pos);
    if (at < 0) this.fail(`unclosed ${what}`);
    const s = this.src.slice(this.pos, at);
    this.pos = at + end.length;
    return s;
  }
}

/** Text with entity and character references decoded; a `&` that starts none of them is an error. */
function decode(r: Reader, raw: string, start: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string, offset: number) => {
    const code = /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
    if (whole.endsWith(';') && ENTITIES[ref] !== undefined) return ENTITIES[ref];
    if (whole.endsWith(';') && Number.isInteger(code) && code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    r.pos = start + offset;
    return r.fail(`bad reference "${whole}"`);
  });
}

function comment(r: Reader): void {
  r.expect('<!--');
  const body = r.until('-->', 'comment');
  if (body.includes('--') || body.endsWith('-')) r.fail('"--" inside a comment');
}

function attributes(r: Reader): Record<string, string> {
  const attrs: Record<string, string> = {};
  while (r.space() && !r.startsWith('>') && !r.startsWith('/>')) {
    const name = r.name();
    if (Object.hasOwn(attrs, name)) r.fail(`attribute "${name}" twice`);
    r.space();
    r.expect('=');
    r.space();
    const quote = r.src[r.pos];
    if (quote !== '"' && quote !== "'") r.fail(`unquoted value of "${name}"`);
    r.pos++;
    const start = r.pos;
    const raw = r.until(quote, `value of "${name}"`);
    if (raw.includes('<')) r.fail(`"<" in the value of "${name}"`);
    attrs[name] = decode(r, raw, start);
  }
  return attrs;
}

/** Text up to the next markup; `<` ends it, so it can only be malformed through `&` or `]]>`. */
function text(r: Reader): string {
  const start = r.pos;
  const at = r.src.indexOf('<', r.pos);
  const raw = r.src.slice(r.pos, at < 0 ? r.src.length : at);
  if (raw.includes(']]>')) r.fail('"]]>" in text');
  r.pos += raw.length;
  return decode(r, raw, start);
}

function content(r: Reader, el: XmlElement): void {
  for (;;) {
    el.text += text(r);
    if (r.pos >= r.src.length) r.fail(`unclosed <${el.name}>`);
    if (r.startsWith('</')) return;
    if (r.startsWith('<!--')) comment(r);
    else if (r.startsWith('<![CDATA[')) {
      r.pos += '<![CDATA['.length;
      el.text += r.until(']]>', 'CDATA section');
    } else if (r.startsWith('<!') || r.startsWith('<?')) r.fail('markup this reader does not accept');
    else el.children.push(element(r));
  }
}

function element(r: Reader): XmlElement {
  r.expect('<');
  const el: XmlElement = { name: r.name(), attrs: {}, children: [], text: '' };
  el.attrs = attributes(r);
  if (r.startsWith('/>')) {
    r.pos += 2;
    return el;
  }
  r.expect('>');
  content(r, el);
  r.expect('</');
  if (r.name() !== el.name) r.fail(`</…> does not close <${el.name}>`);
  r.space();
  r.expect('>');
  return el;
}

/** Comments and white space, outside the root element. */
function misc(r: Reader): void {
  for (;;) {
    r.space();
    if (r.startsWith('<!--')) comment(r);
    else return;
  }
}

/** The root element of `src`; throws on anything that is not well-formed (in the subset above). */
export function parseXml(src: string): XmlElement {
  const r = new Reader(src.replace(/^\uFEFF/, ''));
  if (r.startsWith('<?xml')) {
    const decl = r.until('?>', 'XML declaration');
    if (!/^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z0-9._-]+")?(\s+standalone="(yes|no)")?\s*$/.test(decl)) r.fail('bad XML declaration');
  }
  misc(r);
  if (!r.startsWith('<') || r.startsWith('<!') || r.startsWith('<?')) r.fail('expected the root element');
  const root = element(r);
  misc(r);
  if (r.pos < r.src.length) r.fail('content after the root element');
  return root;
}

/** Every element below `el` (depth first), `el` included. */
export function descendants(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(descendants)];
}
