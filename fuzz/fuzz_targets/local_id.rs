//! Local ids: never a panic; an accepted id prints in the canonical
//! lower-case hyphenated form, which parses back to the same id, and case
//! or surrounding blanks never change which id it is.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ruta_shared::validation::read_key;
use ruta_shared::LocalId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = LocalId::parse(text);
    if let Ok(id) = &parsed {
        let printed = id.to_string();
        assert_eq!(printed.len(), 36);
        assert_eq!(printed, printed.to_ascii_lowercase());
        assert_eq!(LocalId::parse(&printed).as_ref(), Ok(id));
        assert_eq!(LocalId::parse(&text.to_ascii_uppercase()).as_ref(), Ok(id));
        assert_eq!(LocalId::parse(&format!(" {text}\t")).as_ref(), Ok(id));
    }
    // Through a sale's `local_id` field: the same verdict.
    let sale = serde_json::json!({ "local_id": text });
    match read_key(&sale) {
        Ok(id) => assert_eq!(parsed, Ok(id)),
        Err(rejection) => {
            assert!(parsed.is_err() || text.trim().is_empty());
            assert!(rejection.reported_id.chars().count() <= 100);
        }
    }
});
