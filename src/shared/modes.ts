// The per-site modes under the names the shared protocols and pages use. One list: src/policy/mode.ts.
// TODO(2026-12-05): fold SiteMode into Mode once page-protocol.ts and messages.ts are free to edit (issue #18).
export { MODES as SITE_MODES, isMode as isSiteMode, type Mode as SiteMode } from '../policy/mode';
