// Build-time flags, replaced by esbuild `define` in build.mjs (the only place they are set).

/** Which browser this bundle is for. */
declare const __BROWSER__: 'chrome' | 'firefox';
/** True only in test builds (dist/test/...): compiles in the test bridge; never in release zips. */
declare const __TEST__: boolean;
/** True only in the fuzzer's deliberately broken build (`node build.mjs --fuzz-broken`): child frames stay unpatched. */
declare const __FUZZ_BROKEN__: boolean;
