//! Charts as PNG, for slides: their SVG rendered on the server with resvg (no browser), with
//! the machine's fonts (see `fonts`).

use resvg::{tiny_skia, usvg};

/// The PNG of an SVG, `scale` times its size (1 to 4), on white.
pub fn render(svg: &str, scale: u32) -> Result<Vec<u8>, String> {
    let scale = scale.clamp(1, 4);
    let options = usvg::Options {
        fontdb: crate::fonts::DATABASE.clone(),
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
