// The page's own script (index.html loads it at the end of <body>; no inline script, so the
// endpoint's content security policy can forbid them). Trunk copies it with a content hash.

// The language the app will show: the saved one (app/prefs.rs: "dangan.locale", JSON "Zh" or
// "En"), else the browser's. Kept for the page's loader (the boot script scripts/sw.mjs writes,
// a module, so it runs after this), which fetches that language's messages beside the wasm.
(() => {
  let l = null;
  try { l = JSON.parse(localStorage.getItem('dangan.locale')); } catch (e) {}
  if (l !== 'Zh' && l !== 'En') l = /^zh/i.test(navigator.language || '') ? 'Zh' : 'En';
  globalThis.danganLang = l;
  if (l === 'En') {
    document.documentElement.lang = 'en';
    for (const el of document.querySelectorAll('#shell [data-en]')) el.textContent = el.dataset.en;
  }
})();

// The web app manifest, linked a second after the page has loaded (the desk's wasm is in by then:
// the page waits for its preload). The browser fetches a linked manifest and its icons at once,
// for installability; linked in index.html, they shared a slow link with the desk's download and
// delayed its first screen (docs/performance.md). Installing works the same a moment later.
addEventListener('load', () => setTimeout(() => {
  const link = document.createElement('link');
  link.rel = 'manifest';
  link.href = 'manifest.webmanifest';
  document.head.append(link);
}, 1000));

// Offline start: the service worker precaches this build (see scripts/sw.mjs). A new build
// waits; the app shows "a new version is ready" and calls __danganApplyUpdate on consent.
if ('serviceWorker' in navigator) addEventListener('load', async () => {
  try {
    const reg = await navigator.serviceWorker.register('./sw.js');
    const announce = () => {
      if (reg.waiting && navigator.serviceWorker.controller) {
        window.__danganUpdateReady = true;
        dispatchEvent(new CustomEvent('dangan-update-ready'));
      }
    };
    const watch = (w) => w?.addEventListener('statechange', () => { if (w.state === 'installed') announce(); });
    announce();
    watch(reg.installing);
    reg.addEventListener('updatefound', () => watch(reg.installing));
    window.__danganApplyUpdate = () => {
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      reg.waiting?.postMessage('skip-waiting');
    };
    setInterval(() => reg.update().catch(() => {}), 30 * 60 * 1000);
  } catch (e) {
    console.warn('service worker not registered', e);
  }
});
