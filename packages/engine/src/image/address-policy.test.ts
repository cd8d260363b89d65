import { describe, expect, it } from 'vitest';
import { AddressPolicy, isPublicAddress } from './address-policy.js';

// Decided from the address alone: nothing here connects anywhere.
describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'IPv6 loopback'],
    ['10.1.2.3', '10/8'],
    ['172.16.0.1', '172.16/12'],
    ['172.31.255.254', '172.16/12'],
    ['192.168.1.1', '192.168/16'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['fd00:ec2::254', 'AWS IPv6 metadata (unique local)'],
    ['100.100.100.200', 'Alibaba metadata (carrier-grade NAT)'],
    ['fe80::1', 'IPv6 link-local'],
    ['fc00::1', 'IPv6 unique local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['::127.0.0.1', 'IPv4-compatible loopback (::/96)'],
    ['::7f00:1', 'IPv4-compatible loopback, hex form'],
    ['::a9fe:a9fe', 'IPv4-compatible cloud metadata'],
    ['::8.8.8.8', 'IPv4-compatible (deprecated, never public)'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'IPv6 unspecified'],
    ['224.0.0.1', 'multicast'],
    ['not-an-address', 'not an address'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('AddressPolicy', () => {
  it('lets an allowlist of hosts, addresses and ranges through', () => {
    const policy = new AddressPolicy(['10.0.0.0/8', '127.0.0.2', 'images.internal', '[::1]']);
    expect(policy.allowsAddress('10.20.30.40')).toBe(true);
    expect(policy.allowsAddress('127.0.0.2')).toBe(true);
    expect(policy.allowsAddress('127.0.0.1')).toBe(false);
    expect(policy.allowsAddress('::1')).toBe(true);
    expect(policy.allowsAddress('192.168.0.1')).toBe(false);
  });

  it('refuses a URL whose host is, or resolves to, a refused address', async () => {
    const policy = new AddressPolicy();
    await expect(policy.check(new URL('http://169.254.169.254/latest/meta-data'))).rejects.toThrow(
      /refusing to fetch from 169\.254\.169\.254/,
    );
    await expect(policy.check(new URL('http://[::1]:8080/x.png'))).rejects.toMatchObject({
      code: 'IMAGE_FETCH_FAILED',
    });
    await expect(policy.check(new URL('http://[::127.0.0.1]/x.png'))).rejects.toMatchObject({
      code: 'IMAGE_FETCH_FAILED',
    });
    // `localhost` resolves (from /etc/hosts, no network) to loopback.
    await expect(policy.check(new URL('http://localhost/x.png'))).rejects.toThrow(
      /resolves to (127\.0\.0\.1|::1)/,
    );
  });
});
