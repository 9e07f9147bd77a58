// Options page. The settings UI (modes, sites, import/export, browser floor) comes with issue #5.
import browser from 'webextension-polyfill';

const version = document.getElementById('version');
if (version) version.textContent = `Version ${browser.runtime.getManifest().version}`;
