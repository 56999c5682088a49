//! The page around the app: what index.html leaves for the app to add once the first screen is
//! drawn.

/// Where the web app manifest is, beside `index.html`.
const MANIFEST: &str = "manifest.webmanifest";

/// Links the web app manifest (once). The browser fetches a linked manifest and its icons at
/// once, to decide whether the app can be installed; linked in index.html, those requests shared
/// a slow link with the desk's first download and delayed its first screen (docs/performance.md).
/// Installing works the same a moment later.
pub fn link_manifest() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if document.query_selector("link[rel=manifest]").ok().flatten().is_some() {
        return;
    }
    let (Some(head), Ok(link)) = (document.query_selector("head").ok().flatten(), document.create_element("link"))
    else {
        return;
    };
    let _ = link.set_attribute("rel", "manifest");
    let _ = link.set_attribute("href", MANIFEST);
    let _ = head.append_child(&link);
}
