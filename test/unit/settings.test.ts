// The settings core (src/shared/settings.ts): defaults, the ordered migrations, key-by-key repair of a
// damaged store, and the strict export/import file. Pure: no browser, no storage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPAQUE_SITE, siteKey } from '../../src/policy/index';
import { MODES, type Mode } from '../../src/policy';
import {
  BROWSER_FLOORS,
  checkSetting,
  defaultSettings,
  exportSettings,
  EXPORT_FORMAT,
  loadSettings,
  MAX_IMPORT_BYTES,
  MAX_SITES,
  MIGRATIONS,
  parseSettingsFile,
  SETTING_KEYS,
  SETTINGS_VERSION,
  type SettingKey,
  type Settings,
  type StoreImage,
} from '../../src/shared/settings';

/** Fixed seed: the properties are deterministic (as in test/unit/policy/arbitraries.ts). */
const params = (numRuns: number) => ({ seed: 20240611, numRuns });

const A = 'https://a.example';
const B = 'http://b.example:8080';
const C = 'https://[2001:db8::1]';

/** What storage.local holds after a load wrote back `set` and dropped `remove`. */
function applied(image: StoreImage, r: { set: StoreImage; remove: string[] }): StoreImage {
  const out = { ...image, ...r.set };
  for (const k of r.remove) delete out[k];
  return out;
}

const site = fc
  .tuple(fc.constantFrom('http', 'https'), fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([scheme, host, port]) => siteKey(`${scheme}://${host}${port === undefined ? '' : ':' + port}`))
  .filter((k) => k !== OPAQUE_SITE);
const mode = fc.constantFrom<Mode>(...MODES);
const validSettings: fc.Arbitrary<Settings> = fc.record({
  defaultMode: mode,
  lanNames: fc.boolean(),
  prompts: fc.record({ rawHost: fc.boolean(), failed: fc.boolean(), firstUse: fc.boolean() }),
  floor: fc.constantFrom(...BROWSER_FLOORS),
  floorStrict: fc.boolean(),
  sites: fc.dictionary(site, mode, { maxKeys: 8 }),
});

describe('defaults', () => {
  // Each default with the place that promises it: a changed default must change its documentation too.
  const DOCUMENTED: [SettingKey, unknown, string][] = [
    ['defaultMode', 'srflx-only', 'docs/design.md "Modes": the default mode'],
    ['lanNames', true, 'issue #5: LAN names on'],
    ['prompts', { rawHost: true, failed: true, firstUse: false }, 'docs/design.md "Consent": asked on a raw host or a failure, not on first use'],
    ['floor', 'none', 'docs/design.md "Background": the browser keeps its own setting'],
    ['floorStrict', false, 'docs/design.md "Background": strict is opt-in'],
    ['sites', {}, 'no decisions until the user makes one'],
  ];
  it.each(DOCUMENTED)('%s is %j (%s)', (key, value) => {
    expect(defaultSettings()[key]).toEqual(value);
  });

  it('has a documented default for every setting, and no other key', () => {
    expect(Object.keys(defaultSettings()).sort()).toEqual(DOCUMENTED.map(([k]) => k).sort());
    expect([...SETTING_KEYS].sort()).toEqual(DOCUMENTED.map(([k]) => k).sort());
  });

  it('are a fresh object each time (a caller cannot change the next caller\'s defaults)', () => {
    const d = defaultSettings();
    d.prompts.firstUse = true;
    d.sites[A] = 'direct';
    expect(defaultSettings().prompts.firstUse).toBe(false);
    expect(defaultSettings().sites).toEqual({});
  });

  it('every default passes its own check', () => {
    const d = defaultSettings();
    for (const key of SETTING_KEYS) expect(checkSetting(key, d[key]), key).toEqual({ ok: true, value: d[key] });
  });
});

describe('a fresh or healthy store', () => {
  it('a fresh store gets just `version`, no problems', () => {
    const r = loadSettings({});
    expect(r).toEqual({ settings: defaultSettings(), set: { version: SETTINGS_VERSION }, remove: [], problems: [] });
  });

  it('a store holding only the current version needs no write', () => {
    expect(loadSettings({ version: SETTINGS_VERSION })).toEqual({ settings: defaultSettings(), set: {}, remove: [], problems: [] });
  });

  it('keys of other parts of the extension are neither read nor touched', () => {
    const r = loadSettings({ version: SETTINGS_VERSION, settingsProblems: [{ key: 'x', problem: 'y' }], somethingElse: 7 });
    expect(r.set).toEqual({});
    expect(r.remove).toEqual([]);
  });

  it('a healthy current store is read as it is, with nothing to write (property)', () => {
    fc.assert(
      fc.property(validSettings, (s) => {
        const r = loadSettings({ version: SETTINGS_VERSION, ...structuredClone(s) });
        expect(r.settings).toEqual(s);
        expect(r.set).toEqual({});
        expect(r.remove).toEqual([]);
        expect(r.problems).toEqual([]);
      }),
      params(300),
    );
  });
});

describe('migrations', () => {
  it('one per version step, in order', () => {
    expect(MIGRATIONS).toHaveLength(SETTINGS_VERSION);
  });

  it('v0 -> v1: `userSiteModes` becomes `sites`, and the legacy key is removed', () => {
    const r = loadSettings({ userSiteModes: { [A]: 'direct', [B]: 'off' } });
    expect(r.settings.sites).toEqual({ [A]: 'direct', [B]: 'off' });
    expect(r.set).toEqual({ sites: { [A]: 'direct', [B]: 'off' }, version: 1 });
    expect(r.remove).toEqual(['userSiteModes']);
    expect(r.problems).toEqual([]);
    // After the write-back the store is stable: nothing more to migrate or repair.
    const again = loadSettings(applied({ userSiteModes: { [A]: 'direct', [B]: 'off' } }, r));
    expect(again).toEqual({ settings: r.settings, set: {}, remove: [], problems: [] });
  });

  it('v0 -> v1: a `sites` already present wins over the legacy map, which is still removed', () => {
    const r = loadSettings({ userSiteModes: { [A]: 'direct' }, sites: { [B]: 'relay-only' } });
    expect(r.settings.sites).toEqual({ [B]: 'relay-only' });
    expect(r.set.sites).toBeUndefined();
    expect(r.remove).toEqual(['userSiteModes']);
    const step = (MIGRATIONS[0] as (s: StoreImage) => { set: StoreImage; remove: string[] })({ userSiteModes: { [A]: 'direct' }, sites: {} });
    expect(step).toEqual({ set: {}, remove: ['userSiteModes'] });
  });

  it('v0 -> v1 without a legacy map changes nothing but the version', () => {
    const step = (MIGRATIONS[0] as (s: StoreImage) => { set: StoreImage; remove: string[] })({ defaultMode: 'off' });
    expect(step).toEqual({ set: {}, remove: [] });
    const r = loadSettings({ defaultMode: 'off' });
    expect(r.settings.defaultMode).toBe('off');
    expect(r.set).toEqual({ version: 1 });
  });

  it('v0 -> v1: bad legacy entries are repaired like any other (kept good ones, reported, old value kept)', () => {
    const legacy = { [A]: 'direct', 'not a site': 'off', [B]: 'sometimes' };
    const r = loadSettings({ userSiteModes: legacy });
    expect(r.settings.sites).toEqual({ [A]: 'direct' });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.key).toBe('sites');
    expect(r.problems[0]!.problem).toContain('2 unusable entries');
    expect(r.set.repairedValues).toEqual({ sites: legacy });
    expect(r.remove).toEqual(['userSiteModes']);
  });

  it('an already-migrated store is not migrated again (a `userSiteModes` written later stays)', () => {
    const r = loadSettings({ version: 1, userSiteModes: { [A]: 'direct' } });
    expect(r.settings.sites).toEqual({});
    expect(r.remove).toEqual([]);
  });
});

describe('repair, key by key', () => {
  it('a corrupt defaultMode resets only that key, reports it, and keeps the old value', () => {
    const image = { version: 1, defaultMode: 42, lanNames: false, floor: 'public-interface-only', sites: { [A]: 'off' } };
    const r = loadSettings(image);
    expect(r.settings).toEqual({ ...defaultSettings(), lanNames: false, floor: 'public-interface-only', sites: { [A]: 'off' } });
    expect(r.problems).toEqual([{ key: 'defaultMode', problem: expect.stringContaining('reset to the default') }]);
    expect(r.set).toEqual({ defaultMode: 'srflx-only', repairedValues: { defaultMode: 42 } });
    expect(r.remove).toEqual([]);
    const again = loadSettings(applied(image, r));
    expect(again.problems).toEqual([]);
    expect(again.set).toEqual({});
    expect(again.settings).toEqual(r.settings);
  });

  it('each key on its own: a bad value resets it and leaves the rest', () => {
    const good: Settings = { defaultMode: 'relay-only', lanNames: false, prompts: { rawHost: false, failed: true, firstUse: true }, floor: 'disable-non-proxied-udp', floorStrict: true, sites: { [A]: 'direct' } };
    const junk: Record<string, unknown> = { defaultMode: 'always', lanNames: 'yes', prompts: { rawHost: 1 }, floor: 'mode-3', floorStrict: null, sites: [A] };
    for (const key of SETTING_KEYS) {
      const r = loadSettings({ version: 1, ...structuredClone(good), [key]: junk[key] });
      expect(r.settings, key).toEqual({ ...good, [key]: defaultSettings()[key] });
      expect(r.problems.map((p) => p.key), key).toEqual([key]);
      expect(r.set.repairedValues, key).toEqual({ [key]: junk[key] });
    }
  });

  it('a sites map with some bad entries keeps the good ones and reports the dropped', () => {
    const sites = { [A]: 'direct', [B]: 'block', 'https://UPPER.example': 'off', [C]: 'relay-only', 'file:///etc': 'off' };
    const r = loadSettings({ version: 1, sites, defaultMode: 'off' });
    expect(r.settings.sites).toEqual({ [A]: 'direct', [C]: 'relay-only' });
    expect(r.settings.defaultMode).toBe('off');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toEqual({ key: 'sites', problem: expect.stringContaining('3 unusable entries') });
    expect(r.problems[0]!.problem).toContain(B);
    expect(r.set).toEqual({ sites: { [A]: 'direct', [C]: 'relay-only' }, repairedValues: { sites } });
  });

  it('old repaired values are kept when more are repaired later', () => {
    const r = loadSettings({ version: 1, floor: 7, repairedValues: { defaultMode: 42 } });
    expect(r.set.repairedValues).toEqual({ defaultMode: 42, floor: 7 });
  });

  it('more than MAX_SITES decisions: the first MAX_SITES are kept, the rest reported', () => {
    const sites: Record<string, string> = {};
    for (let i = 0; i < MAX_SITES + 3; i++) sites[`https://s${i}.example`] = 'off';
    const r = loadSettings({ version: 1, sites });
    expect(Object.keys(r.settings.sites)).toHaveLength(MAX_SITES);
    expect(r.settings.sites['https://s0.example']).toBe('off');
    expect(r.settings.sites[`https://s${MAX_SITES}.example`]).toBeUndefined();
    expect(r.problems[0]!.problem).toContain(`more than ${MAX_SITES} sites`);
  });

  it('a version from the future is read and reported, never downgraded', () => {
    const r = loadSettings({ version: SETTINGS_VERSION + 1, defaultMode: 'relay-only', sites: { [A]: 'off' }, futureKey: { x: 1 } });
    expect(r.settings.defaultMode).toBe('relay-only');
    expect(r.settings.sites).toEqual({ [A]: 'off' });
    expect(r.problems).toEqual([{ key: 'version', problem: expect.stringContaining(`version ${SETTINGS_VERSION + 1}`) }]);
    expect(r.set.version).toBeUndefined();
    expect(r.remove).toEqual([]);
  });

  it('a version that is not a version number is reported and rewritten', () => {
    for (const version of ['1', -1, 1.5, null, { v: 1 }]) {
      const r = loadSettings({ version, lanNames: false });
      expect(r.problems.map((p) => p.key), JSON.stringify(version)).toEqual(['version']);
      expect(r.set.version).toBe(SETTINGS_VERSION);
      expect(r.settings.lanNames).toBe(false);
    }
  });

  it('any damage: never throws, keeps every intact key, reports exactly the damaged ones, and is stable after one write-back (property)', () => {
    const damage = fc.dictionary(fc.constantFrom(...SETTING_KEYS), fc.jsonValue(), { maxKeys: SETTING_KEYS.length });
    fc.assert(
      fc.property(validSettings, damage, fc.constantFrom(undefined, 0, 1), (good, bad, version) => {
        const image: StoreImage = { ...structuredClone(good), ...structuredClone(bad) };
        if (version !== undefined) image.version = version;
        const r = loadSettings(image);
        for (const key of SETTING_KEYS) {
          if (!(key in bad)) expect(r.settings[key], key).toEqual(good[key]);
          else if (checkSetting(key, bad[key]).ok) expect(r.settings[key], key).toEqual(checkSetting(key, bad[key]).ok && (checkSetting(key, bad[key]) as { value: unknown }).value);
        }
        for (const p of r.problems) expect(Object.keys(bad)).toContain(p.key);
        for (const key of Object.keys(r.set.repairedValues ?? {})) expect(Object.keys(bad)).toContain(key);
        const again = loadSettings(applied(image, r));
        expect(again.settings).toEqual(r.settings);
        expect(again.set).toEqual({});
        expect(again.problems).toEqual([]);
      }),
      params(500),
    );
  });
});

describe('checkSetting', () => {
  it('prompt triggers: a partial object gets the defaults for the rest; unknown or non-boolean triggers are refused', () => {
    expect(checkSetting('prompts', { firstUse: true })).toEqual({ ok: true, value: { rawHost: true, failed: true, firstUse: true } });
    expect(checkSetting('prompts', { always: true }).ok).toBe(false);
    expect(checkSetting('prompts', { rawHost: 'no' }).ok).toBe(false);
    expect(checkSetting('prompts', [true]).ok).toBe(false);
  });

  it('sites: keys must already be site keys (canonical origins), values known modes', () => {
    expect(checkSetting('sites', { [A]: 'off', [C]: 'direct' })).toEqual({ ok: true, value: { [A]: 'off', [C]: 'direct' } });
    for (const bad of [{ 'https://a.example/path': 'off' }, { 'https://a.example:443': 'off' }, { 'a.example': 'off' }, { opaque: 'off' }, { [A]: 'always' }, { ['__proto__']: 'off' }]) {
      expect(checkSetting('sites', JSON.parse(JSON.stringify(bad))).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('export and import', () => {
  it('an export carries the format and version and round-trips through parseSettingsFile (property)', () => {
    fc.assert(
      fc.property(validSettings, (s) => {
        const file = exportSettings(s);
        expect(file.format).toBe(EXPORT_FORMAT);
        expect(file.version).toBe(SETTINGS_VERSION);
        const parsed = parseSettingsFile(JSON.stringify(file, null, 2));
        expect(parsed).toEqual({ ok: true, value: s });
      }),
      params(300),
    );
  });

  it('an export is a copy (later changes to the settings do not change it)', () => {
    const s = defaultSettings();
    const file = exportSettings(s);
    s.sites[A] = 'off';
    expect(file.sites).toEqual({});
  });

  it('a file with only some keys imports only those', () => {
    const r = parseSettingsFile(JSON.stringify({ format: EXPORT_FORMAT, version: 1, sites: { [A]: 'direct' } }));
    expect(r).toEqual({ ok: true, value: { sites: { [A]: 'direct' } } });
  });

  const rejected = (text: string) => {
    const r = parseSettingsFile(text);
    if (r.ok) throw new Error(`accepted: ${text.slice(0, 100)}`);
    return r.error;
  };
  const file = (extra: Record<string, unknown>) => JSON.stringify({ format: EXPORT_FORMAT, version: 1, ...extra });

  it('bad JSON is refused', () => {
    expect(rejected('{"format": "iceguard-settings",')).toEqual([{ key: 'file', problem: 'is not JSON' }]);
  });

  it('a file of another format (or none) is refused', () => {
    for (const text of ['[]', 'null', '"x"', JSON.stringify({ version: 1, defaultMode: 'off' }), JSON.stringify({ format: 'other', version: 1 })]) {
      expect(rejected(text).map((p) => p.key), text).toEqual(['file']);
    }
  });

  it('an unknown key is refused, naming it', () => {
    expect(rejected(file({ defaultMode: 'off', autoAllow: true }))).toEqual([{ key: 'autoAllow', problem: 'is not an IceGuard setting' }]);
    expect(rejected('{"format":"iceguard-settings","version":1,"__proto__":{"defaultMode":"direct"}}').map((p) => p.key)).toEqual(['__proto__']);
  });

  it('bad values are refused, every bad key named, nothing half-applied', () => {
    const problems = rejected(file({ defaultMode: 'sometimes', lanNames: 'yes', floor: 'public-interface-only', sites: { [A]: 'off', 'not a site': 'off' } }));
    expect(problems.map((p) => p.key).sort()).toEqual(['defaultMode', 'lanNames', 'sites']);
    expect(problems.find((p) => p.key === 'sites')!.problem).toContain('not a site');
  });

  it('a missing, future or odd version is refused', () => {
    for (const version of [undefined, 0, SETTINGS_VERSION + 1, '1', 1.5]) {
      expect(rejected(file({ version, lanNames: false })).map((p) => p.key), String(version)).toEqual(['version']);
    }
  });

  it('a file that is too large is refused before parsing', () => {
    const text = file({ sites: {}, pad: 'x'.repeat(MAX_IMPORT_BYTES) });
    expect(rejected(text)).toEqual([{ key: 'file', problem: expect.stringContaining('larger than') }]);
  });

  it('MAX_SITES decisions import; one more is refused', () => {
    const sites: Record<string, string> = {};
    for (let i = 0; i < MAX_SITES; i++) sites[`https://site-${i}.example`] = MODES[i % 4]!;
    const max = file({ sites });
    expect(max.length).toBeLessThan(MAX_IMPORT_BYTES);
    const r = parseSettingsFile(max);
    expect(r.ok && Object.keys(r.value.sites ?? {}).length).toBe(MAX_SITES);
    sites['https://one-more.example'] = 'off';
    expect(rejected(file({ sites }))).toEqual([{ key: 'sites', problem: `more than ${MAX_SITES} sites` }]);
  });

  it('never throws on any text, and whatever it accepts passes every check (property)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.dictionary(fc.constantFrom(...SETTING_KEYS, 'format', 'version', 'x'), fc.jsonValue()).map((d) => JSON.stringify({ format: EXPORT_FORMAT, version: 1, ...d })),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = parseSettingsFile(t);
        if (r.ok) {
          for (const [key, value] of Object.entries(r.value)) expect(checkSetting(key as keyof Settings, value).ok).toBe(true);
        } else {
          expect(r.error.length).toBeGreaterThan(0);
          for (const p of r.error) expect(typeof p.problem).toBe('string');
        }
      }),
      params(1000),
    );
  });
});
