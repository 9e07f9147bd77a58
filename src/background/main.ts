// Background entry: a service worker in Chrome, an event page in Firefox. Handlers are registered at
// top level, synchronously, because the worker may be stopped and restarted at any moment.
import { installTestBridge } from './test-bridge';

if (__TEST__) installTestBridge();
