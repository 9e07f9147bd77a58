// The per-site modes under their old names, for the files still being changed elsewhere that use them
// (page-protocol.ts, messages.ts, src/content/site-state.ts, test/e2e/harness/leak-tools.ts). The one
// list is MODES in src/policy/mode.ts; everything else imports Mode, MODES and isMode from there.
// TODO(2026-12-05): swap those imports and delete this file once they are free to edit (issue #18).
export { MODES as SITE_MODES, isMode as isSiteMode, type Mode as SiteMode } from '../policy/mode';
