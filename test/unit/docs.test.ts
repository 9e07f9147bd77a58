// The documentation (issue #17): the README is for users and short, and keeps the commands CI runs;
// every relative link in README.md and docs/*.md leads to a file of the repository; the Group Policy
// templates are well-formed XML and cover every key of managed_schema.json for Chrome and Firefox.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREFOX_KEY, templateProblems, type SchemaNode } from './docs/gpo-templates';
import { proseWords, relativeLinks } from './docs/markdown';
import { parseXml } from './docs/xml';

const root = join(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const ADMX = 'docs/policies/windows/iceguard.admx';
const ADML = 'docs/policies/windows/en-US/iceguard.adml';
const schema = JSON.parse(read('managed_schema.json')) as SchemaNode;


describe('README.md', () => {
  const readme = read('README.md');

  it('has fewer than 1,500 words of prose (code blocks, images and link targets not counted)', () => {
    expect(proseWords(readme)).toBeLessThan(1500);
  });

  it('keeps the two commands, the test command exactly as CI runs it', () => {
    const commands = readme.match(/^npm ci && npm (start|test)\b/gm);
    expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(read('.ci/run')).toMatch(/^npm ci && npm test$/m);
  });

  it('says that names of other sites are not resolved in the browser (issue #14)', () => {
    expect(readme).toMatch(/Names given to other sites are not resolved in the\s+browser/);
  });
});

describe('relative links', () => {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

  /** Why `link` in `file` leads nowhere in the repository, or null. */
  function broken(file: string, link: string): string | null {
    if (link.startsWith('/')) return `${link}: absolute path`;
    const target = posix.normalize(posix.join(posix.dirname(file), decodeURI(link))).replace(/\/$/, '');
    if (target.startsWith('..')) return `${link}: outside the repository`;
    if (/^(dist|node_modules)(\/|$)/.test(target)) return `${link}: a build output, not in the repository`;
    if (!existsSync(join(root, target))) return `${link}: ${target} does not exist`;
    return null;
  }

  it.each(files)('%s: every relative link leads to a file of the repository', (file) => {
    const problems = relativeLinks(read(file)).flatMap((link) => broken(file, link) ?? []);
    expect(problems).toEqual([]);
  });

  it('the check itself: finds links, ignores code and web addresses, and refuses what leads nowhere', () => {
    const md = '[a](docs/admin.md#locked) ![b](LICENSE) [c](https://example.com) [d](#top)\n```\n[e](nowhere.md)\n```\n';
    expect(relativeLinks(md)).toEqual(['docs/admin.md', 'LICENSE']);
    expect(broken('docs/x.md', '../shared/STYLE.md')).toMatch(/does not exist|outside/);
    expect(broken('docs/x.md', '../../shared/STYLE.md')).toMatch(/outside the repository/);
    expect(broken('README.md', 'dist/chrome')).toMatch(/build output/);
    expect(broken('docs/x.md', 'admin.md')).toBeNull();
  });
});

describe('prose word count', () => {
  it('counts words of sentences and tables, not code blocks, images, link targets or table rules', () => {
    const md = 'One two [three](docs/a-very-long-target.md).\n\n```sh\nnot counted here\n```\n\n| a | b |\n|---|---|\n| c → | `d` |\n\n![alt text](x.png)\n';
    expect(proseWords(md)).toBe(7);
  });
});

describe('the XML reader', () => {
  it('reads elements, attributes, text and references', () => {
    const el = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<!-- c -->\n<a x="1 &amp; 2"><b/>t&lt;&#65;<![CDATA[<raw>]]></a>\n');
    expect(el).toMatchObject({ name: 'a', attrs: { x: '1 & 2' }, children: [{ name: 'b' }], text: 't<A<raw>' });
  });

  it.each([
    ['a tag closed by another', '<a><b></a></b>'],
    ['an unclosed element', '<a><b/>'],
    ['two roots', '<a/><b/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['an attribute twice', '<a x="1" x="2"/>'],
    ['attributes without space between', '<a x="1"y="2"/>'],
    ['a bare &', '<a>this & that</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['< in a value', '<a x="<"/>'],
    ['-- in a comment', '<a><!-- a -- b --></a>'],
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['text after the root', '<a/>b'],
  ])('refuses %s', (_, xml) => {
    expect(() => parseXml(xml)).toThrow(/^XML: /);
  });
});

describe('Group Policy templates (docs/policies/windows/)', () => {
  const admx = read(ADMX);
  const adml = read(ADML);

  it('are well-formed, refer only to what exists, and cover every key of managed_schema.json', () => {
    expect(templateProblems(admx, adml, schema)).toEqual([]);
  });

  it('use the EXTENSION_ID placeholder for Chrome, which docs/admin.md tells to replace, and Firefox\'s fixed id', () => {
    const chromeKeys = [...admx.matchAll(/key="(Software\\Policies\\Google\\Chrome\\[^"]*)"/g)].map((m) => m[1]!);
    expect(chromeKeys.length).toBeGreaterThan(0);
    expect(chromeKeys.filter((k) => !k.includes('\\3rdparty\\extensions\\EXTENSION_ID\\policy'))).toEqual([]);
    expect(admx).toContain(`key="${FIREFOX_KEY}"`);
    const admin = read('docs/admin.md');
    expect(admin).toContain('policies/windows/iceguard.admx');
    expect(admin).toContain('policies/windows/en-US/iceguard.adml');
  });

  // The check must be able to fail: each of these breaks the real templates in one way.
  const policyBlock = (name: string) => new RegExp(`\\s*<policy name="${name}"[\\s\\S]*?</policy>`);
  const breaks: [string, () => [string, string], RegExp][] = [
    ['a key removed (Locked)', () => [admx.replace(policyBlock('Chrome_Locked'), ''), adml], /no policy writes Locked/],
    ['an object property removed (PromptTriggers.FirstUse)', () => [admx.replace(/<boolean id="FirstUse"[\s\S]*?<\/boolean>/, ''), adml], /FirstUse/],
    ['an enum value missing (DefaultMode direct)', () => [admx.replace(/<item displayName="\$\(string\.Mode_direct\)">.*?<\/item>/, ''), adml], /DefaultMode/],
    ['a value no key of the schema names', () => [admx.replace('valueName="Locked"', 'valueName="Lockd"'), adml], /Lockd/],
    ['a string missing from the ADML', () => [admx, adml.replace('<string id="LanHelper_Explain">', '<string id="LanHelper_Explained">')], /LanHelper_Explain/],
    ['a presentation control missing', () => [admx, adml.replace(/<checkBox refId="Strict"[^>]*>[^<]*<\/checkBox>/, '')], /presentation shows/],
    ['a key missing from the Firefox explanation', () => [admx, adml.replace('LanHelper and Locked. Each', 'and Locked. Each').replace('"LanHelper": "optional",', '')], /does not name LanHelper/],
    ['malformed XML', () => [admx.replace('</policies>', '</policy>'), adml], /^ADMX: XML: /],
  ];
  it.each(breaks)('fail with %s', (_, broken, problem) => {
    const [x, l] = broken();
    expect(x === admx && l === adml).toBe(false);
    expect(templateProblems(x, l, schema).join('\n')).toMatch(problem);
  });
});
