//! Spanish by default, English on request; the choice is remembered on the
//! device. Texts live in one table so a missing translation is visible.
use leptos::prelude::*;

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
    pub fn from_code(code: &str) -> Self {
        if code == "en" {
            Lang::En
        } else {
            Lang::Es
        }
    }
}

/// (key, Spanish, English)
const TEXTS: &[(&str, &str, &str)] = &[
    (
        "app.tagline",
        "Ventas en ruta, con o sin señal",
        "Route sales, with or without signal",
    ),
    ("login.title", "Iniciar sesión", "Sign in"),
    ("login.username", "Usuario", "Username"),
    ("login.password", "Contraseña", "Password"),
    ("login.submit", "Iniciar sesión", "Sign in"),
    ("login.working", "Ingresando…", "Signing in…"),
    (
        "login.bad_credentials",
        "Usuario o contraseña incorrectos",
        "Wrong username or password",
    ),
    (
        "login.throttled",
        "Demasiados intentos. Espere unos minutos.",
        "Too many attempts. Wait a few minutes.",
    ),
    (
        "login.offline",
        "Sin conexión con el servidor. Intente de nuevo.",
        "Cannot reach the server. Try again.",
    ),
    ("home.hello", "Hola", "Hello"),
    ("home.logout", "Cerrar sesión", "Sign out"),
    ("home.role", "Rol", "Role"),
    ("home.seller_code", "Código de vendedor", "Seller code"),
    ("role.seller", "Vendedor", "Seller"),
    ("role.dispatcher", "Despachador", "Dispatcher"),
    ("role.admin", "Administrador", "Administrator"),
    ("lang.switch", "English", "Español"),
    ("notfound.title", "Página no encontrada", "Page not found"),
    ("notfound.back", "Volver al inicio", "Back to start"),
];

pub fn text(lang: Lang, key: &str) -> &'static str {
    TEXTS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, es, en)| if lang == Lang::Es { *es } else { *en })
        .unwrap_or("")
}

pub const LANG_KEY: &str = "ruta.lang";

/// Puts the language signal in context; in the browser, restores the
/// remembered choice.
pub fn provide_lang() {
    let lang = RwSignal::new(Lang::Es);
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
pub fn t(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || text(lang.get(), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_keys_are_unique() {
        for (k, es, en) in TEXTS {
            assert!(!es.is_empty() && !en.is_empty(), "{k}");
            assert_eq!(TEXTS.iter().filter(|(k2, _, _)| k2 == k).count(), 1, "{k}");
        }
        assert_eq!(text(Lang::Es, "login.submit"), "Iniciar sesión");
        assert_eq!(text(Lang::En, "login.submit"), "Sign in");
    }
}
