/**
 * Which `Host` headers the server answers, against DNS rebinding: a page on evil.example whose name
 * is re-pointed at 127.0.0.1 reaches this server from the victim's browser as same-origin, but its
 * requests still say `Host: evil.example`. Ports are ignored: the listening socket already fixed it.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

function isWildcard(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::';
}

/** How a host appears in a Host header: IPv6 literals in brackets, lower case. */
function headerForm(host: string): string {
  const h = host.toLowerCase();
  return isIP(h) === 6 ? `[${h}]` : h;
}

/**
 * The allow-list: ALLOWED_HOSTS when set; otherwise the loopback names, plus the bound address
 * (or, on a wildcard bind, this machine's interface addresses: an IP literal is its own origin, so
 * it cannot be rebound).
 */
export function allowedHostNames(bindHost: string, configured: readonly string[] | undefined): ReadonlySet<string> {
  if (configured) return new Set(configured.map((h) => h.toLowerCase()));
  const names = new Set(LOOPBACK_NAMES);
  if (isWildcard(bindHost)) {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(headerForm(i.address));
  } else {
    names.add(headerForm(bindHost));
  }
  return names;
}

/** The host part of a Host header (`example.org:4000` → `example.org`, `[::1]:4000` → `[::1]`), or null if malformed. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/.exec(header.trim());
  return m ? m[1]!.toLowerCase().replace(/\.$/, '') : null;
}

export function hostAllowed(allowed: ReadonlySet<string>, header: string | undefined): boolean {
  const name = hostName(header);
  return name !== null && allowed.has(name);
}
