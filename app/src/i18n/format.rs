//! How values from the wire are written for people: numbers and money in
//! the language's style, times in the business's zone, day names.
use super::Lang;
use ruta_shared::money::parse_decimal_text;

/// The server's Spanish day name (`LUNES`, `MIÉRCOLES`) as shown.
pub fn day_name(lang: Lang, day: &str) -> String {
    const DAYS: &[(&str, &str, &str)] = &[
        ("LUNES", "Lunes", "Monday"),
        ("MARTES", "Martes", "Tuesday"),
        ("MIÉRCOLES", "Miércoles", "Wednesday"),
        ("JUEVES", "Jueves", "Thursday"),
        ("VIERNES", "Viernes", "Friday"),
        ("SÁBADO", "Sábado", "Saturday"),
        ("DOMINGO", "Domingo", "Sunday"),
    ];
    DAYS.iter()
        .find(|(d, _, _)| *d == day)
        .map(|(_, es, en)| if lang == Lang::Es { *es } else { *en })
        .unwrap_or(day)
        .to_owned()
}

/// A wire decimal (`"1500.500"`) as people read it: no trailing zeros,
/// grouped thousands, the language's decimal mark (`1.500,5` / `1,500.5`).
/// Text that is not a plain decimal is shown as it came.
pub fn number(lang: Lang, wire: &str) -> String {
    shown(lang, wire, 0)
}

/// A wire amount (`"1500.50"`) as money is read: grouped thousands and
/// two decimals (`1.500,50` / `1,500.50`).
pub fn money(lang: Lang, wire: &str) -> String {
    shown(lang, wire, 2)
}

fn shown(lang: Lang, wire: &str, min_decimals: usize) -> String {
    match parse_decimal_text(wire.trim()) {
        Ok(value) => lang.numbers().format(value, min_decimals),
        Err(_) => wire.to_owned(),
    }
}

/// An RFC 3339 UTC time as an admin reads it, in the business's time zone
/// (`RUTA_TIMEZONE`, from the page's `<meta name="ruta-timezone">`):
/// `2026-11-29 05:32:05` for `2026-11-29T10:32:05Z` in Bogotá. Without a
/// browser, or for text that is not a time, the UTC text as it came.
pub fn when(wire: &str) -> String {
    #[cfg(feature = "hydrate")]
    if let Some(local) = in_business_zone(wire) {
        return local;
    }
    utc_text(wire)
}

fn utc_text(wire: &str) -> String {
    let plain = wire.trim_end_matches('Z').replacen('T', " ", 1);
    plain.split('.').next().unwrap_or_default().to_owned()
}

#[cfg(feature = "hydrate")]
fn in_business_zone(wire: &str) -> Option<String> {
    use wasm_bindgen::JsValue;
    let zone = crate::page_meta("ruta-timezone")?;
    let date = js_sys::Date::new(&JsValue::from_str(wire));
    if date.get_time().is_nan() {
        return None;
    }
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into()).ok()?;
    js_sys::Reflect::set(&options, &"hourCycle".into(), &"h23".into()).ok()?;
    for (field, style) in [
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("second", "2-digit"),
    ] {
        js_sys::Reflect::set(&options, &field.into(), &style.into()).ok()?;
    }
    // Swedish writes dates as ISO does: `2026-11-29 05:32:05`.
    let locales = js_sys::Array::of1(&"sv-SE".into());
    let format = js_sys::Intl::DateTimeFormat::new(&locales, &options);
    let text = format.format().call1(&format, &date).ok()?.as_string()?;
    Some(text)
}
