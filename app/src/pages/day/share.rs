//! The receipt leaves the phone: drawn on a canvas as a PNG and handed to
//! the system's share sheet (`navigator.share` with files, where the
//! browser allows it) or downloaded; or printed, only the receipt, on the
//! paper chosen (the `@page` size is written into the page just before
//! `window.print()`; the print rules are at the end of style/main.css).
use super::receipt::Row;

/// The paper a receipt is printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Paper {
    /// 58 mm thermal roll.
    Mm58,
    /// 80 mm thermal roll.
    Mm80,
    A4,
}

impl Paper {
    pub fn code(self) -> &'static str {
        match self {
            Paper::Mm58 => "58",
            Paper::Mm80 => "80",
            Paper::A4 => "a4",
        }
    }

    pub fn parse(code: &str) -> Self {
        match code {
            "58" => Paper::Mm58,
            "a4" => Paper::A4,
            _ => Paper::Mm80,
        }
    }

    /// The `@page` rule for a receipt `height_mm` tall: a roll is cut to
    /// the receipt's length; A4 is a sheet with margins.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn page_rule(self, height_mm: u32) -> String {
        match self {
            Paper::Mm58 => format!("@page {{ size: 58mm {height_mm}mm; margin: 0; }}"),
            Paper::Mm80 => format!("@page {{ size: 80mm {height_mm}mm; margin: 0; }}"),
            Paper::A4 => "@page { size: A4; margin: 15mm; }".to_owned(),
        }
    }
}

/// How "Compartir" ended.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shared {
    Sent,
    Downloaded,
    Failed,
}

#[cfg(feature = "hydrate")]
mod imp {
    use super::{Paper, Row, Shared};
    use js_sys::{Array, Object, Promise, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

    /// 80 mm at a thermal printer's 203 dpi.
    const WIDTH: f64 = 576.0;
    const PAD: f64 = 24.0;
    const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

    fn font(ctx: &CanvasRenderingContext2d, px: u32, bold: bool) {
        let weight = if bold { "700" } else { "400" };
        ctx.set_font(&format!("{weight} {px}px {FONT}"));
    }

    fn width_of(ctx: &CanvasRenderingContext2d, text: &str) -> f64 {
        ctx.measure_text(text).map(|m| m.width()).unwrap_or(0.0)
    }

    /// `text` cut into lines no wider than `max` (by words; a word longer
    /// than a line stands alone).
    fn wrap(ctx: &CanvasRenderingContext2d, text: &str, max: f64) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && width_of(ctx, &candidate) > max {
                lines.push(std::mem::replace(&mut line, word.to_owned()));
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Draws every row; with `draw` false only measures. Returns the height.
    fn paint(ctx: &CanvasRenderingContext2d, rows: &[Row], draw: bool) -> f64 {
        let inner = WIDTH - 2.0 * PAD;
        let mut y = PAD;
        let text = |t: &str, x: f64, y: f64| {
            if draw {
                let _ = ctx.fill_text(t, x, y);
            }
        };
        ctx.set_text_baseline("top");
        for row in rows {
            match row {
                Row::Title(t) => {
                    font(ctx, 34, true);
                    ctx.set_text_align("center");
                    for l in wrap(ctx, t, inner) {
                        text(&l, WIDTH / 2.0, y);
                        y += 42.0;
                    }
                }
                Row::Center(t) | Row::Small(t) => {
                    let small = matches!(row, Row::Small(_));
                    font(ctx, if small { 20 } else { 24 }, false);
                    ctx.set_text_align("center");
                    for l in wrap(ctx, t, inner) {
                        text(&l, WIDTH / 2.0, y);
                        y += if small { 26.0 } else { 32.0 };
                    }
                }
                Row::Item(t) => {
                    font(ctx, 24, true);
                    ctx.set_text_align("left");
                    for l in wrap(ctx, t, inner) {
                        text(&l, PAD, y);
                        y += 32.0;
                    }
                }
                Row::Pair {
                    label,
                    value,
                    strong,
                    ..
                } => {
                    let px = if *strong { 30 } else { 24 };
                    font(ctx, px, *strong);
                    let value_w = width_of(ctx, value);
                    let lines = wrap(ctx, label, (inner - value_w - 16.0).max(inner / 3.0));
                    ctx.set_text_align("right");
                    text(value, WIDTH - PAD, y);
                    ctx.set_text_align("left");
                    for l in &lines {
                        text(l, PAD, y);
                        y += f64::from(px) + 8.0;
                    }
                }
                Row::Rule => {
                    y += 8.0;
                    if draw {
                        ctx.fill_rect(PAD, y, inner, 2.0);
                    }
                    y += 14.0;
                }
                Row::Stamp(t) => {
                    y += 6.0;
                    font(ctx, 48, true);
                    ctx.set_text_align("center");
                    if draw {
                        ctx.set_fill_style_str("#b91c1c");
                        let _ = ctx.fill_text(t, WIDTH / 2.0, y);
                        ctx.set_fill_style_str("#111111");
                    }
                    y += 62.0;
                }
            }
        }
        y + PAD
    }

    fn canvas() -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
        let canvas: HtmlCanvasElement = leptos::prelude::document()
            .create_element("canvas")
            .ok()?
            .dyn_into()
            .ok()?;
        canvas.set_width(WIDTH as u32);
        canvas.set_height(10);
        let ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some((canvas, ctx))
    }

    async fn png(rows: &[Row]) -> Option<web_sys::Blob> {
        let (canvas, ctx) = canvas()?;
        let height = paint(&ctx, rows, false).ceil();
        canvas.set_height(height as u32);
        // Resizing a canvas resets its state: paint again from scratch.
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, WIDTH, height);
        ctx.set_fill_style_str("#111111");
        paint(&ctx, rows, true);
        let blob = Promise::new(&mut |resolve, _reject| {
            let done = Closure::once_into_js(move |blob: JsValue| {
                let _ = resolve.call1(&JsValue::NULL, &blob);
            });
            let _ = canvas.to_blob_with_type(done.unchecked_ref(), "image/png");
        });
        JsFuture::from(blob).await.ok()?.dyn_into().ok()
    }

    fn file(blob: &web_sys::Blob, name: &str) -> Option<web_sys::File> {
        let options = web_sys::FilePropertyBag::new();
        options.set_type("image/png");
        web_sys::File::new_with_blob_sequence_and_options(&Array::of1(blob), name, &options).ok()
    }

    /// `navigator.share({files})` when `navigator.canShare` allows it;
    /// through `Reflect`, as browsers without the Web Share API have
    /// neither function.
    async fn share_file(file: &web_sys::File, title: &str) -> Option<bool> {
        let navigator: JsValue = web_sys::window()?.navigator().into();
        let data = Object::new();
        Reflect::set(&data, &"files".into(), &Array::of1(file)).ok()?;
        let can = Reflect::get(&navigator, &"canShare".into()).ok()?;
        let can: &js_sys::Function = can.dyn_ref()?;
        if !can.call1(&navigator, &data).ok()?.is_truthy() {
            return None;
        }
        Reflect::set(&data, &"title".into(), &title.into()).ok()?;
        let share = Reflect::get(&navigator, &"share".into()).ok()?;
        let share: &js_sys::Function = share.dyn_ref()?;
        let promise: Promise = share.call1(&navigator, &data).ok()?.dyn_into().ok()?;
        // A dismissed share sheet rejects: shared or not, the user chose.
        Some(JsFuture::from(promise).await.is_ok())
    }

    fn download(blob: &web_sys::Blob, name: &str) -> bool {
        let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
            return false;
        };
        let link = leptos::prelude::document()
            .create_element("a")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        let done = link.is_some();
        if let Some(link) = link {
            link.set_href(&url);
            link.set_download(name);
            link.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
        done
    }

    pub async fn share_png(rows: &[Row], name: &str) -> Shared {
        let Some(blob) = png(rows).await else {
            return Shared::Failed;
        };
        if let Some(file) = file(&blob, name) {
            if share_file(&file, name).await.is_some() {
                return Shared::Sent;
            }
        }
        if download(&blob, name) {
            Shared::Downloaded
        } else {
            Shared::Failed
        }
    }

    const STYLE_ID: &str = "receipt-page-size";

    pub fn print(paper: Paper) {
        let doc = leptos::prelude::document();
        let height_mm = doc
            .query_selector(".receipt-sheet")
            .ok()
            .flatten()
            .map(|e| e.get_bounding_client_rect().height())
            // CSS pixels are 96 per inch; a little over, so nothing is cut.
            .map_or(200, |px| (px * 25.4 / 96.0).ceil() as u32 + 8);
        let style = match doc.get_element_by_id(STYLE_ID) {
            Some(s) => Some(s),
            None => doc.create_element("style").ok().inspect(|s| {
                s.set_id(STYLE_ID);
                if let Some(head) = doc.head() {
                    let _ = head.append_child(s);
                }
            }),
        };
        if let Some(style) = style {
            style.set_text_content(Some(&paper.page_rule(height_mm)));
        }
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    }
}

#[cfg(feature = "hydrate")]
pub(super) use imp::{print, share_png};

#[cfg(not(feature = "hydrate"))]
pub(super) async fn share_png(_rows: &[Row], _name: &str) -> Shared {
    Shared::Failed
}

#[cfg(not(feature = "hydrate"))]
pub(super) fn print(_paper: Paper) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_paper_has_its_page_size() {
        for p in [Paper::Mm58, Paper::Mm80, Paper::A4] {
            assert_eq!(Paper::parse(p.code()), p);
        }
        assert_eq!(Paper::parse("?"), Paper::Mm80);
        assert_eq!(
            Paper::Mm58.page_rule(120),
            "@page { size: 58mm 120mm; margin: 0; }"
        );
        assert!(Paper::A4.page_rule(1).contains("size: A4"));
    }
}
