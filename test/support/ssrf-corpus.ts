/**
 * URLs an attacker would hand the gateway to reach what it must not: cloud
 * metadata services, this host's loopback however it is spelt, private and
 * link-local ranges, IPv6 forms that carry an IPv4 address, credentials, odd
 * schemes and Unicode look-alikes. Where a port applies it is the canary's,
 * so that anything that gets through to loopback is counted.
 */

export interface CorpusUrl {
  url: string
  group: string
  /**
   * A name that passes the static check (it is resolved only when a connection
   * is made): refused at connect time, or never dialled when it is a redirect
   * or SSE endpoint elsewhere (those are not followed).
   */
  name?: true
}

/** Public-looking names and what the test resolver answers for them. */
export const RESOLVES: Record<string, string[]> = {
  'api.rebind.example.com': ['127.0.0.1'],
  'v6.rebind.example.com': ['::1'],
  'mapped.rebind.example.com': ['::ffff:127.0.0.1'],
  'compat.rebind.example.com': ['::7f00:1'],
  'nat64.rebind.example.com': ['64:ff9b::7f00:1'],
  'private.rebind.example.com': ['10.1.2.3'],
  'metadata.rebind.example.com': ['169.254.169.254'],
  'unspecified.rebind.example.com': ['0.0.0.0'],
}

export function corpus(port: number): CorpusUrl[] {
  const p = port
  const list: Array<[string, string[]]> = [
    ['cloud metadata', [
      `http://169.254.169.254:${p}/latest/meta-data/iam/security-credentials/`,
      `https://169.254.169.254:${p}/computeMetadata/v1/`,
      `https://metadata.google.internal:${p}/computeMetadata/v1/instance/service-accounts/default/token`,
      `https://metadata.google.internal.:${p}/computeMetadata/v1/`,
      `https://metadata:${p}/computeMetadata/v1/`,
      `https://metadata.goog:${p}/`,
      `https://[fd00:ec2::254]:${p}/latest/meta-data/`,
      `https://100.100.100.200:${p}/latest/meta-data/`,
      `https://169.254.170.2:${p}/v2/credentials`,
      `https://0xa9fea9fe:${p}/`,
      `https://2852039166:${p}/`,
      `https://[::ffff:169.254.169.254]:${p}/`,
    ]],
    ['IPv4 loopback', [
      `https://127.0.0.1:${p}/mcp`,
      `http://127.0.0.1:${p}/mcp`,
      `https://127.1:${p}/`,
      `https://0x7f.0.0.1:${p}/`,
      `https://0x7f000001:${p}/`,
      `https://2130706433:${p}/`,
      `https://017700000001:${p}/`,
      `https://0177.0.0.1:${p}/`,
      `https://127.000.000.001:${p}/`,
      `https://127.0.0.1.:${p}/`,
      `https://127.255.255.254:${p}/`,
      `https://0.0.0.0:${p}/`,
      `https://0:${p}/`,
    ]],
    ['IPv6 loopback', [
      `https://[::1]:${p}/`,
      `http://[::1]:${p}/`,
      `https://[0:0:0:0:0:0:0:1]:${p}/`,
      `https://[::ffff:127.0.0.1]:${p}/`,
      `https://[::ffff:7f00:1]:${p}/`,
      `https://[::]:${p}/`,
    ]],
    ['loopback names', [
      `https://localhost:${p}/`,
      `http://localhost:${p}/`,
      `https://localhost.:${p}/`,
      `https://LOCALHOST:${p}/`,
      `https://mcp.localhost:${p}/`,
    ]],
    ['private and special IPv4', [
      `https://10.0.0.1:${p}/`,
      `https://10.255.255.254:${p}/`,
      `https://172.16.0.1:${p}/`,
      `https://172.31.255.254:${p}/`,
      `https://192.168.0.1:${p}/`,
      `https://192.168.255.254:${p}/`,
      `https://100.64.0.1:${p}/`,
      `https://100.127.255.254:${p}/`,
      `https://169.254.0.1:${p}/`,
      `https://224.0.0.1:${p}/`,
      `https://239.255.255.250:${p}/`,
      `https://255.255.255.255:${p}/`,
      `https://198.18.0.1:${p}/`,
      `https://240.0.0.1:${p}/`,
    ]],
    ['private and special IPv6', [
      `https://[fe80::1]:${p}/`,
      `https://[fc00::1]:${p}/`,
      `https://[fd12:3456:789a::1]:${p}/`,
      `https://[ff02::1]:${p}/`,
      `https://[fec0::1]:${p}/`,
    ]],
    ['IPv6 carrying IPv4', [
      `https://[::a9fe:a9fe]:${p}/`,
      `https://[::7f00:1]:${p}/`,
      `https://[::127.0.0.1]:${p}/`,
      `https://[::ffff:0:7f00:1]:${p}/`,
      `https://[64:ff9b::7f00:1]:${p}/`,
      `https://[64:ff9b::a9fe:a9fe]:${p}/`,
      `https://[64:ff9b:1::a00:1]:${p}/`,
      `https://[2002:7f00:1::]:${p}/`,
      `https://[2002:a9fe:a9fe::1]:${p}/`,
      `https://[2001:0:7f00:1::]:${p}/`,
      `https://[2001:0:808:808::80ff:fffe]:${p}/`,
    ]],
    ['credentials', [
      `https://user:pass@127.0.0.1:${p}/`,
      `https://admin@localhost:${p}/`,
      'https://user:pass@mcp.example.com/mcp',
      `https://mcp.example.com@127.0.0.1:${p}/`,
    ]],
    ['odd schemes', [
      'file:///etc/passwd',
      `gopher://127.0.0.1:${p}/_GET%20/`,
      `ftp://127.0.0.1:${p}/`,
      'data:text/plain,hello',
      'javascript:alert(1)',
      `ws://127.0.0.1:${p}/`,
      `wss://127.0.0.1:${p}/`,
      `dict://127.0.0.1:${p}/`,
    ]],
    ['Unicode dots and digits', [
      `https://127。0。0。1:${p}/`,
      `https://127．0．0．1:${p}/`,
      `https://127｡0｡0｡1:${p}/`,
      `https://１２７.０.０.１:${p}/`,
      `https://①②⑦.⓪.⓪.①:${p}/`,
      `https://⑯⑨.②⑤④.⑯⑨.②⑤④:${p}/`,
      `https://ｌｏｃａｌｈｏｓｔ:${p}/`,
    ]],
  ]
  const out: CorpusUrl[] = list.flatMap(([group, urls]) => urls.map((url) => ({ url, group })))
  for (const host of Object.keys(RESOLVES)) out.push({ url: `https://${host}:${p}/mcp`, group: 'public-looking names resolving to private addresses', name: true })
  return out
}
