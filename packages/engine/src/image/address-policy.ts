import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ModelError } from '@mlrpc/models';

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

/** The deprecated IPv4-compatible form `::a.b.c.d` (`::/96`): stacks may route it to the IPv4 host. */
const ipv4Compatible = ipaddr.parseCIDR('::/96');
/** Written `::1.2.3.4` (ipaddr.js reads that as IPv4-mapped), unlike `::ffff:1.2.3.4`. */
const compatibleDotted = /^::(?!ffff:)[\d.]+$/i;

/**
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries; IPv4-compatible
 * IPv6 (`::10.0.0.1`, `::a00:1`) is its own, reserved, range.
 */
function parse(address: string): Parsed {
  if (compatibleDotted.test(address)) return ipaddr.parse('::');
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
    ? (parsed as ipaddr.IPv6).toIPv4Address()
    : parsed;
}

/** ipaddr.js's range, with `::/96` reserved (ipaddr.js calls it unicast). */
function rangeOf(address: Parsed): string {
  if (address.kind() === 'ipv6' && address.match(ipv4Compatible)) return 'reserved';
  return address.range();
}

/**
 * Only globally routable unicast addresses: not loopback, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), link-local (169.254/16 with the cloud metadata service, fe80::/10), carrier-grade
 * NAT, multicast, unspecified, reserved, or the IPv6 ranges that embed IPv4 (NAT64, 6to4, Teredo,
 * IPv4-compatible `::/96`).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return rangeOf(parse(address)) === 'unicast';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Which hosts a server may fetch images from: public addresses, plus an allowlist of host names,
 * addresses and CIDR ranges (for internal image stores). Every hop is checked before connecting,
 * and the connection itself resolves through `lookup`, so a DNS answer cannot change in between.
 */
export class AddressPolicy {
  private readonly hosts = new Set<string>();
  private readonly ranges: Array<[Parsed, number]> = [];

  constructor(allow: readonly string[] = []) {
    for (const raw of allow) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      if (entry.includes('/')) this.ranges.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry.replace(/^\[|\]$/g, ''))) {
        const address = parse(entry.replace(/^\[|\]$/g, ''));
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(entry);
    }
  }

  allowsAddress(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    const parsed = parse(address);
    return (
      rangeOf(parsed) === 'unicast' ||
      this.ranges.some(([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits))
    );
  }

  /** Resolves a URL's host and refuses it unless every address it has is allowed. */
  async check(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.hosts.has(host)) return;
    const addresses = isIP(host)
      ? [host]
      : (await lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
    if (addresses.length === 0) return; // unresolvable: the fetch fails with ENOTFOUND
    const refused = addresses.find((address) => !this.allowsAddress(address));
    if (refused !== undefined) {
      throw new ModelError(
        'IMAGE_FETCH_FAILED',
        `refusing to fetch from ${url.host}: ${refused === host ? 'it is' : `it resolves to ${refused},`} a private, loopback or link-local address (IMAGE_FETCH_ALLOW lists exceptions)`,
      );
    }
  }

  /** A `dns.lookup` for sockets that answers only with allowed addresses. */
  readonly lookup = (
    hostname: string,
    options: LookupOneOptions | LookupAllOptions,
    callback: LookupCallback,
  ): void => {
    const host = hostname.toLowerCase();
    lookup(host, { all: true, family: options.family ?? 0 }).then(
      (entries) => {
        const allowed = this.hosts.has(host)
          ? entries
          : entries.filter((entry) => this.allowsAddress(entry.address));
        if (allowed.length === 0 || allowed.length < entries.length) {
          const error: NodeJS.ErrnoException = new Error(
            `${hostname} resolves to a refused address`,
          );
          error.code = 'EADDRNOTALLOWED';
          callback(error, []);
          return;
        }
        if (options.all) callback(null, allowed);
        else callback(null, allowed[0]?.address ?? '', allowed[0]?.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
