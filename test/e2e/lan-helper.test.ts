// The LAN helper on a real LAN (issue #7): the built helper runs in bed host A as a native-messaging
// host; hosts B and C on the same bridge ask for names over real mDNS. A registered name resolves from
// another host (QM: multicast; QU: unicast to the asker only), the missing type is answered with NSEC,
// an unregistered or foreign name gets nothing, a goodbye (TTL 0) removes it, and a forged
// registration for another host's address is refused. And `install` without --chrome-id finds the
// IceGuard build a Chromium profile has and allows it: that build then connects.
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBed, DIST, launch, testIds, type Bed, type Host } from './harness';
import { frame, HELPER_BUNDLE, probe, startHelper, type HelperProcess } from './harness/lan-helper';
import { Scope, tempDir } from './harness/sys';

const NAME = (i: number) => `${i.toString(16).padStart(8, '0')}-2222-4222-8222-222222222222.local`;

let bed: Bed;
let b: Host;
let c: Host;
let helper: HelperProcess;
const scope = new Scope();

beforeAll(async () => {
  bed = await createBed();
  b = bed.addHost(20);
  c = bed.addHost(30);
  helper = startHelper(bed.lan.ns, scope);
  expect(await helper.request({ type: 'hello', id: 1 })).toMatchObject({ type: 'hello', id: 1, version: 1 });
  await new Promise((r) => setTimeout(r, 300)); // sockets joined
});
afterAll(() => {
  scope.close();
  bed?.close();
});

describe('LAN helper over real mDNS', () => {
  it('a registered name resolves from another host: A record, TTL 120, cache-flush, from host A', async () => {
    const r = await helper.request({ type: 'register', tab: 1, site: 'https://a.example', names: [{ name: NAME(1), address: bed.lan.v4 }] });
    expect(r).toMatchObject({ type: 'registered', accepted: [NAME(1)], refused: [] });
    const heard = await probe(b.ns, scope, NAME(1), 'A', 'qm', 1500).heard;
    const answers = heard.filter((h) => h.section === 'answers' && h.type === 'A');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers[0]).toMatchObject({ ttl: 120, flush: true, data: bed.lan.v4, from: bed.lan.v4 });
  });

  it('the missing type gets NSEC (Chromium asks AAAA too and would wait ~3 s)', async () => {
    const heard = await probe(b.ns, scope, NAME(1), 'AAAA', 'qm', 1500).heard;
    expect(heard.some((h) => h.type === 'NSEC')).toBe(true);
    expect(heard.some((h) => h.type === 'AAAA' || h.type === 'A')).toBe(false);
  });

  it('IPv6 names answer AAAA over IPv6 multicast (ff02::fb)', async () => {
    const r = await helper.request({ type: 'register', tab: 1, site: 'https://a.example', names: [{ name: NAME(6), address: bed.lan.v6 }] });
    expect(r).toMatchObject({ accepted: [NAME(6)] });
    const heard = await probe(b.ns, scope, NAME(6), 'AAAA', 'qm', 1500, 6).heard;
    const answers = heard.filter((h) => h.type === 'AAAA');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers[0]).toMatchObject({ ttl: 120, flush: true, data: bed.lan.v6 });
  });

  it('QU: the answer goes to the asker by unicast; a listener elsewhere on the LAN hears nothing', async () => {
    const listener = probe(c.ns, scope, NAME(1), 'A', 'listen', 2000);
    await listener.started;
    await new Promise((r) => setTimeout(r, 1100)); // past the 1 s multicast gap of the earlier answer
    const asked = await probe(b.ns, scope, NAME(1), 'A', 'qu', 1000).heard;
    expect(asked.some((h) => h.type === 'A' && h.data === bed.lan.v4)).toBe(true);
    expect((await listener.heard).filter((h) => h.type === 'A')).toEqual([]);
  });

  it('an unregistered name, and a name registered for another host\'s address, get nothing', async () => {
    const forged = await helper.request({ type: 'register', tab: 1, site: 'https://a.example', names: [{ name: NAME(2), address: b.v4 }] });
    expect(forged).toMatchObject({ accepted: [], refused: [{ name: NAME(2), reason: 'not-this-machine' }] });
    const [unknown, foreign] = await Promise.all([probe(c.ns, scope, NAME(3), 'A', 'qm', 1200).heard, probe(c.ns, scope, NAME(2), 'A', 'qm', 1200).heard]);
    expect(unknown).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it('a goodbye (TTL 0) goes out when a name is removed, and then it resolves no more', async () => {
    await helper.request({ type: 'register', tab: 2, site: 'https://b.example', names: [{ name: NAME(4), address: bed.lan.v4 }] });
    const listener = probe(c.ns, scope, NAME(4), 'A', 'listen', 1500);
    await listener.started;
    expect(await helper.request({ type: 'forget', tab: 2 })).toMatchObject({ type: 'removed', names: [NAME(4)] });
    expect((await listener.heard).some((h) => h.type === 'A' && h.ttl === 0)).toBe(true);
    expect(await probe(b.ns, scope, NAME(4), 'A', 'qm', 1200).heard).toEqual([]);
  });

  it('bad input gets error replies and the helper goes on; closing stdin ends it cleanly with goodbyes', async () => {
    const notJson = Buffer.from('{not json', 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32LE(notJson.length, 0);
    helper.write(Buffer.concat([head, notJson]));
    expect(await helper.nextReply()).toMatchObject({ type: 'error', error: 'message is not JSON' });
    const big = Buffer.alloc(4);
    big.writeUInt32LE(2 * 1024 * 1024, 0);
    helper.write(Buffer.concat([big, Buffer.alloc(2 * 1024 * 1024, 0x20)]));
    expect(await helper.nextReply()).toMatchObject({ type: 'error', error: expect.stringContaining('refused') });
    helper.write(frame({ type: 'register', names: 'all of them' }));
    expect(await helper.nextReply()).toMatchObject({ type: 'error' });
    expect(await helper.request({ type: 'status' })).toMatchObject({ type: 'status', names: 2 }); // NAME(1), NAME(6)
    const listener = probe(c.ns, scope, NAME(1), 'A', 'listen', 1500);
    await listener.started;
    expect(await helper.closeStdin()).toBe(0);
    expect((await listener.heard).some((h) => h.type === 'A' && h.ttl === 0)).toBe(true);
  });
});

describe('install finds the IceGuard build a browser has', () => {
  /** The options page's LAN helper line, once it says more than "Connecting…". */
  const helperLine = async (browser: Browser, id: string) => {
    const options = await browser.newPage();
    await options.goto(`chrome-extension://${id}/options.html`);
    // The background answers once its attempt to connect has settled; "Connecting…" is not an answer.
    await options.waitForFunction(() => /^[^…]+$/.test(document.getElementById('helper-status')?.textContent ?? ''), { timeout: 10_000 });
    return { text: await options.$eval('#helper-status', (e) => e.textContent), commandShown: await options.$eval('#helper-install', (e) => !(e as HTMLElement).hidden) };
  };

  it('Chromium with the release build (an id of its own, not the test key\'s): found, allowed, connected', async () => {
    const profile = tempDir(scope, 'profile');
    // The release build as a user has it once they granted the helper's permission (optional in the
    // release manifest, and its dialog cannot be answered headless): a copy whose manifest holds it.
    // Unpacked without a key, its id comes from its folder: not the test key's.
    const release = join(tempDir(scope, 'release'), 'chrome');
    cpSync(join(DIST, 'chrome'), release, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(release, 'manifest.json'), 'utf8')) as { permissions: string[]; optional_permissions?: string[] };
    expect(manifest.optional_permissions).toContain('nativeMessaging');
    manifest.permissions.push('nativeMessaging');
    manifest.optional_permissions = manifest.optional_permissions!.filter((p) => p !== 'nativeMessaging');
    writeFileSync(join(release, 'manifest.json'), JSON.stringify(manifest));
    const first = await launch('chromium', { host: bed.lan, extensionPath: release, chromiumProfile: profile });
    const id = first.extensionId!;
    try {
      expect(id).not.toBe(testIds().chrome);
      // Control: nothing installed yet, the page says so and shows the command.
      expect(await helperLine(first.browser, id)).toEqual({ text: 'Not installed.', commandShown: true });
    } finally {
      await first.close();
    }
    const out = execFileSync(process.execPath, [HELPER_BUNDLE, 'install', '--browser', 'chromium', '--profile-dir', profile], { encoding: 'utf8' });
    expect(out).toContain(`found IceGuard ${testIds().version} in chromium: ${id}`);
    const again = await launch('chromium', { host: bed.lan, extensionPath: release, chromiumProfile: profile });
    try {
      expect(again.extensionId).toBe(id);
      expect(await helperLine(again.browser, id)).toEqual({ text: `Connected (LAN helper ${testIds().version}).`, commandShown: false });
    } finally {
      await again.close();
    }
  });
});
