//! CSV import files → checked product and customer rows: never a panic;
//! deterministic; every good row passes the JSON endpoint's own
//! validation; refused rows carry at least one reason and line numbers
//! that grow and stay within the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ruta_shared::import::{customer_rows, product_rows, RejectedRow};

fn lines_are_sane(text: &str, rejected: &[RejectedRow]) {
    // Lines as the reader ends records: `\n`, `\r\n` or a lone `\r`.
    let lines = text.replace("\r\n", "\n").split(['\n', '\r']).count() as u64;
    let mut last = 1;
    for r in rejected {
        assert!(!r.errors.is_empty(), "row {} refused for no reason", r.row);
        assert!(r.row > last, "row {} after {last}", r.row);
        assert!(r.row <= lines, "row {} of {lines} lines", r.row);
        last = r.row;
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let products = product_rows(text);
    assert_eq!(products, product_rows(text), "deterministic");
    if let Ok((good, rejected)) = &products {
        for p in good {
            assert_eq!(p.validate(), Ok(()), "{p:?}");
        }
        lines_are_sane(text, rejected);
    }
    let customers = customer_rows(text);
    assert_eq!(customers, customer_rows(text), "deterministic");
    if let Ok((good, rejected)) = &customers {
        for c in good {
            assert_eq!(c.validate(), Ok(()), "{c:?}");
        }
        lines_are_sane(text, rejected);
    }
});
