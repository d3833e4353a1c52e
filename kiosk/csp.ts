/**
 * The renderer's Content Security Policy, sent by both hosts (the web host's responses,
 * Electron's session). renderer/index.html repeats it in a meta tag, without
 * frame-ancestors, which a meta tag cannot carry.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
