//! Pictures made smaller on the device (issue 19): a thumbnail of a photo and a large photo
//! brought down to a sensible size, with the browser's own decoder (`createImageBitmap`, which
//! also turns a photo upright by its orientation tag) and an `OffscreenCanvas` that encodes JPEG.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a picture could not be made smaller.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The browser cannot decode it (HEIC on most browsers, a damaged file).
    #[error("the browser cannot read this picture")]
    Undecodable,
    /// Drawing or encoding failed (the browser's words).
    #[error("the picture could not be drawn: {0}")]
    Failed(String),
}

fn failed(e: JsValue) -> ImageError {
    ImageError::Failed(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

/// A picture's bytes brought down so that its longer side is at most `side` px, as JPEG of
/// `quality` (0–1), on a white ground (a transparent PNG stays readable). `None` when it is no
/// larger than `side` already and `only_if_larger`.
pub async fn shrink(
    bytes: &[u8],
    mime: &str,
    side: u32,
    quality: f64,
    only_if_larger: bool,
) -> Result<Option<Vec<u8>>, ImageError> {
    let window = web_sys::window().ok_or_else(|| ImageError::Failed("no window".into()))?;
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&Array::of1(&Uint8Array::from(bytes)), &opts)
        .map_err(failed)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(&blob).map_err(failed)?)
        .await
        .map_err(|_| ImageError::Undecodable)?
        .unchecked_into();
    let (w, h) = (bitmap.width(), bitmap.height());
    let longer = w.max(h);
    if longer == 0 {
        return Err(ImageError::Undecodable);
    }
    if only_if_larger && longer <= side {
        bitmap.close();
        return Ok(None);
    }
    let scale = (side as f64 / longer as f64).min(1.0);
    let (tw, th) = (((w as f64 * scale).round() as u32).max(1), ((h as f64 * scale).round() as u32).max(1));
    // Resized by the browser's high-quality filter, then drawn once.
    let resize = web_sys::ImageBitmapOptions::new();
    resize.set_resize_width(tw);
    resize.set_resize_height(th);
    resize.set_resize_quality(web_sys::ResizeQuality::High);
    let small: web_sys::ImageBitmap = JsFuture::from(
        window.create_image_bitmap_with_image_bitmap_and_image_bitmap_options(&bitmap, &resize).map_err(failed)?,
    )
    .await
    .map_err(failed)?
    .unchecked_into();
    bitmap.close();
    let canvas = web_sys::OffscreenCanvas::new(tw, th).map_err(failed)?;
    let ctx: web_sys::OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(failed)?
        .ok_or_else(|| ImageError::Failed("no 2d context".into()))?
        .unchecked_into();
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, tw as f64, th as f64);
    ctx.draw_image_with_image_bitmap(&small, 0.0, 0.0).map_err(failed)?;
    small.close();
    let enc = web_sys::ImageEncodeOptions::new();
    enc.set_type("image/jpeg");
    enc.set_quality(quality);
    let out: web_sys::Blob = JsFuture::from(canvas.convert_to_blob_with_options(&enc).map_err(failed)?)
        .await
        .map_err(failed)?
        .unchecked_into();
    let buf = JsFuture::from(out.array_buffer()).await.map_err(failed)?;
    Ok(Some(Uint8Array::new(&buf).to_vec()))
}
