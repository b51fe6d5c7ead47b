/**
 * The Content Security Policy of the workspace, sent as a response header by the desktop window's
 * protocol and by the web host: only Keel's own scripts, styles and connections; no inline script, no
 * frames, no plugins, and no page may frame Keel.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The same policy as index.html declares it in its `<meta>`, a second line of defence should a page
 * ever be served without the header. `frame-ancestors` is left out: a browser ignores it in a `<meta>`
 * and logs an error on every page load, so it lives in the header alone.
 */
export const metaContentSecurityPolicy = contentSecurityPolicy
  .split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors '))
  .join('; ');
