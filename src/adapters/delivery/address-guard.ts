/**
 * Webhook URLs are typed in by coordinators, so by default they must not reach the installation's
 * own machine or networks: loopback, private and carrier-grade NAT ranges, link-local (where cloud
 * metadata answers, 169.254.169.254), unique-local, multicast and reserved addresses, also when an
 * IPv6 form carries them (mapped, NAT64, 6to4; Teredo refused whole). The check is
 * made when the connection is opened, on the very addresses it is opened to, so a DNS answer that
 * changes between a check and the connection cannot slip through.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';

/** AMPARO_WEBHOOK_PRIVATE_NETWORKS: `allow` for a bridge on the same machine or its own LAN. */
export const PRIVATE_NETWORK_POLICIES = ['refuse', 'allow'] as const;
export type PrivateNetworkPolicy = (typeof PRIVATE_NETWORK_POLICIES)[number];

/** [first address, prefix length] of the IPv4 ranges a webhook may not reach. */
const PRIVATE_IPV4_RANGES: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network", with the unspecified address
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, with the broadcast address
];

/** [first address, prefix length] of the IPv6 ranges a webhook may not reach. */
const PRIVATE_IPV6_RANGES: readonly (readonly [string, number])[] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
];

/**
 * IPv6 prefixes whose last 32 bits are an IPv4 address that the packets end up at: IPv4-mapped
 * (`::ffff:10.0.0.1`) and NAT64's well-known prefix. Each private IPv4 range is refused inside them.
 */
const IPV4_CARRYING_PREFIXES = ['::ffff:', '64:ff9b::'] as const;

/**
 * IPv6 ranges refused whole: the deprecated IPv4-compatible form (`::10.0.0.1`), and Teredo, whose
 * client address is stored inverted (so a private one hides easily) and which no receiver needs.
 */
const REFUSED_TUNNEL_RANGES: readonly (readonly [string, number])[] = [
  ['::', 96], // IPv4-compatible
  ['2001::', 32], // Teredo
];

/** 6to4 (`2002::/16`) carries the IPv4 address in the 32 bits after its prefix: `2002:0a00:0001::`. */
const sixToFour = (ipv4: string): string => {
  const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
  return `2002:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}::`;
};

const privateRanges = new BlockList();
for (const [address, bits] of PRIVATE_IPV4_RANGES) {
  privateRanges.addSubnet(address, bits, 'ipv4');
  for (const prefix of IPV4_CARRYING_PREFIXES) privateRanges.addSubnet(`${prefix}${address}`, 96 + bits, 'ipv6');
  privateRanges.addSubnet(sixToFour(address), 16 + bits, 'ipv6');
}
for (const [address, bits] of [...PRIVATE_IPV6_RANGES, ...REFUSED_TUNNEL_RANGES]) {
  privateRanges.addSubnet(address, bits, 'ipv6');
}

/**
 * True when `address` is in one of the ranges above. Anything that is not an IP address counts as
 * private too: the guard lets through only what it can tell is public.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A connection refused by the guard; `postOnce` records it as 'private address'. */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';

  constructor() {
    super('private address');
    this.name = 'PrivateAddressError';
  }
}

/**
 * A `lookup` for `net.connect`: resolves the name as usual and hands the socket the addresses to
 * connect to only when none of them is private (a name that answers with a private address among
 * public ones is refused whole, as a rebinding attempt would).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, []);
    const [first] = addresses;
    if (!first || addresses.some(({ address }) => isPrivateAddress(address))) {
      return callback(new PrivateAddressError(), []);
    }
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  });
};

/**
 * An undici dispatcher whose connections reach public addresses only: host names through
 * `publicOnlyLookup`, literal IPs (which `net.connect` does not look up) checked as they are.
 */
export function publicOnlyDispatcher(): Agent {
  const connect = buildConnector({ lookup: publicOnlyLookup });
  return new Agent({
    connect(options, callback) {
      if (isIP(options.hostname) !== 0 && isPrivateAddress(options.hostname)) {
        callback(new PrivateAddressError(), null);
        return;
      }
      connect(options, callback);
    },
  });
}
