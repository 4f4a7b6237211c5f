//! The strategy-document importer on arbitrary bytes: it either refuses the document with
//! errors or accepts it; an accepted one exports and parses back to the same strategy.
#![no_main]

use app::domain::document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(strategy) = document::parse(text) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let again = document::parse(&document::export(&strategy, today).to_string())
            .expect("an exported document parses");
        assert_eq!(again, strategy, "export then parse gives the same strategy");
    }
});
