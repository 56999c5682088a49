//! Parts of the desk fetched on first use rather than with the first download (issue 13).
//!
//! A function written inside [`lazy_fn!`] becomes `async` and returns `Result<_, Unloaded>`. In
//! the desk's own build (feature `split`, index.html) its code goes into a chunk of its own: the
//! linked wasm is split by `scripts/split.mjs` (wasm-split-cli), the first call fetches the chunk
//! and instantiates it in the desk's memory, and the service worker precaches every chunk so a
//! later call works offline. Every other build (the office module, the benchmark page, the wasm
//! tests) calls the function directly, and the call is ready at its first poll.
//!
//! Chunks are named after the first argument: functions naming the same chunk share it.
//! `lazy_fn! { chunk, preload name; fn … }` also declares `async fn name()`, which fetches the
//! chunk without calling anything in it (the profile page and form, right after the first paint).
//! The body is a block; `?` and `return` in it answer for the function's own return type.
//!
//! To make a part lazy: move what it draws into a `lazy_fn!` returning `AnyView` and show it with
//! [`lazy_view`]; a service's function returns its value and the caller handles `Unloaded` (the
//! chunk could not be fetched: offline before the service worker cached it).

use crate::domain::i18n::Msg;
use crate::ui::t;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::future::Future;

/// A chunk could not be fetched (offline before the service worker had cached it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a part of the app could not be fetched")]
pub struct Unloaded;

impl From<leptos::wasm_split::SplitLoaderError> for Unloaded {
    fn from(e: leptos::wasm_split::SplitLoaderError) -> Self {
        web_sys::console::warn_1(&format!("a part of the app did not load: {e}").into());
        Unloaded
    }
}

/// Declares a function the desk loads on first use; see the module's documentation.
macro_rules! lazy_fn {
    // Outside the desk's build the chunk is always there: the preload has nothing to fetch.
    (@preload $vis:vis $pre:ident) => {
        #[cfg(not(feature = "split"))]
        #[allow(clippy::unused_async)]
        $vis async fn $pre() -> ::core::result::Result<(), ::leptos::wasm_split::SplitLoaderError> {
            ::core::result::Result::Ok(())
        }
    };
    ($chunk:ident $(, preload $pre:ident)?; $(#[$m:meta])* $vis:vis fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible $(, preload($pre))?)]
        $(#[$m])* #[allow(clippy::redundant_closure_call)]
        $vis fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::lazy::Unloaded> {
            ::core::result::Result::Ok((move || $body)())
        }
        #[cfg(not(feature = "split"))]
        $(#[$m])* #[allow(clippy::unused_async, clippy::redundant_closure_call)]
        $vis async fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::lazy::Unloaded> {
            ::core::result::Result::Ok((move || $body)())
        }
        $($crate::lazy::lazy_fn!(@preload $vis $pre);)?
    };
    ($chunk:ident $(, preload $pre:ident)?; $(#[$m:meta])* $vis:vis async fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $ret:ty $body:block) => {
        #[cfg(feature = "split")]
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible $(, preload($pre))?,
            return_wrapper(let future = _; { ::core::result::Result::Ok(future.await) } -> ::core::result::Result<$ret, $crate::lazy::Unloaded>))]
        $(#[$m])* #[allow(unreachable_code)]
        $vis fn $name($($arg: $ty),*) -> ::core::pin::Pin<::std::boxed::Box<dyn ::core::future::Future<Output = $ret>>> {
            ::std::boxed::Box::pin(async move $body)
        }
        #[cfg(not(feature = "split"))]
        $(#[$m])* #[allow(unreachable_code)]
        $vis async fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::lazy::Unloaded> {
            ::core::result::Result::Ok(async move $body.await)
        }
        $($crate::lazy::lazy_fn!(@preload $vis $pre);)?
    };
}
pub(crate) use lazy_fn;

/// Shows what `load` draws once its chunk is there: nothing while it loads (from the service
/// worker's cache that is a moment), and where it could not be fetched, a message with a retry.
pub fn lazy_view<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<AnyView, Unloaded>> + 'static,
{
    lazy_parts(load, None)
}

/// [`lazy_view`] for a whole screen: "正在载入此页面…" while its chunk is fetched (a clerk who
/// opens a profile before the chunk fetched ahead is in sees that, not an empty page).
pub fn lazy_screen<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<AnyView, Unloaded>> + 'static,
{
    lazy_parts(load, Some(RwSignal::new(true)))
}

/// What `load` draws, and while it is pending and `loading` is given, a waiting line (a signal
/// rather than `<Suspense>`, whose code would join the first download).
fn lazy_parts<F, Fut>(load: F, loading: Option<RwSignal<bool>>) -> impl IntoView
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<AnyView, Unloaded>> + 'static,
{
    let load = SendWrapper::new(load);
    let attempt = RwSignal::new(0u32);
    let waiting = move || {
        loading.is_some_and(|l| l.get()).then(|| crate::ui::shell::waiting(Msg::ScreenLoading, "screen-loading"))
    };
    let part = move || {
        attempt.track();
        if let Some(l) = loading.filter(|l| !l.get_untracked()) {
            l.set(true);
        }
        let fut = SendWrapper::new(load());
        Suspend::new(async move {
            let shown = match fut.await {
                Ok(v) => v,
                Err(Unloaded) => view! {
                    <div class="card part-error" role="alert" data-testid="part-error">
                        <p class="error-text">{t(Msg::PartFailed)}</p>
                        <button class="btn" on:click=move |_| attempt.update(|n| *n += 1)>{t(Msg::Retry)}</button>
                    </div>
                }
                .into_any(),
            };
            if let Some(l) = loading {
                l.set(false);
            }
            shown
        })
    };
    (waiting, part)
}
