//! Time: the wall clock in Unix milliseconds, today's date in the device's time zone, a yield to
//! the browser between slices of work, and a wait.

use crate::domain::date::Date;
use crate::domain::model::Millis;

/// The current time in Unix milliseconds.
pub fn now_ms() -> Millis {
    js_sys::Date::now() as Millis
}

/// A monotonic clock in milliseconds with fractions (`performance.now()`), for timing work.
pub fn elapsed_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Today's date in the device's time zone.
pub fn today() -> Date {
    local_date(now_ms() as f64)
}

/// The date of a moment (ms since the epoch) in the device's time zone.
pub fn local_date(ms: f64) -> Date {
    let d = js_sys::Date::new(&ms.into());
    Date::new(d.get_full_year() as u16, d.get_month() as u8 + 1, d.get_date() as u8)
        .unwrap_or_else(|| Date::from_millis(ms as i64))
}

/// Lets the browser paint and handle input before the next slice of work.
pub async fn yield_now() {
    sleep(std::time::Duration::ZERO).await;
}

/// Waits until the page has painted a frame (the next animation frame, then a task after it):
/// what a screen shows first is on screen before heavier work starts.
pub async fn after_paint() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
    yield_now().await;
}

/// Waits `delay` after the first screen, then for a painted frame: for work the first screen does
/// not need (a chunk fetched ahead, a read whose result shows later), started so that it neither
/// competes with what that screen downloads nor runs as one long task with other such work.
pub async fn after_first_screen(delay: std::time::Duration) {
    sleep(delay).await;
    after_paint().await;
}

/// Waits `d` (a timer of the page; the task does nothing meanwhile).
pub async fn sleep(d: std::time::Duration) {
    let ms = d.as_millis().min(i32::MAX as u128) as i32;
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// A moment (ms since the epoch) as the local time of day, `HH:MM`.
pub fn local_time_of_day(ms: f64) -> String {
    let d = js_sys::Date::new(&ms.into());
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// A moment as its local time of day, with its date after it when it is not today
/// ("20:36（12月4日）", "20:36 (Dec 4)"): an approval of 24 hours ends tomorrow at this time.
pub fn local_moment(ms: f64, l: crate::domain::i18n::Locale) -> String {
    let d = js_sys::Date::new(&ms.into());
    let today = js_sys::Date::new_0();
    let time = local_time_of_day(ms);
    if (d.get_full_year(), d.get_month(), d.get_date()) == (today.get_full_year(), today.get_month(), today.get_date())
    {
        return time;
    }
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match l {
        crate::domain::i18n::Locale::Zh => format!("{time}（{}月{}日）", d.get_month() + 1, d.get_date()),
        _ => format!("{time} ({} {})", MONTHS[d.get_month() as usize % 12], d.get_date()),
    }
}

/// Minutes east of UTC of the device's time zone now (Beijing: 480).
pub fn utc_offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}
