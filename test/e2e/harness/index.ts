// The real-browser test harness. A test needs a few lines:
//
//   const bed = await createBed();                       // namespaces, NAT router, coturn
//   const server = await serveFixtures(bed.lan.ns);      // fixture pages on two loopback origins
//   const b = await launch('firefox', { host: bed.lan }); // with the test build of the extension
//   const page = await b.browser.newPage();
//   await page.goto(`${server.origins[0]}/gather.html`);
//   const seen = await gather(page, { iceServers: bed.iceServers });
//   expect(findAddresses(JSON.stringify(seen), bed.lan.addresses)).toEqual([]);
//   await b.close(); server.close(); bed.close();
//
// Everything registers its undo step, so whatever a failing test leaves open is closed at exit
// (`cleanupAll`), and only processes the harness started are ended, by PID.
export { createBed, type Bed, type BedOptions, type Host, type IceServerConfig } from './bed';
export { BROWSER_KINDS, CHROMIUM, DIST, FIREFOX, launch, testIds, type BrowserKind, type LaunchOptions, type RunningBrowser } from './browsers';
export { PAGES_DIR, serveFixtures, type FixtureServer } from './fixture-server';
export { backgroundCall, gather, liveConnections, type Gathered, type GatherOptions } from './page-tools';
export { chromiumExtensionPolicy, firefoxExtensionPolicies, type PolicyFile } from './policy';
export { findAddresses, ipv6Spellings } from './scan';
export { cleanupAll } from './sys';
