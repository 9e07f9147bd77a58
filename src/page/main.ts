// Runs in the page's world: no extension APIs.
// Entry of the MAIN-world shim, injected at document_start into every frame. The wrappers that close
// each leak channel are added by the page-shim work (issue #4); this entry must stay an IIFE bundle
// that leaves no global behind (test/unit/bundle.test.ts checks it).
import { markInjected } from './test-probe';

if (__TEST__) markInjected();
