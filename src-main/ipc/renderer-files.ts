// The renderer build as both transports serve it (`quire serve` over HTTP, Electron's app://quire): its one content
// security policy, and which file of the build a URL path names — never one outside the folder, whatever the path
// says (`..`, encoded separators, a sibling folder sharing the name's prefix, malformed %-escapes).
import { join, normalize, resolve, sep } from 'node:path';

export const RENDERER_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
  "worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The path under `root` that a URL path names ('/' is index.html), or undefined when it would leave `root`. */
export function rendererFile(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;                                                            // not valid %-encoding
  }
  const base = resolve(root);
  const file = normalize(join(base, pathname === '/' ? 'index.html' : decoded));
  return file === base || file.startsWith(base + sep) ? file : undefined;
}
