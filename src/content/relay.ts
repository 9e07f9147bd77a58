// ISOLATED-world relay: the only path between the page shim and the extension (DESIGN.md §4.3).
// The page<->relay channel for candidates and modes is built by the page-shim work (issue #4);
// for now the relay only carries the test bridge in test builds.
import { installTestBridge } from './test-bridge';

if (__TEST__) installTestBridge();
