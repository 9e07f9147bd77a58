#!/usr/bin/env node
// Makes sure the Debian packages that the browser tests and the demo need are installed: installs
// the missing ones when running as root with apt-get, otherwise stops with the exact command to run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package -> a file it installs. */
const NEEDED = {
  chromium: '/usr/lib/chromium/chromium',
  'firefox-esr': '/usr/lib/firefox-esr/firefox-esr',
  coturn: '/usr/bin/turnserver',
  iproute2: '/usr/sbin/ip',
  iptables: '/usr/sbin/iptables',
};

const missing = Object.entries(NEEDED)
  .filter(([, file]) => !existsSync(file))
  .map(([pkg]) => pkg);

if (missing.length === 0) process.exit(0);

const line = `apt-get install -y ${missing.join(' ')}`;
const isRoot = process.getuid?.() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error(`Missing Debian packages: ${missing.join(', ')}. Install them with:\n  sudo apt-get update && sudo ${line}`);
  process.exit(1);
}
console.log(`Installing missing Debian packages: ${missing.join(', ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
} catch {
  console.error(`apt-get failed; run it yourself:\n  apt-get update && ${line}`);
  process.exit(1);
}
const still = Object.entries(NEEDED).filter(([, file]) => !existsSync(file));
if (still.length) {
  console.error(`still missing after apt-get: ${still.map(([p, f]) => `${p} (${f})`).join(', ')}`);
  process.exit(1);
}
