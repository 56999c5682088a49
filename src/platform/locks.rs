//! Web Locks: run a task while holding a lock shared by every tab of this origin.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The lock could not be asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the Web Locks API refused the request")]
pub struct LockError;

/// Runs `task` holding the lock `name` if no other tab holds it: `Ok(Some(output))`, or
/// `Ok(None)` when another tab holds it (the task is not run). A browser without Web Locks runs
/// the task at once.
pub async fn if_available<T: 'static>(
    name: &str,
    task: impl Future<Output = T> + 'static,
) -> Result<Option<T>, LockError> {
    request(name, true, task).await
}

/// Runs `task` holding the lock `name`, waiting first while another tab holds it (as long as that
/// takes). A browser without Web Locks runs the task at once.
pub async fn hold<T: 'static>(name: &str, task: impl Future<Output = T> + 'static) -> Result<T, LockError> {
    request(name, false, task).await?.ok_or(LockError)
}

async fn request<T: 'static>(
    name: &str,
    if_available: bool,
    task: impl Future<Output = T> + 'static,
) -> Result<Option<T>, LockError> {
    let locks = web_sys::window()
        .map(|w| w.navigator())
        .and_then(|n| js_sys::Reflect::get(&n, &"locks".into()).ok())
        .filter(|l| !l.is_undefined());
    let Some(locks) = locks else {
        return Ok(Some(task.await));
    };
    let outcome: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let slot = outcome.clone();
    let mut task = Some(task);
    let callback = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        if lock.is_null() {
            return js_sys::Promise::resolve(&JsValue::FALSE);
        }
        let task = task.take().expect("called once");
        wasm_bindgen_futures::future_to_promise(async move {
            *slot.borrow_mut() = Some(task.await);
            Ok(JsValue::TRUE)
        })
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::from_bool(if_available));
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or(LockError)?;
    let promise = request
        .call3(&locks, &name.into(), &options, &callback)
        .map_err(|_| LockError)?
        .unchecked_into::<js_sys::Promise>();
    let _ = JsFuture::from(promise).await;
    let result = outcome.borrow_mut().take();
    Ok(result)
}
