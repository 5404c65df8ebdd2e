//! Spanish by default, English on request; the choice is remembered on the
//! device. Texts live in tables of (key, Spanish, English), so a missing
//! translation is visible: `texts.rs` for every bundle, `admin.rs` for the
//! dashboard; `format.rs` writes numbers, money and times.
use crate::services::api::ApiError;
use crate::services::sale_form::{InputError, NumberField};
use leptos::prelude::*;
use ruta_shared::auth::Role;
use ruta_shared::conflict::ConflictField;
use ruta_shared::locale::{NumberInputError, NumberStyle};
use ruta_shared::sale::{PaymentMethod, SaleStatus};

mod admin;
mod format;
mod texts;

pub use format::{day_name, money, number, when};
use texts::TEXTS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }
    /// The decimal mark numbers are written with: `1,5` / `1.5`.
    pub fn decimal_mark(self) -> char {
        self.numbers().decimal
    }
    /// How numbers are typed and shown in this language.
    pub fn numbers(self) -> NumberStyle {
        match self {
            Lang::Es => NumberStyle::SPANISH,
            Lang::En => NumberStyle::ENGLISH,
        }
    }
    pub fn from_code(code: &str) -> Self {
        if code == "en" {
            Lang::En
        } else {
            Lang::Es
        }
    }
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn listed(table: &[(&str, &str, &str)], key: &str) -> bool {
    let mut i = 0;
    while i < table.len() {
        if same(table[i].0, key) {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether `key` has a text, at compile time (see [`key!`]).
pub const fn has_key(key: &str) -> bool {
    listed(TEXTS, key) || listed(admin::ALL, key)
}

/// A key of the text tables. Made only by [`key!`], which checks it when
/// the crate compiles: a missing or misspelt key is a compile error, not an
/// empty label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(&'static str);

impl Key {
    #[doc(hidden)]
    pub const fn checked(key: &'static str) -> Self {
        Self(key)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

macro_rules! key {
    ($key:literal) => {{
        const _: () = assert!(
            $crate::i18n::has_key($key),
            concat!("no text for the i18n key ", $key)
        );
        $crate::i18n::Key::checked($key)
    }};
}

pub fn role_key(role: Role) -> Key {
    match role {
        Role::Seller => key!("role.seller"),
        Role::Dispatcher => key!("role.dispatcher"),
        Role::Admin => key!("role.admin"),
    }
}

pub fn status_key(status: SaleStatus) -> Key {
    match status {
        SaleStatus::Draft => key!("status.draft"),
        SaleStatus::Confirmed => key!("status.confirmed"),
        SaleStatus::Cancelled => key!("status.cancelled"),
    }
}

pub fn payment_key(method: PaymentMethod) -> Key {
    match method {
        PaymentMethod::Cash => key!("pay.cash"),
        PaymentMethod::Transfer => key!("pay.transfer"),
        PaymentMethod::Card => key!("pay.card"),
        PaymentMethod::Credit => key!("pay.credit"),
    }
}

/// A conflict field's label.
pub fn conflict_field_key(field: ConflictField) -> Key {
    match field {
        ConflictField::CustomerId => key!("sale.customer"),
        ConflictField::Status => key!("conflict.status"),
        ConflictField::PaymentMethod => key!("sale.payment"),
        ConflictField::Items => key!("conflict.items"),
        ConflictField::Returns => key!("sale.returns"),
        ConflictField::Notes => key!("sale.notes"),
    }
}

/// A sale status or payment method as the wire writes it, in words;
/// `None` for text that is neither.
pub fn wire_word(lang: Lang, field: ConflictField, wire: &str) -> Option<&'static str> {
    let key = match field {
        ConflictField::Status => status_key(SaleStatus::parse(wire)?),
        ConflictField::PaymentMethod => payment_key(PaymentMethod::parse(wire)?),
        _ => return None,
    };
    Some(text(lang, key))
}

pub fn text(lang: Lang, key: Key) -> &'static str {
    TEXTS
        .iter()
        .chain(admin::TEXTS)
        .find(|(k, _, _)| *k == key.0)
        .map(|(_, es, en)| if lang == Lang::Es { *es } else { *en })
        .unwrap_or("")
}

/// A typed number the form refused, in words: which line and field, what
/// was typed, and how to write it in this language.
pub fn input_error(lang: Lang, e: &InputError) -> String {
    let where_ = match (e.field, lang) {
        (NumberField::ReturnQuantity, Lang::Es) => format!("Devolución #{}", e.index),
        (NumberField::ReturnQuantity, Lang::En) => format!("Return #{}", e.index),
        (field, _) => {
            let key = match field {
                NumberField::Quantity => key!("sale.quantity"),
                NumberField::UnitPrice => key!("sale.unit_price"),
                NumberField::Discount => key!("sale.discount_value"),
                _ => key!("sale.tax"),
            };
            format!("Item #{}, {}", e.index, text(lang, key))
        }
    };
    number_refusal(lang, &where_, &e.typed, e.reason)
}

/// Why `typed` is not read as a number, after `where_` (a field's name).
pub fn number_refusal(lang: Lang, where_: &str, typed: &str, reason: NumberInputError) -> String {
    let style = lang.numbers();
    let (d, g) = (style.decimal, style.group);
    match (reason, lang) {
        (NumberInputError::Ambiguous, Lang::Es) => format!(
            "{where_}: «{typed}» se puede leer de dos formas. Use «{d}» para decimales (4{d}5) y «{g}» para miles (4{g}500)."
        ),
        (NumberInputError::Ambiguous, Lang::En) => format!(
            "{where_}: “{typed}” could mean two numbers. Use “{d}” for decimals (4{d}5) and “{g}” for thousands (4{g}500)."
        ),
        (NumberInputError::Grouping, Lang::Es) => format!(
            "{where_}: «{typed}» tiene los separadores de miles mal puestos (1{g}234{g}567{d}5)."
        ),
        (NumberInputError::Grouping, Lang::En) => format!(
            "{where_}: “{typed}” has misplaced thousands separators (1{g}234{g}567{d}5)."
        ),
        (_, Lang::Es) => format!("{where_}: «{typed}» no es un número."),
        (_, Lang::En) => format!("{where_}: “{typed}” is not a number."),
    }
}

/// A quantity that must be more than zero and is not.
pub fn positive_refusal(lang: Lang, where_: &str, typed: &str) -> String {
    match lang {
        Lang::Es => format!("{where_}: «{typed}» debe ser mayor a 0."),
        Lang::En => format!("{where_}: “{typed}” must be greater than 0."),
    }
}

/// A failed call, in words for the user (the server's own message when it
/// gave one).
pub fn describe(lang: Lang, error: &ApiError) -> String {
    let key = match error {
        ApiError::Rejected(message) if !message.is_empty() => return message.clone(),
        ApiError::BadCredentials => key!("login.bad_credentials"),
        ApiError::Unauthorized => key!("error.session"),
        ApiError::Forbidden => key!("error.forbidden"),
        ApiError::NotFound => key!("error.not_found"),
        ApiError::Throttled(_) => key!("error.throttled"),
        ApiError::Rejected(_) | ApiError::Unreachable => key!("error.offline"),
    };
    text(lang, key).to_owned()
}

pub const LANG_KEY: &str = "ruta.lang";
/// The cookie that tells the server which language to render pages in.
pub const LANG_COOKIE: &str = "ruta_lang";

impl Lang {
    /// The language a request's `Cookie` header chose (the `ruta_lang`
    /// cookie the language switch sets). Spanish otherwise, whatever the
    /// browser's own language: Ruta is Spanish by default.
    pub fn of_request(cookie: Option<&str>) -> Self {
        cookie
            .into_iter()
            .flat_map(|c| c.split(';'))
            .find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == LANG_COOKIE).then(|| Lang::from_code(value.trim()))
            })
            .unwrap_or(Lang::Es)
    }
}

/// The language the page was rendered in: on the server, the request's
/// (put in context by the server); in the browser, `<html lang>`, so
/// hydration starts from the texts the server wrote.
fn rendered_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .map(|code| Lang::from_code(&code))
            .unwrap_or(Lang::Es)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use_context::<Lang>().unwrap_or(Lang::Es)
    }
}

/// Remembers `lang` on the device and tells the server (cookie), so the
/// next page is rendered in it.
pub fn remember_lang(lang: Lang) {
    crate::services::storage::set(LANG_KEY, lang.code());
    #[cfg(feature = "hydrate")]
    {
        let doc = document();
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        let _ = js_sys::Reflect::set(&doc, &"cookie".into(), &cookie.into());
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
    }
}

/// Puts the language signal in context; in the browser, restores the
/// remembered choice.
pub fn provide_lang() {
    let lang = RwSignal::new(rendered_lang());
    provide_context(lang);
    Effect::new(move |_| {
        if let Some(code) = crate::services::storage::get(LANG_KEY) {
            lang.set(Lang::from_code(&code));
        }
    });
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Es))
}

/// A reactive text for `key` in the current language.
pub fn t(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || text(lang.get(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_number_says_where_and_how_to_write_it() {
        let e = InputError {
            index: 0,
            field: NumberField::Quantity,
            typed: "4.5".into(),
            reason: NumberInputError::Ambiguous,
        };
        assert_eq!(
            input_error(Lang::Es, &e),
            "Item #0, Cantidad: «4.5» se puede leer de dos formas. Use «,» para decimales (4,5) y «.» para miles (4.500)."
        );
        assert!(input_error(Lang::En, &e)
            .starts_with("Item #0, Quantity: “4.5” could mean two numbers."));
    }

    #[test]
    fn a_request_is_answered_in_the_language_it_chose() {
        assert_eq!(Lang::of_request(None), Lang::Es);
        assert_eq!(
            Lang::of_request(Some("ruta_session=abc; ruta_lang=en")),
            Lang::En
        );
        assert_eq!(Lang::of_request(Some("ruta_lang=es")), Lang::Es);
        assert_eq!(Lang::of_request(Some("ruta_lang=fr; other=en")), Lang::Es);
        assert_eq!(Lang::of_request(Some("xruta_lang=en")), Lang::Es);
    }

    #[test]
    fn every_status_payment_and_role_has_its_text() {
        for status in SaleStatus::ALL {
            assert!(has_key(status_key(*status).as_str()), "{status}");
        }
        for method in PaymentMethod::ALL {
            let shown = wire_word(Lang::Es, ConflictField::PaymentMethod, method.as_str());
            assert!(shown.is_some_and(|s| !s.is_empty()), "{method}");
        }
        assert_eq!(
            wire_word(Lang::En, ConflictField::Status, "cancelled"),
            Some("Cancelled")
        );
        assert_eq!(wire_word(Lang::En, ConflictField::Status, "shipped"), None);
        for role in Role::ALL {
            assert!(!text(Lang::En, role_key(*role)).is_empty(), "{role}");
        }
    }

    #[test]
    fn every_key_has_both_languages_and_keys_are_unique() {
        let all = || TEXTS.iter().chain(admin::TEXTS);
        for (k, es, en) in all() {
            assert!(!es.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(all().filter(|(k2, _, _)| k2 == k).count(), 1, "{k}");
        }
        assert_eq!(text(Lang::Es, key!("login.submit")), "Iniciar sesión");
        assert_eq!(text(Lang::En, key!("login.submit")), "Sign in");
        assert_eq!(day_name(Lang::Es, "MIÉRCOLES"), "Miércoles");
        assert_eq!(day_name(Lang::En, "SÁBADO"), "Saturday");
        assert_eq!(number(Lang::Es, "10.000"), "10");
        assert_eq!(number(Lang::Es, "1500.500"), "1.500,5");
        assert_eq!(number(Lang::En, "1500.500"), "1,500.5");
        assert_eq!(number(Lang::Es, "1000000"), "1.000.000");
        assert_eq!(number(Lang::En, "0.125"), "0.125");
        assert_eq!(number(Lang::Es, "abc"), "abc");
        assert_eq!(money(Lang::Es, "1500.5"), "1.500,50");
        assert_eq!(money(Lang::En, "25.50"), "25.50");
        assert_eq!(money(Lang::Es, "7"), "7,00");
        assert_eq!(when("2026-11-29T10:32:05.123Z"), "2026-11-29 10:32:05");
        assert_eq!(when("2026-11-29T10:32:05Z"), "2026-11-29 10:32:05");
        assert_eq!(
            describe(
                Lang::Es,
                &ApiError::Rejected("La hoja de cargue está cerrada".into())
            ),
            "La hoja de cargue está cerrada"
        );
    }
}
