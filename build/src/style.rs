//! `pkg/ruta.css`: style/main.css through lightningcss, as cargo-leptos
//! 0.3.10 did (`compile/style.rs`): the same crate version, minified for
//! the `browserquery` targets ("defaults"), printed minified in release.
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
use lightningcss::targets::{Browsers, Targets};

use crate::error::BuildError;
use crate::{Mode, Site};

const STYLE_FILE: &str = "style/main.css";
const BROWSER_QUERY: &str = "defaults";

pub fn build(site: &Site) -> Result<(), BuildError> {
    let source = std::fs::read_to_string(STYLE_FILE).map_err(BuildError::io(STYLE_FILE))?;
    let css = transform(&source, site.mode)?;
    let dest = site.pkg().join("ruta.css");
    std::fs::create_dir_all(site.pkg()).map_err(BuildError::io(site.pkg()))?;
    std::fs::write(&dest, css).map_err(BuildError::io(&dest))
}

fn css_err(e: impl std::fmt::Display) -> BuildError {
    BuildError::Css {
        path: STYLE_FILE.into(),
        message: e.to_string(),
    }
}

/// Unlike cargo-leptos, a CSS file that does not parse fails the build
/// instead of being copied as it is.
fn transform(source: &str, mode: Mode) -> Result<String, BuildError> {
    let browsers = Browsers::from_browserslist([BROWSER_QUERY]).map_err(css_err)?;
    let targets = Targets::from(browsers);
    let options = ParserOptions {
        filename: STYLE_FILE.into(),
        ..Default::default()
    };
    let mut sheet = StyleSheet::parse(source, options).map_err(css_err)?;
    sheet
        .minify(MinifyOptions {
            targets,
            ..Default::default()
        })
        .map_err(css_err)?;
    let printed = sheet
        .to_css(PrinterOptions {
            targets,
            minify: mode == Mode::Release,
            ..Default::default()
        })
        .map_err(css_err)?;
    Ok(printed.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_css_is_minified_and_keeps_the_rules() {
        let css = transform(
            ".a { color: #ff0000; }\n\n.b { margin: 0px 0px; }\n",
            Mode::Release,
        )
        .unwrap_or_default();
        assert_eq!(css, ".a{color:red}.b{margin:0}");
    }

    #[test]
    fn broken_css_fails_the_build() {
        assert!(transform(".a { color: red; } }}} @@@ {", Mode::Dev).is_err());
    }
}
