// Every text IceGuard shows is written for someone who has never heard of ICE (issue #17): protocol
// terms appear only after "Details:", where a curious reader or a support person finds them.
import { describe, expect, it } from 'vitest';
import { mergeLocales } from '../../../build.mjs';

/** Terms a non-expert cannot be expected to know, in any language. */
const JARGON = [/\bcandidates?\b/i, /\bKandidat/i, /\bRFC\b/, /\bsrflx\b/i, /\bmDNS\b/, /\bTURN\b/, /\bUDP\b/, /\bICE\b/, /\bfloor\b/i, /\bUntergrenze\b/i, /\bstrict\b/i, /\bstreng\b/i, /\.local\b/];
const DETAILS = /\sDetails: [^]*$/;

const messages = await mergeLocales();

describe.each(Object.keys(messages))('%s', (lang) => {
  it('uses no protocol term outside a "Details:" sentence', () => {
    const found: string[] = [];
    for (const [key, value] of Object.entries(messages[lang] as Record<string, { message: string; description?: string }>)) {
      const shown = value.message.replace(DETAILS, '').replace(/\$\w+\$/g, ''); // placeholders are names, not words
      for (const term of JARGON) if (term.test(shown)) found.push(`${key}: ${term.source}`);
    }
    expect(found).toEqual([]);
  });
});
