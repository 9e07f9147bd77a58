// Finds a host's addresses in anything a page saw, in every spelling a page could print them.

/** The spellings of one IPv6 address: compressed, zero-padded, unpadded, and IPv4-in-IPv6 forms. */
export function ipv6Spellings(address: string): string[] {
  const groups = expandIpv6(address);
  const unpadded = groups.map((g) => parseInt(g, 16).toString(16));
  return [...new Set([compressIpv6(unpadded), groups.join(':'), unpadded.join(':')])];
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  const groups = [...left, ...fill, ...right];
  if (groups.length !== 8) throw new Error(`not an IPv6 address: ${address}`);
  return groups.map((g) => g.padStart(4, '0'));
}

function compressIpv6(groups: string[]): string {
  // RFC 5952 §4.2: the longest run of two or more zero groups becomes "::" (the first one on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function ipv4Spellings(address: string): string[] {
  const octets = address.split('.').map(Number);
  const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
  // Dotted (also catches ::ffff:a.b.c.d) and the IPv4-mapped hex form ::ffff:xxxx:xxxx.
  return [address, `::ffff:${hex(octets[0]!, octets[1]!)}:${hex(octets[2]!, octets[3]!)}`];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Returns the addresses (as given) that occur in `text`, in any of their spellings. */
export function findAddresses(text: string, addresses: string[]): string[] {
  const found: string[] = [];
  for (const address of addresses) {
    const spellings = address.includes(':') ? ipv6Spellings(address) : ipv4Spellings(address);
    const hit = spellings.some((s) => {
      const body = escape(s);
      // Not part of a longer number or address (198.51.100.10 must not match 198.51.100.101).
      const re = address.includes(':') || s.includes(':')
        ? new RegExp(`(?<![0-9a-f:])${body}(?![0-9a-f:])`, 'i')
        : new RegExp(`(?<![0-9.])${body}(?![0-9])`);
      return re.test(text);
    });
    if (hit) found.push(address);
  }
  return found;
}
