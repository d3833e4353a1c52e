// The console's style sheet, served as /console/console.css (the CSP allows no inline style).
// Colours chosen for WCAG AA contrast; a status is always said in words too, never by colour alone.
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #003082; --bg: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .75rem 1rem; background: #ffc917; }
header .brand { font-weight: 700; margin: 0; }
header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header nav a { color: #1a1a1a; }
header nav a[aria-current="page"] { font-weight: 700; }
header form { margin: 0; }
.who { margin: 0 0 0 auto; }
main { padding: 1rem; max-width: 80rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { background: #f2f2f2; }
.status { display: inline-block; padding: 0 .5rem; border-radius: .25rem; font-weight: 700; }
.status-green { background: #d7f2dd; color: #0b4d1c; }
.status-amber { background: #ffe9b3; color: #5c3c00; }
.status-red { background: #b00020; color: #ffffff; }
.status-never { background: #e6e6e6; color: #1a1a1a; }
tr.kiosk-red td { background: #fde8eb; }
label { display: block; font-weight: 600; margin-top: .5rem; }
input[type="text"], input[type="password"], input[type="search"], textarea { font: inherit; padding: .4rem; border: 1px solid #6b6b6b; border-radius: .25rem; min-width: 16rem; }
button { font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: .25rem; cursor: pointer; min-height: 2.5rem; }
button.secondary { background: #fff; color: var(--accent); }
.notice { padding: .5rem 1rem; border-left: .3rem solid var(--accent); background: #eef2fa; }
.error { padding: .5rem 1rem; border-left: .3rem solid #b00020; background: #fde8eb; }
.hint { color: var(--muted); margin: .25rem 0; }
.lang { display: flex; gap: .5rem; list-style: none; margin: 0; padding: 0; }
`;

/**
 * Refreshes the fleet table in place every `data-refresh` ms, and goes to the login when the
 * session has ended (served as /console/console.js: no inline script).
 */
export const CONSOLE_JS = `
(() => {
  const section = document.querySelector('[data-refresh]');
  if (!section) return;
  const every = Number(section.getAttribute('data-refresh')) || 10000;
  const tick = async () => {
    try {
      const response = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      // The session ended (sent to the login): go there rather than show a fleet that no longer moves.
      if (response.redirected) {
        location.assign(response.url);
        return;
      }
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        const fresh = page.querySelector('[data-refresh]');
        if (fresh) section.replaceChildren(...fresh.childNodes);
      }
    } catch {}
    setTimeout(tick, every);
  };
  setTimeout(tick, every);
})();
`;
