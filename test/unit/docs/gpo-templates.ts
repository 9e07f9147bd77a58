// Checks of the Group Policy templates (docs/policies/windows/iceguard.admx and en-US/iceguard.adml)
// against managed_schema.json, for docs.test.ts. Each returns problems in words; none means it holds.
import { descendants, parseXml, type XmlElement } from './xml';

export interface SchemaNode {
  type: string;
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** One registry value (or, for a list, a key of numbered values) that a policy writes. */
interface Write {
  key: string;
  valueName: string;
  kind: string;
  values: string[];
}

const GP_NAMESPACE = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
export const CHROME_KEY = 'Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\EXTENSION_ID\\policy';
export const FIREFOX_KEY = 'Software\\Policies\\Mozilla\\Firefox\\3rdparty\\Extensions';
export const FIREFOX_VALUE = 'iceguard@iceguard';

const named = (el: XmlElement, name: string) => descendants(el).filter((e) => e.name === name);
const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const show = (w: Write) => `${w.kind} ${w.key}${w.valueName ? ` → ${w.valueName}` : ''}${w.values.length ? ` [${w.values.join(', ')}]` : ''}`;

/** What a policy writes: its own value when it has enabled/disabled values, and each element's. */
function writes(policy: XmlElement): Write[] {
  const key = policy.attrs.key ?? '';
  const own = policy.attrs.valueName && child(policy, 'enabledValue') ? [{ key, valueName: policy.attrs.valueName, kind: 'boolean', values: [] }] : [];
  const elements = child(policy, 'elements')?.children ?? [];
  const values = (el: XmlElement) => (el.name === 'enum' ? named(el, 'string').map((s) => s.text) : []);
  return [...own, ...elements.map((el) => ({ key: el.attrs.key ?? key, valueName: el.attrs.valueName ?? '', kind: el.name, values: values(el) }))];
}

/**
 * What Chrome needs for one schema property so that it converts the registry to the right JSON type
 * (Chromium's registry_dict.cc): booleans as DWORD (boolean), enums as one of their strings (enum), a
 * list of strings as a key of numbered values (list), a list of objects as one JSON string (text, since
 * ADMX cannot write a list of keys), an object as a key with one value per property.
 */
function chromeNeeds(name: string, s: SchemaNode, key: string): Write[] {
  if (s.type === 'boolean') return [{ key, valueName: name, kind: 'boolean', values: [] }];
  if (s.type === 'string') return [{ key, valueName: name, kind: s.enum ? 'enum' : 'text', values: s.enum ?? [] }];
  if (s.type === 'array' && s.items?.type === 'string') return [{ key: `${key}\\${name}`, valueName: '', kind: 'list', values: [] }];
  if (s.type === 'array') return [{ key, valueName: name, kind: 'text', values: [] }];
  if (s.type === 'object') return Object.entries(s.properties ?? {}).flatMap(([sub, ss]) => chromeNeeds(sub, ss, `${key}\\${name}`));
  return [{ key, valueName: name, kind: `(no ADMX form for ${s.type})`, values: [] }];
}

function parse(what: string, text: string): XmlElement | string {
  try {
    return parseXml(text);
  } catch (e) {
    return `${what}: ${(e as Error).message}`;
  }
}

interface Templates {
  admx: XmlElement;
  strings: Map<string, string>;
  presentations: Map<string, XmlElement>;
}

function duplicates(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

/** Roots, namespaces and unique ids of both files. */
function shape(t: Templates, adml: XmlElement): string[] {
  const problems: string[] = [];
  if (t.admx.name !== 'policyDefinitions' || t.admx.attrs.xmlns !== GP_NAMESPACE) problems.push('ADMX: root is not <policyDefinitions> in the Group Policy namespace');
  if (adml.name !== 'policyDefinitionResources' || adml.attrs.xmlns !== GP_NAMESPACE) problems.push('ADML: root is not <policyDefinitionResources> in the Group Policy namespace');
  const ids = [
    ...duplicates(named(t.admx, 'policy').map((p) => p.attrs.name ?? '')).map((id) => `ADMX: policy ${id} twice`),
    ...duplicates(named(adml, 'string').map((s) => s.attrs.id ?? '')).map((id) => `ADML: string ${id} twice`),
    ...duplicates(named(adml, 'presentation').map((s) => s.attrs.id ?? '')).map((id) => `ADML: presentation ${id} twice`),
  ];
  return [...problems, ...ids];
}

/** Every $(string.…) and $(presentation.…) of the ADMX is in the ADML; every ref names a definition. */
function references(t: Templates): string[] {
  const problems: string[] = [];
  for (const el of descendants(t.admx)) {
    for (const value of Object.values(el.attrs)) {
      for (const [, table, id] of value.matchAll(/\$\((string|presentation)\.([^)]*)\)/g)) {
        const found = table === 'string' ? t.strings.has(id!) : t.presentations.has(id!);
        if (!found) problems.push(`ADMX <${el.name}> refers to ${table} "${id}", which the ADML lacks`);
      }
    }
  }
  const categories = new Set(named(t.admx, 'category').map((c) => c.attrs.name));
  const supported = new Set(named(t.admx, 'definition').map((d) => d.attrs.name));
  for (const ref of named(t.admx, 'parentCategory')) if (!categories.has(ref.attrs.ref)) problems.push(`ADMX: no category "${ref.attrs.ref}"`);
  for (const ref of named(t.admx, 'supportedOn').filter((s) => s.attrs.ref !== undefined)) {
    if (!supported.has(ref.attrs.ref)) problems.push(`ADMX: no supportedOn definition "${ref.attrs.ref}"`);
  }
  return problems;
}

/** A policy with elements has a presentation whose controls are exactly its elements. */
function presentations(t: Templates): string[] {
  const problems: string[] = [];
  for (const policy of named(t.admx, 'policy')) {
    const ids = (child(policy, 'elements')?.children ?? []).map((e) => e.attrs.id ?? '');
    if (!ids.length) continue;
    const id = /^\$\(presentation\.(.*)\)$/.exec(policy.attrs.presentation ?? '')?.[1];
    const shown = id === undefined ? undefined : t.presentations.get(id);
    const refs = shown ? descendants(shown).flatMap((c) => (c.attrs.refId ? [c.attrs.refId] : [])) : [];
    if (!shown) problems.push(`policy ${policy.attrs.name}: has elements but no presentation`);
    else if (!sameSet(refs, ids)) problems.push(`policy ${policy.attrs.name}: its presentation shows [${refs.join(', ')}], its elements are [${ids.join(', ')}]`);
  }
  return problems;
}

const stringOf = (t: Templates, ref: string | undefined) => t.strings.get(/^\$\(string\.(.*)\)$/.exec(ref ?? '')?.[1] ?? '') ?? '';

/** Chrome: every key of the schema is written where and as Chrome needs it, by a policy named for it; nothing else is written. */
function chromeCoverage(t: Templates, schema: SchemaNode): string[] {
  const policies = named(t.admx, 'policy').filter((p) => (p.attrs.key ?? '').startsWith(CHROME_KEY));
  const written = policies.flatMap((p) => writes(p).map((w) => ({ policy: p, w })));
  const problems: string[] = [];
  const used = new Set<Write>();
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    for (const need of chromeNeeds(name, s, CHROME_KEY)) {
      const hit = written.find(({ w }) => w.key === need.key && w.valueName === need.valueName && w.kind === need.kind && sameSet(w.values, need.values));
      if (!hit) {
        problems.push(`Chrome: no policy writes ${name} as ${show(need)}`);
        continue;
      }
      used.add(hit.w);
      if (!stringOf(t, hit.policy.attrs.displayName).includes(`(${name})`)) problems.push(`Chrome: the ADML name of policy ${hit.policy.attrs.name} does not say "(${name})"`);
      if (!stringOf(t, hit.policy.attrs.explainText).trim()) problems.push(`Chrome: policy ${hit.policy.attrs.name} has no explanation in the ADML`);
    }
  }
  for (const { policy, w } of written) if (!used.has(w)) problems.push(`Chrome: policy ${policy.attrs.name} writes ${show(w)}, which is no key of managed_schema.json`);
  return problems;
}

/** Firefox: one policy writes the whole policy as JSON into the value Firefox hands IceGuard, and its explanation names every key. */
function firefoxCoverage(t: Templates, schema: SchemaNode): string[] {
  const policy = named(t.admx, 'policy').find((p) => writes(p).some((w) => w.key === FIREFOX_KEY && w.valueName === FIREFOX_VALUE && (w.kind === 'multiText' || w.kind === 'text')));
  if (!policy) return [`Firefox: no policy writes ${FIREFOX_KEY} → ${FIREFOX_VALUE} as text`];
  const explain = stringOf(t, policy.attrs.explainText);
  return Object.keys(schema.properties ?? {})
    .filter((name) => !explain.includes(name))
    .map((name) => `Firefox: the explanation of ${policy.attrs.name} does not name ${name}`);
}

/** Everything wrong with the two template files, in words. */
export function templateProblems(admxText: string, admlText: string, schema: SchemaNode): string[] {
  const admx = parse('ADMX', admxText);
  const adml = parse('ADML', admlText);
  if (typeof admx === 'string' || typeof adml === 'string') return [admx, adml].filter((p): p is string => typeof p === 'string');
  const t: Templates = {
    admx,
    strings: new Map(named(adml, 'string').map((s) => [s.attrs.id ?? '', s.text])),
    presentations: new Map(named(adml, 'presentation').map((p) => [p.attrs.id ?? '', p])),
  };
  return [...shape(t, adml), ...references(t), ...presentations(t), ...chromeCoverage(t, schema), ...firefoxCoverage(t, schema)];
}
