import { describe, expect, it } from 'vitest';
import { classifyAddress, isPublicClass, type AddressClass } from '../../../src/policy/index';

describe('classifyAddress', () => {
  it.each<[string, AddressClass]>([
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'], ['10.255.255.255', 'private'], ['9.255.255.255', 'public'], ['11.0.0.0', 'public'],
    ['172.15.255.255', 'public'], ['172.16.0.0', 'private'], ['172.31.255.255', 'private'], ['172.32.0.0', 'public'],
    ['192.168.0.1', 'private'], ['192.167.255.255', 'public'], ['192.169.0.0', 'public'],
    ['169.254.1.1', 'link-local'], ['169.253.1.1', 'public'], ['169.255.1.1', 'public'],
    ['100.63.255.255', 'public'], ['100.64.0.0', 'cgnat'], ['100.127.255.255', 'cgnat'], ['100.128.0.0', 'public'],
    ['224.0.0.251', 'multicast'], ['239.255.255.255', 'multicast'], ['240.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'documentation'], ['198.51.100.10', 'documentation'], ['203.0.113.1', 'documentation'],
    ['192.0.3.1', 'public'], ['198.51.101.1', 'public'], ['203.0.114.1', 'public'], ['192.1.2.1', 'public'], ['198.52.100.1', 'public'],
    ['203.1.113.1', 'public'], ['8.8.8.8', 'public'],
    ['::', 'unspecified'], ['::1', 'loopback'], ['::2', 'unspecified'],
    ['fc00::1', 'private'], ['fdff:ffff::1', 'private'], ['fbff::1', 'public'],
    ['fe80::1', 'link-local'], ['febf::1', 'link-local'], ['fec0::1', 'private'], ['feff::1', 'private'], ['fe7f::1', 'public'],
    ['ff02::fb', 'multicast'], ['2001:db8::1', 'documentation'], ['2001:db9::1', 'public'], ['2001:d88::1', 'public'],
    ['2002:db8::1', 'public'], ['2001:0:db8::1', 'public'],
    ['3fff::1', 'documentation'], ['3fff:fff::1', 'documentation'], ['3fff:1000::1', 'public'], ['3ffe::1', 'public'],
    ['::ffff:10.0.0.1', 'private'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:8.8.8.8', 'public'], ['::10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'], ['64:ff9b::8.8.8.8', 'public'], ['64:ff9b:1::10.0.0.1', 'public'], ['64:ff9b::1:0:10.0.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
  ])('%s is %s', (a, c) => expect(classifyAddress(a)).toBe(c));

  it('is undefined for non-addresses', () => {
    expect(classifyAddress('example.com')).toBeUndefined();
    expect(classifyAddress('2130706433')).toBeUndefined();
  });

  it('counts public and documentation addresses as public, everything else as local', () => {
    const all: AddressClass[] = ['unspecified', 'loopback', 'private', 'link-local', 'cgnat', 'multicast', 'reserved', 'documentation', 'public'];
    expect(all.filter(isPublicClass)).toEqual(['documentation', 'public']);
  });
});
