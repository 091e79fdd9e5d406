import { describe, expect, it } from 'vitest';
import { assertRpcAllowed, createRpc, isLoopbackUrl, RemoteRpcRefusedError } from './rpc.ts';

// Each row: a URL and whether the driver may send transactions there without --allow-remote.
const table: Array<[string, boolean, string]> = [
  ['http://127.0.0.1:8545', true, 'plain IPv4 loopback'],
  ['http://127.255.255.254', true, 'anywhere in 127.0.0.0/8'],
  ['https://localhost:8545/rpc', true, 'localhost, https, path'],
  ['http://LOCALHOST:8545', true, 'uppercase host'],
  ['http://[::1]:8545', true, 'IPv6 loopback'],
  ['http://[0:0:0:0:0:0:0:1]/', true, 'IPv6 loopback, long form'],
  ['http://127.1:8545', true, 'short IPv4 form (parsed to 127.0.0.1)'],
  ['http://2130706433/', true, 'decimal IPv4 form'],
  ['http://0x7f000001/', true, 'hex IPv4 form'],
  ['http://0x7f.1/', true, 'mixed hex IPv4 form'],
  ['http://0177.0.0.1/', true, 'octal IPv4 form'],
  ['http://127.0.0.1.:8545', true, 'IPv4 with a trailing dot (parsed to 127.0.0.1)'],
  ['http://evil.example@127.0.0.1:8545', true, 'userinfo does not count'],
  ['http://127.0.0.1:8545/@evil.example', true, 'path does not count'],
  ['http://127.0.0.1.nip.io:8545', false, 'a DNS name that starts with 127.'],
  ['http://127.0.0.1evil:8545', false, 'a DNS name glued to a loopback address'],
  ['http://127.0.0.1@evil.example:8545', false, 'loopback in userinfo, remote host'],
  ['http://localhost.evil.example', false, 'a DNS name that starts with localhost'],
  ['http://localhost.:8545', false, 'localhost. with a trailing dot is a DNS name'],
  ['http://[::ffff:127.0.0.1]:8545', false, 'IPv4-mapped IPv6 is not on the list'],
  ['http://0.0.0.0:8545', false, 'unspecified address'],
  ['http://[::]:8545', false, 'unspecified IPv6 address'],
  ['http://128.0.0.1', false, 'just outside 127.0.0.0/8'],
  ['http://203.0.113.7:8545', false, 'remote IPv4'],
  ['ws://127.0.0.1:8545', false, 'not http(s)'],
  ['127.0.0.1:8545', false, 'not a URL with a scheme'],
  ['not a url', false, 'unparseable'],
];

describe('isLoopbackUrl', () => {
  it.each(table)('%s → %s (%s)', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});

describe('assertRpcAllowed / createRpc: one rule wherever transactions are sent', () => {
  it('refuses a non-loopback URL without allowRemote, naming the URL and the flag', () => {
    for (const [url, loopback] of table) {
      if (loopback) {
        expect(() => assertRpcAllowed(url)).not.toThrow();
        continue;
      }
      expect(() => assertRpcAllowed(url), url).toThrow(RemoteRpcRefusedError);
      expect(() => assertRpcAllowed(url), url).toThrow('--allow-remote');
      expect(() => createRpc(url), url).toThrow(RemoteRpcRefusedError);
    }
  });

  it('opens a remote URL when allowRemote says so (no connection is made until a call)', () => {
    const rpc = createRpc('http://127.0.0.1.nip.io:8545', { allowRemote: true });
    expect(rpc.url).toBe('http://127.0.0.1.nip.io:8545');
    rpc.close();
  });
});
