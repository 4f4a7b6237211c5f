//! Charts as PNG, for slides: their SVG rendered on the server with resvg (no browser), with
//! the machine's fonts (Debian's fonts-dejavu-core; see scripts/setup.sh).

use resvg::{tiny_skia, usvg};
use std::sync::{Arc, LazyLock};

/// The fonts, found once. The charts ask for `sans-serif`.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_system_fonts();
    for family in ["DejaVu Sans", "Liberation Sans", "Noto Sans"] {
        let known = fonts
            .faces()
            .any(|face| face.families.iter().any(|(name, _)| name == family));
        if known {
            fonts.set_sans_serif_family(family);
            break;
        }
    }
    if fonts.is_empty() {
        tracing::warn!("no fonts found: chart PNGs will have no text (install fonts-dejavu-core)");
    }
    Arc::new(fonts)
});

/// The PNG of an SVG, `scale` times its size (1 to 4), on white.
pub fn render(svg: &str, scale: u32) -> Result<Vec<u8>, String> {
    let scale = scale.clamp(1, 4);
    let options = usvg::Options {
        fontdb: FONTS.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width() * scale, size.height() * scale)
        .ok_or("the chart has no size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale as f32, scale as f32),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}
