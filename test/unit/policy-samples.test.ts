// The sample policy files in docs/policies/ and the managed schema that documents them (issue #6):
// every sample says the same thing in its own format, reads without a single policy error, and fits
// managed_schema.json; the schema documents every key and agrees with the code's constants.
// The .reg and .mobileconfig files are read with small parsers written here, converted the way
// Chrome converts registry values and macOS managed preferences, and compared with the Chromium JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODES, resolveSiteMode } from '../../src/policy';
import { lockedSettings, LAN_HELPER_POLICIES, parsePolicy, policyErrors, POLICY_KEYS, PROMPT_TRIGGER_POLICY_NAMES } from '../../src/shared/managed-policy';
import { BROWSER_FLOORS } from '../../src/shared/settings';

const root = join(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const json = (p: string) => JSON.parse(read(p)) as Obj;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- The schema subset managed_schema.json uses: type, enum, properties, items. ----

interface Schema {
  type: 'object' | 'array' | 'string' | 'boolean' | 'integer' | 'number';
  title?: string;
  description?: string;
  enum?: Json[];
  properties?: Record<string, Schema>;
  items?: Schema;
}
const schema = json('managed_schema.json') as unknown as Schema;

const typeOf = (v: Json): Schema['type'] | 'null' =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : (typeof v as 'object' | 'string' | 'boolean');

/** Problems of `value` against `s`, as "path: problem". Strict: properties the schema lacks are problems too (Chrome drops them). */
function validate(value: Json, s: Schema, path = '(policy)'): string[] {
  const t = typeOf(value);
  if (t !== s.type && !(s.type === 'number' && t === 'integer')) return [`${path}: is ${t}, not ${s.type}`];
  if (s.enum && !s.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} is not one of ${s.enum.join(', ')}`];
  if (s.type === 'array' && s.items) return (value as Json[]).flatMap((v, i) => validate(v, s.items!, `${path}[${i}]`));
  if (s.type === 'object' && s.properties) {
    return Object.entries(value as Obj).flatMap(([k, v]) => {
      const sub = s.properties![k];
      return sub ? validate(v, sub, path === '(policy)' ? k : `${path}.${k}`) : [`${path}: unknown property ${k}`];
    });
  }
  return [];
}

// ---- Windows .reg files (regedit's text format, the subset the sample uses). ----

type RegValue = { type: 'sz'; value: string } | { type: 'dword'; value: number };

/** Registry keys (lower-cased paths) to their values. Anything outside the subset is an error, never skipped. */
function parseReg(text: string): Map<string, Map<string, RegValue>> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0] !== 'Windows Registry Editor Version 5.00') throw new Error('not a version 5.00 .reg file');
  const keys = new Map<string, Map<string, RegValue>>();
  let current: Map<string, RegValue> | undefined;
  // A quoted string from `at`, with regedit's two escapes (\\ and \"); returns it and where it ended.
  const quoted = (line: string, at: number): [string, number] => {
    if (line[at] !== '"') throw new Error(`expected " in: ${line}`);
    let s = '';
    for (let i = at + 1; i < line.length; i++) {
      const c = line[i]!;
      if (c === '"') return [s, i + 1];
      if (c === '\\') {
        const n = line[++i];
        if (n !== '\\' && n !== '"') throw new Error(`bad escape \\${n ?? ''} in: ${line}`);
        s += n;
      } else s += c;
    }
    throw new Error(`unterminated string in: ${line}`);
  };
  for (const line of lines.slice(1)) {
    if (line.trim() === '' || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']') || line.startsWith('[-')) throw new Error(`unsupported key line: ${line}`);
      const path = line.slice(1, -1).toLowerCase();
      current = keys.get(path) ?? new Map();
      keys.set(path, current);
      continue;
    }
    if (!current) throw new Error(`value outside a key: ${line}`);
    const [name, end] = quoted(line, 0);
    if (line[end] !== '=') throw new Error(`expected = in: ${line}`);
    const rest = line.slice(end + 1);
    const dword = /^dword:([0-9a-fA-F]{8})$/.exec(rest);
    if (dword) current.set(name, { type: 'dword', value: parseInt(dword[1]!, 16) });
    else {
      const [value, stop] = quoted(rest, 0);
      if (stop !== rest.length) throw new Error(`trailing text in: ${line}`);
      current.set(name, { type: 'sz', value });
    }
  }
  return keys;
}

/**
 * A policy key's registry values as Chrome reads them with the extension's schema
 * (components/policy/core/common/registry_dict.cc, ConvertRegistryValue): REG_SZ for strings, REG_SZ
 * holding JSON for lists and objects, REG_DWORD 0/1 for booleans, REG_DWORD for integers.
 */
function regToPolicy(values: Map<string, RegValue>): Obj {
  const out: Obj = {};
  for (const [name, v] of values) {
    const s = schema.properties![name];
    if (!s) throw new Error(`${name}: not in the schema`);
    if (s.type === 'boolean' && v.type === 'dword' && (v.value === 0 || v.value === 1)) out[name] = v.value === 1;
    else if (s.type === 'integer' && v.type === 'dword') out[name] = v.value;
    else if (s.type === 'string' && v.type === 'sz') out[name] = v.value;
    else if ((s.type === 'array' || s.type === 'object') && v.type === 'sz') out[name] = JSON.parse(v.value) as Json;
    else throw new Error(`${name}: a ${v.type} value cannot hold a ${s.type}`);
  }
  return out;
}

// ---- Apple property lists (XML), the subset a configuration profile needs. ----

function parsePlist(text: string): Json {
  const tokens: { kind: 'open' | 'close' | 'empty' | 'text'; name: string }[] = [];
  const body = text.replace(/<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, '');
  const tag = /<(\/?)([a-zA-Z]+)(?:\s+[^>]*?)?(\/?)>|([^<]+)/g;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    if (m[4] !== undefined) {
      if (m[4].trim() !== '') tokens.push({ kind: 'text', name: m[4] });
    } else tokens.push({ kind: m[1] ? 'close' : m[3] ? 'empty' : 'open', name: m[2]! });
  }
  let i = 0;
  const next = () => tokens[i++] ?? { kind: 'text', name: '(end of file)' };
  const expectClose = (name: string) => {
    const t = next();
    if (t.kind !== 'close' || t.name !== name) throw new Error(`expected </${name}>, got ${t.kind} ${t.name}`);
  };
  const unescape = (s: string) =>
    s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
  const textUntil = (name: string) => {
    if (tokens[i]?.kind === 'close') return expectClose(name), '';
    const t = next();
    if (t.kind !== 'text') throw new Error(`expected text in <${name}>`);
    expectClose(name);
    return unescape(t.name);
  };
  const value = (): Json => {
    const t = next();
    if (t.kind === 'empty') {
      const empty: Record<string, Json> = { true: true, false: false, string: '', array: [], dict: {} };
      if (!(t.name in empty)) throw new Error(`unsupported <${t.name}/>`);
      return empty[t.name]!;
    }
    if (t.kind !== 'open') throw new Error(`expected a value, got ${t.kind} ${t.name}`);
    switch (t.name) {
      case 'string':
        return textUntil('string');
      case 'integer': {
        const s = textUntil('integer').trim();
        if (!/^-?\d+$/.test(s)) throw new Error(`bad integer ${s}`);
        return Number(s);
      }
      case 'array': {
        const a: Json[] = [];
        while (tokens[i]?.kind !== 'close') a.push(value());
        expectClose('array');
        return a;
      }
      case 'dict': {
        const d: Obj = {};
        while (tokens[i]?.kind !== 'close') {
          const k = next();
          if (k.kind !== 'open' || k.name !== 'key') throw new Error(`expected <key> in <dict>, got ${k.kind} ${k.name}`);
          const key = textUntil('key');
          if (key in d) throw new Error(`duplicate key ${key}`);
          d[key] = value();
        }
        expectClose('dict');
        return d;
      }
      default:
        throw new Error(`unsupported <${t.name}>`);
    }
  };
  const open = next();
  if (open.kind !== 'open' || open.name !== 'plist') throw new Error('not a plist');
  const v = value();
  expectClose('plist');
  if (i !== tokens.length) throw new Error('text after </plist>');
  return v;
}

/** The policy a configuration profile gives the extension: its com.google.Chrome.extensions.<id> payload, without the Payload* keys. */
function profilePolicy(profile: Json, id: string): Obj {
  if (!isObj(profile) || profile.PayloadType !== 'Configuration' || !Array.isArray(profile.PayloadContent)) throw new Error('not a configuration profile');
  const payloads = profile.PayloadContent.filter((p) => isObj(p) && p.PayloadType === `com.google.Chrome.extensions.${id}`);
  if (payloads.length !== 1) throw new Error(`expected one payload for ${id}, found ${payloads.length}`);
  return Object.fromEntries(Object.entries(payloads[0] as Obj).filter(([k]) => !k.startsWith('Payload')));
}

// ---- The samples. ----

const CHROME_ID = 'EXTENSION_ID';
const GECKO_ID = 'iceguard@iceguard';
const REG_KEY = `hkey_local_machine\\software\\policies\\google\\chrome\\3rdparty\\extensions\\${CHROME_ID}\\policy`.toLowerCase();
const FIREFOX_REG_KEY = 'hkey_local_machine\\software\\policies\\mozilla\\firefox\\3rdparty\\extensions';

const chromium = json('docs/policies/chromium.json');
const reference = ((chromium['3rdparty'] as Obj).extensions as Obj)[CHROME_ID] as Obj;

const samples: [string, () => Obj][] = [
  ['chromium.json', () => reference],
  ['windows-chrome.reg', () => regToPolicy(parseReg(read('docs/policies/windows-chrome.reg')).get(REG_KEY) ?? new Map())],
  // Firefox parses a REG_SZ holding JSON where its policy schema allows JSON (3rdparty.Extensions.<id>).
  ['windows-firefox.reg', () => {
    const v = parseReg(read('docs/policies/windows-firefox.reg')).get(FIREFOX_REG_KEY)?.get(GECKO_ID);
    if (v?.type !== 'sz') throw new Error(`no REG_SZ ${GECKO_ID} under ${FIREFOX_REG_KEY}`);
    return JSON.parse(v.value) as Obj;
  }],
  ['macos-chrome.mobileconfig', () => profilePolicy(parsePlist(read('docs/policies/macos-chrome.mobileconfig')), CHROME_ID)],
  ['firefox-policies.json', () => (((json('docs/policies/firefox-policies.json').policies as Obj)['3rdparty'] as Obj).Extensions as Obj)[GECKO_ID] as Obj],
  ['firefox-managed-storage.json', () => {
    const m = json('docs/policies/firefox-managed-storage.json');
    expect(m.name).toBe(GECKO_ID);
    expect(m.type).toBe('storage');
    expect(typeof m.description).toBe('string');
    return m.data as Obj;
  }],
];

/** Properties, at any depth, without a title or a description. */
const undocumented = (s: Schema, path = ''): string[] => [
  ...Object.entries(s.properties ?? {}).flatMap(([k, sub]) => [
    ...(sub.title?.trim() ? [] : [`${path}${k}: no title`]),
    ...(sub.description?.trim() ? [] : [`${path}${k}: no description`]),
    ...undocumented(sub, `${path}${k}.`),
  ]),
  ...(s.items ? undocumented(s.items, `${path.slice(0, -1)}[].`) : []),
];

describe('managed_schema.json', () => {
  it('has exactly the policy keys the code reads', () => {
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties!).sort()).toEqual([...POLICY_KEYS].sort());
  });

  it('gives every key and nested property a title and a description', () => {
    expect(undocumented(schema)).toEqual([]);
    const copy = structuredClone(schema);
    copy.properties!.PromptTriggers!.properties!.Failed!.description = ' ';
    delete copy.properties!.SiteModes!.items!.properties!.url!.title;
    expect(undocumented(copy)).toEqual(['SiteModes[].url: no title', 'PromptTriggers.Failed: no description']);
  });

  it('lists the values the code accepts', () => {
    const p = schema.properties!;
    expect(p.DefaultMode!.enum).toEqual([...MODES]);
    expect(p.SiteModes!.items!.properties!.mode!.enum).toEqual([...MODES]);
    expect(p.BrowserFloor!.properties!.Level!.enum).toEqual([...BROWSER_FLOORS]);
    expect(p.LanHelper!.enum).toEqual([...LAN_HELPER_POLICIES]);
    expect(Object.keys(p.PromptTriggers!.properties!)).toEqual(PROMPT_TRIGGER_POLICY_NAMES);
  });
});

describe('docs/policies samples', () => {
  it('the example policy sets every key', () => {
    expect(Object.keys(reference).sort()).toEqual([...POLICY_KEYS].sort());
  });

  for (const [name, policyOf] of samples) {
    it(`${name}: no policy errors, fits the schema, same policy as chromium.json`, () => {
      const policy = policyOf();
      expect(policyErrors(policy)).toEqual([]);
      expect(validate(policy, schema)).toEqual([]);
      expect(policy).toEqual(reference);
    });
  }

  it('means what docs/admin.md says it means', () => {
    const p = parsePolicy(reference);
    const mode = (site: string, userSite?: 'always' | 'block') =>
      resolveSiteMode(site, { enterpriseRules: p.rules, enterpriseDefault: p.defaultMode, allowUserDirect: p.allowUserDirect, userSite });
    expect(mode('https://meet.example.com')).toEqual({ mode: 'direct', source: 'enterprise-rule' });
    expect(mode('https://eu.meet.example.com')).toEqual({ mode: 'direct', source: 'enterprise-rule' });
    expect(mode('https://guest.meet.example.com')).toEqual({ mode: 'srflx-only', source: 'enterprise-rule' }); // SiteModes first
    expect(mode('https://video.example.org:8443')).toEqual({ mode: 'direct', source: 'enterprise-rule' });
    expect(mode('https://video.example.org')).toEqual({ mode: 'srflx-only', source: 'enterprise-default' }); // other port
    expect(mode('http://cdn.ads.example.net')).toEqual({ mode: 'off', source: 'enterprise-rule' });
    expect(mode('https://support.example.org', 'always')).toEqual({ mode: 'relay-only', source: 'enterprise-rule' });
    expect(mode('https://www.example.com', 'always')).toEqual({ mode: 'srflx-only', source: 'enterprise-default' }); // AllowUserDirect false
    expect(mode('https://www.example.com', 'block')).toEqual({ mode: 'off', source: 'user-site' });
    expect(lockedSettings(p).sort()).toEqual(['defaultMode', 'floor', 'floorStrict', 'lanNames', 'prompts']);
  });

  it('docs/admin.md documents every key', () => {
    const guide = read('docs/admin.md');
    for (const key of POLICY_KEYS) expect(guide).toContain(`### \`${key}\``);
  });
});

describe('the checks catch a broken sample', () => {
  const broken: [string, Json][] = [
    ['DefaultMode', 'fast'],
    ['LanNames', 'yes'],
    ['SiteModes', [{ url: 'https://support.example.org', mode: 'relay' }]],
    ['DirectAllowedUrls', 'https://[*.]meet.example.com'],
    ['PromptTriggers', { RawHost: 1 }],
    ['BrowserFloor', { Level: 'public-only', Strict: false }],
    ['LanHelper', 'always'],
    ['Locked', 1],
  ];
  for (const [key, bad] of broken) {
    it(`${key}: ${JSON.stringify(bad)} is a policy error and a schema error`, () => {
      const copy = { ...structuredClone(reference), [key]: bad };
      expect(policyErrors(copy)).toEqual([expect.stringMatching(new RegExp(`^${key}: `))]);
      expect(validate(copy, schema)).toEqual([expect.stringMatching(new RegExp(`^${key}\\b`))]);
    });
  }

  it('a pattern the schema cannot judge is still a policy error', () => {
    const copy = { ...structuredClone(reference), DirectAllowedUrls: ['https://meet.example.com/room'] };
    expect(validate(copy, schema)).toEqual([]);
    expect(policyErrors(copy)).toEqual([expect.stringMatching(/^DirectAllowedUrls: .*paths are not supported/)]);
  });

  it('a changed .reg or .mobileconfig no longer matches, and a malformed one does not parse', () => {
    const reg = read('docs/policies/windows-chrome.reg');
    const regBad = reg.replace('"AllowUserDirect"=dword:00000000', '"AllowUserDirect"=dword:00000001');
    expect(regBad).not.toBe(reg);
    expect(regToPolicy(parseReg(regBad).get(REG_KEY)!)).not.toEqual(reference);
    expect(() => regToPolicy(parseReg(reg.replace('"Locked"=dword:00000001', '"Locked"="true"')).get(REG_KEY)!)).toThrow(/Locked/);
    expect(() => parseReg(reg.replace('Version 5.00', 'Version 4.00'))).toThrow();
    expect(() => parseReg(reg.replace('\\"mode\\"', '\\mode\\"'))).toThrow(/escape/);

    const plist = read('docs/policies/macos-chrome.mobileconfig');
    const plistBad = plist.replace('<string>relay-only</string>', '<string>relay</string>');
    expect(plistBad).not.toBe(plist);
    const policy = profilePolicy(parsePlist(plistBad), CHROME_ID);
    expect(policyErrors(policy)).toEqual([expect.stringMatching(/^SiteModes: /)]);
    expect(validate(policy, schema)).toEqual([expect.stringMatching(/^SiteModes\[1\]\.mode: /)]);
    expect(() => parsePlist(plist.replace('<true/>', '<yes/>'))).toThrow(/yes/);
    expect(() => parsePlist(plist.replace('</dict>\n  </array>', '</array>'))).toThrow();
  });
});
