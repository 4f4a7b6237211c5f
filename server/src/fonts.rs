//! The machine's fonts, found once: what chart PNGs and report PDFs are written with (Debian's
//! fonts-dejavu-core; see scripts/setup.sh). The charts ask for `sans-serif`.

use resvg::usvg::fontdb;
use std::sync::{Arc, LazyLock};

/// The families tried for `sans-serif`, in order.
const SANS: [&str; 3] = ["DejaVu Sans", "Liberation Sans", "Noto Sans"];

pub static DATABASE: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = fontdb::Database::new();
    fonts.load_system_fonts();
    for family in SANS {
        let known = fonts
            .faces()
            .any(|face| face.families.iter().any(|(name, _)| name == family));
        if known {
            fonts.set_sans_serif_family(family);
            break;
        }
    }
    if fonts.is_empty() {
        tracing::warn!(
            "no fonts found: charts and PDFs will have no text (install fonts-dejavu-core)"
        );
    }
    Arc::new(fonts)
});

/// A font file's bytes and the face's index in it.
pub struct FontFile {
    pub data: Arc<Vec<u8>>,
    pub index: u32,
}

/// The sans-serif face of this weight (regular or bold), if the machine has one.
pub fn sans(bold: bool) -> Option<FontFile> {
    let query = fontdb::Query {
        families: &[fontdb::Family::SansSerif],
        weight: if bold {
            fontdb::Weight::BOLD
        } else {
            fontdb::Weight::NORMAL
        },
        stretch: fontdb::Stretch::Normal,
        style: fontdb::Style::Normal,
    };
    let id = DATABASE.query(&query)?;
    DATABASE.with_face_data(id, |data, index| FontFile {
        data: Arc::new(data.to_vec()),
        index,
    })
}
