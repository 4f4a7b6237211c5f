//! A small typesetter for tagged A4 documents: headings, paragraphs, tables and figures flow
//! down the pages, and every piece is tagged for assistive technology (PDF/UA-1, checked by
//! krilla's validator when the file is written). It knows nothing about reports.
//!
//! Laying out and drawing are apart: [`Doc`] places everything (so that a contents page can
//! be laid out a second time with the page numbers the first pass found), [`Doc::finish`]
//! draws the pages with their footers and writes the file.

use krilla::{
    Document, SerializeSettings,
    color::rgb,
    configure::{Accessibility, ConfigurationBuilder, Validator},
    destination::XyzDestination,
    geom::{PathBuilder, Point, Size},
    metadata::{DateTime, Metadata},
    num::NormalizedF32,
    outline::{Outline, OutlineNode},
    page::PageSettings,
    paint::{Fill, Stroke},
    surface::Surface,
    tagging::{
        Artifact, ArtifactType, ContentTag, Identifier, Node, SpanTag, TableHeaderScope, Tag,
        TagGroup, TagKind, TagTree,
    },
    text::{Font, TextDirection},
};
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;
use std::num::NonZeroU16;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.7;
const BOTTOM: f32 = PAGE_HEIGHT - 70.0;
pub const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const LEADING: f32 = 1.35;
/// How far a table cell starting with spaces is indented.
const INDENT: f32 = 12.0;

const INK: [u8; 3] = [0x1a, 0x1a, 0x1a];
const MUTED: [u8; 3] = [0x4a, 0x4a, 0x4a];
const ACCENT: [u8; 3] = [0x00, 0x3f, 0x7d];
const RULE: [u8; 3] = [0xb0, 0xb0, 0xb0];

/// One face: for drawing (krilla) and for measuring (rustybuzz, the shaper krilla draws with).
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn load(bold: bool) -> Result<Face, String> {
        let file = crate::fonts::sans(bold)
            .ok_or("no sans-serif font on this machine (install fonts-dejavu-core)")?;
        // The measuring face borrows the bytes for the life of the process: two font files,
        // read once (see `FACES`).
        let bytes: &'static [u8] = Box::leak(file.data.to_vec().into_boxed_slice());
        let shaper = rustybuzz::Face::from_slice(bytes, file.index).ok_or("unreadable font")?;
        let font = Font::new(file.data.into(), file.index).ok_or("unreadable font")?;
        Ok(Face { font, shaper })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let glyphs = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = glyphs.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / self.shaper.units_per_em() as f32
    }

    /// The text with what this font cannot show replaced, and whether anything was.
    fn printable(&self, text: &str) -> (String, bool) {
        let mut replaced = false;
        let shown = text
            .chars()
            .map(|c| {
                if c.is_control() {
                    replaced = true;
                    ' '
                } else if self.shaper.glyph_index(c).is_none() {
                    replaced = true;
                    '?'
                } else {
                    c
                }
            })
            .collect();
        (shown, replaced)
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

static FACES: std::sync::LazyLock<Result<Faces, String>> = std::sync::LazyLock::new(|| {
    Ok(Faces {
        regular: Face::load(false)?,
        bold: Face::load(true)?,
    })
});

#[derive(Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    color: [u8; 3],
}

impl Style {
    pub const BODY: Style = Style {
        size: 10.5,
        bold: false,
        color: INK,
    };
    pub const STRONG: Style = Style {
        bold: true,
        ..Style::BODY
    };
    pub const SMALL: Style = Style {
        size: 9.0,
        bold: false,
        color: MUTED,
    };
    pub const LEAD: Style = Style {
        size: 13.0,
        bold: false,
        color: INK,
    };
    fn heading(level: u16) -> Style {
        let size = match level {
            1 => 24.0,
            2 => 17.0,
            3 => 13.5,
            _ => 11.5,
        };
        Style {
            size,
            bold: true,
            color: ACCENT,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Right,
}

pub struct Column {
    pub title: String,
    /// A share of the text width.
    pub share: f32,
    pub align: Align,
}

/// What a drawn piece is to assistive technology.
#[derive(Clone, Copy)]
enum Mark {
    /// Part of the structure: the leaf of this number.
    Leaf(usize),
    /// Decoration or pagination, not read.
    Artifact(ArtifactType),
}

enum Op {
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        text: String,
        /// What was meant, where the font could not show every character.
        actual: Option<String>,
        mark: Mark,
    },
    Rule {
        x: f32,
        y: f32,
        width: f32,
        thickness: f32,
    },
    Svg {
        x: f32,
        y: f32,
        size: Size,
        tree: Box<usvg::Tree>,
        leaf: usize,
    },
}

enum LNode {
    Group(TagKind, Vec<LNode>),
    Leaf(usize),
}

/// A heading as the outline and the contents list it.
pub struct Placed {
    pub level: u16,
    pub title: String,
    /// From 0.
    pub page: usize,
    y: f32,
}

pub struct Doc {
    faces: &'static Faces,
    pages: Vec<Vec<Op>>,
    y: f32,
    leaves: usize,
    /// The open groups, the document's root at the bottom.
    stack: Vec<(Option<TagKind>, Vec<LNode>)>,
    pub headings: Vec<Placed>,
}

impl Doc {
    pub fn new() -> Result<Doc, String> {
        let faces = FACES.as_ref().map_err(Clone::clone)?;
        Ok(Doc {
            faces,
            pages: vec![Vec::new()],
            y: MARGIN,
            leaves: 0,
            stack: vec![(None, Vec::new())],
            headings: Vec::new(),
        })
    }

    fn face(&self, style: Style) -> &'static Face {
        if style.bold {
            &self.faces.bold
        } else {
            &self.faces.regular
        }
    }

    pub fn new_page(&mut self) {
        if !self.pages.last().is_some_and(Vec::is_empty) {
            self.pages.push(Vec::new());
        }
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` fits below.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    pub fn space(&mut self, height: f32) {
        if self.y > MARGIN {
            self.y += height;
        }
    }

    fn push(&mut self, node: LNode) {
        if let Some((_, children)) = self.stack.last_mut() {
            children.push(node);
        }
    }

    /// Opens a structure group; what follows goes into it until [`Doc::close`].
    pub fn open(&mut self, kind: impl Into<TagKind>) {
        self.stack.push((Some(kind.into()), Vec::new()));
    }

    pub fn close(&mut self) {
        if self.stack.len() > 1
            && let Some((Some(kind), children)) = self.stack.pop()
        {
            self.push(LNode::Group(kind, children));
        }
    }

    fn leaf(&mut self) -> usize {
        self.leaves += 1;
        self.leaves - 1
    }

    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Lines of at most `width`, broken between words (inside a word only when it is longer
    /// than a line). Words are measured one by one: a line's width is theirs and the spaces'.
    fn lines(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let face = self.face(style);
        let space = face.width(" ", style.size);
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in paragraph.split_whitespace() {
                let word_width = face.width(word, style.size);
                if line.is_empty() && word_width <= width {
                    line.push_str(word);
                    line_width = word_width;
                    continue;
                }
                if !line.is_empty() && line_width + space + word_width <= width {
                    line.push(' ');
                    line.push_str(word);
                    line_width += space + word_width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line_width = 0.0;
                for c in word.chars() {
                    let mut buffer = [0; 4];
                    let c_width = face.width(c.encode_utf8(&mut buffer), style.size);
                    if line_width + c_width > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += c_width;
                }
            }
            if !line.is_empty() || lines.is_empty() {
                lines.push(line);
            }
        }
        lines
    }

    fn text_op(&mut self, x: f32, baseline: f32, style: Style, text: &str, mark: Mark) {
        let (shown, replaced) = self.face(style).printable(text);
        self.op(Op::Text {
            x,
            baseline,
            style,
            text: shown,
            actual: replaced.then(|| text.to_owned()),
            mark,
        });
    }

    /// Wrapped lines at `x`, each a leaf of the open group.
    fn flow(&mut self, text: &str, style: Style, x: f32, width: f32) {
        let line_height = style.size * LEADING;
        for line in self.lines(text, style, width) {
            self.room(line_height);
            let leaf = self.leaf();
            self.text_op(x, self.y + style.size, style, &line, Mark::Leaf(leaf));
            self.push(LNode::Leaf(leaf));
            self.y += line_height;
        }
    }

    /// A heading (level 1 is the document's title); kept with what follows it.
    pub fn heading(&mut self, level: u16, title: &str) {
        let style = Style::heading(level);
        self.space(style.size * 0.9);
        self.room(style.size * LEADING * 2.0 + 60.0);
        self.headings.push(Placed {
            level,
            title: title.to_owned(),
            page: self.pages.len() - 1,
            y: self.y,
        });
        let level = NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN);
        self.open(Tag::Hn(level, Some(title.to_owned())));
        self.flow(title, style, MARGIN, WIDTH);
        self.close();
        self.y += style.size * 0.3;
    }

    pub fn paragraph(&mut self, text: &str, style: Style) {
        self.open(Tag::P);
        self.flow(text, style, MARGIN, WIDTH);
        self.close();
        self.y += style.size * 0.5;
    }

    /// A list of short items, each its own list item.
    pub fn list(&mut self, items: &[String]) {
        if items.is_empty() {
            return;
        }
        let style = Style::BODY;
        self.open(Tag::L(krilla::tagging::ListNumbering::Disc));
        for item in items {
            self.open(Tag::LI);
            self.open(Tag::Lbl);
            self.room(style.size * LEADING);
            let leaf = self.leaf();
            self.text_op(
                MARGIN + 4.0,
                self.y + style.size,
                style,
                "•",
                Mark::Leaf(leaf),
            );
            self.push(LNode::Leaf(leaf));
            self.close();
            self.open(Tag::LBody);
            self.flow(item, style, MARGIN + 16.0, WIDTH - 16.0);
            self.close();
            self.close();
        }
        self.close();
        self.y += style.size * 0.5;
    }

    /// A contents list: each entry's title and page number (`None` while unknown).
    pub fn contents(&mut self, entries: &[(u16, String, Option<usize>)]) {
        let style = Style::BODY;
        let number_width = 40.0;
        self.open(Tag::TOC);
        for (level, title, page) in entries {
            let indent = if *level > 2 { 18.0 } else { 0.0 };
            let entry_style = if *level > 2 {
                Style::BODY
            } else {
                Style::STRONG
            };
            self.open(Tag::TOCI);
            self.open(Tag::P);
            let top = self.y;
            self.flow(
                title,
                entry_style,
                MARGIN + indent,
                WIDTH - indent - number_width,
            );
            let end = self.y;
            if let Some(page) = page {
                let number = (page + 1).to_string();
                let x = MARGIN + WIDTH - self.face(style).width(&number, style.size);
                // On the entry's last line (the page it ended on).
                let baseline = if end > top {
                    end - style.size * LEADING + style.size
                } else {
                    self.y + style.size
                };
                let leaf = self.leaf();
                self.text_op(x, baseline, style, &number, Mark::Leaf(leaf));
                self.push(LNode::Leaf(leaf));
            }
            self.close();
            self.close();
            self.y += 2.0;
        }
        self.close();
    }

    /// A table with a header row (repeated, as decoration, on every page it continues on)
    /// and a caption above it.
    pub fn table(&mut self, caption: &str, columns: &[Column], rows: &[Vec<String>]) {
        self.table_with(caption, columns, rows, &[]);
    }

    /// A table whose rows in `strong` (by index) are set in bold (group rows).
    pub fn table_with(
        &mut self,
        caption: &str,
        columns: &[Column],
        rows: &[Vec<String>],
        strong: &[usize],
    ) {
        let style = Style {
            size: 9.5,
            ..Style::BODY
        };
        let pad = 3.0;
        let line_height = style.size * LEADING;
        let total: f32 = columns.iter().map(|c| c.share).sum::<f32>().max(0.01);
        let widths: Vec<f32> = columns.iter().map(|c| WIDTH * c.share / total).collect();
        let header: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let header_style = Style {
            bold: true,
            ..style
        };
        let header_height = self.row_height(&header, &widths, header_style, pad);
        self.open(Tag::Table);
        self.open(Tag::Caption);
        self.room(line_height * 2.0 + header_height + line_height + 2.0 * pad);
        self.flow(caption, Style::SMALL, MARGIN, WIDTH);
        self.close();
        self.y += 2.0;
        self.open(Tag::THead);
        self.row(&header, columns, &widths, true, header_style, None);
        self.close();
        self.open(Tag::TBody);
        for (index, cells) in rows.iter().enumerate() {
            let cell_style = if strong.contains(&index) {
                Style {
                    bold: true,
                    ..style
                }
            } else {
                style
            };
            let height = self.row_height(cells, &widths, cell_style, pad);
            if self.y + height > BOTTOM {
                self.new_page();
                // The header again, as pagination: it is in the structure once.
                self.row(
                    &header,
                    columns,
                    &widths,
                    true,
                    header_style,
                    Some(ArtifactType::PaginationOther),
                );
            }
            self.row(cells, columns, &widths, false, cell_style, None);
        }
        self.close();
        self.close();
        self.y += 10.0;
    }

    fn row_height(&self, cells: &[String], widths: &[f32], style: Style, pad: f32) -> f32 {
        let lines = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| {
                let indent = if cell.starts_with(' ') { INDENT } else { 0.0 };
                self.lines(cell, style, width - 2.0 * pad - indent).len()
            })
            .max()
            .unwrap_or(1);
        lines as f32 * style.size * LEADING + 2.0 * pad
    }

    /// One table row; `artifact`: drawn for the eye only (a repeated header).
    fn row(
        &mut self,
        cells: &[String],
        columns: &[Column],
        widths: &[f32],
        header: bool,
        style: Style,
        artifact: Option<ArtifactType>,
    ) {
        let pad = 3.0;
        let line_height = style.size * LEADING;
        let height = self.row_height(cells, widths, style, pad);
        let top = self.y;
        if artifact.is_none() {
            self.open(Tag::TR);
        }
        let mut x = MARGIN;
        for ((cell, column), width) in cells.iter().zip(columns).zip(widths) {
            if artifact.is_none() {
                if header {
                    self.open(Tag::TH(TableHeaderScope::Column));
                } else {
                    self.open(Tag::TD);
                }
            }
            // Leading spaces indent the cell (a need under its field).
            let indent = if cell.starts_with(' ') { INDENT } else { 0.0 };
            let lines = self.lines(cell, style, width - 2.0 * pad - indent);
            for (i, line) in lines.iter().enumerate() {
                let line_x = match column.align {
                    Align::Left => x + pad + indent,
                    Align::Right => x + width - pad - self.face(style).width(line, style.size),
                };
                let baseline = top + pad + i as f32 * line_height + style.size;
                let mark = match artifact {
                    Some(kind) => Mark::Artifact(kind),
                    None => {
                        let leaf = self.leaf();
                        self.push(LNode::Leaf(leaf));
                        Mark::Leaf(leaf)
                    }
                };
                self.text_op(line_x, baseline, style, line, mark);
            }
            if artifact.is_none() {
                self.close();
            }
            x += width;
        }
        if artifact.is_none() {
            self.close();
        }
        self.y = top + height;
        self.op(Op::Rule {
            x: MARGIN,
            y: self.y,
            width: WIDTH,
            thickness: if header { 0.9 } else { 0.3 },
        });
    }

    /// A chart: the SVG as vector graphics, `width` wide, its description as the figure's
    /// alternative text and its caption below it.
    pub fn figure(
        &mut self,
        svg: &str,
        width: f32,
        alt: &str,
        caption: &str,
    ) -> Result<(), String> {
        let options = usvg::Options {
            fontdb: crate::fonts::DATABASE.clone(),
            ..usvg::Options::default()
        };
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
        let width = width.min(WIDTH);
        let height = width * tree.size().height() / tree.size().width();
        let size = Size::from_wh(width, height).ok_or("the chart has no size")?;
        self.room(height + 30.0);
        self.open(Tag::Figure(Some(alt.to_owned())));
        let leaf = self.leaf();
        self.push(LNode::Leaf(leaf));
        self.op(Op::Svg {
            x: MARGIN,
            y: self.y,
            size,
            tree: Box::new(tree),
            leaf,
        });
        self.close();
        self.y += height + 4.0;
        self.open(Tag::Caption);
        self.flow(caption, Style::SMALL, MARGIN, WIDTH);
        self.close();
        self.y += 8.0;
        Ok(())
    }

    /// Draws every page with its footer (`footer` on the left, "page n of N" from
    /// `page_label` on the right, both pagination) and writes the tagged file.
    pub fn finish(
        self,
        metadata: Metadata,
        lang: &str,
        footer: &str,
        page_label: impl Fn(usize, usize) -> String,
    ) -> Result<Vec<u8>, String> {
        let configuration = ConfigurationBuilder::new()
            .set_validator(Validator::Ua(Accessibility::UA1))
            .finish()
            .map_err(|e| format!("{e:?}"))?;
        let settings = SerializeSettings {
            configuration,
            enable_tagging: true,
            ..SerializeSettings::default()
        };
        let mut document = Document::new_with(settings);
        let count = self.pages.len();
        let mut identifiers: Vec<Option<Identifier>> = vec![None; self.leaves];
        let footer_style = Style::SMALL;
        for (index, ops) in self.pages.into_iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or("page size")?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for op in ops {
                draw(&mut surface, self.faces, op, &mut identifiers);
            }
            let baseline = PAGE_HEIGHT - 36.0;
            let label = page_label(index + 1, count);
            let label_x = MARGIN + WIDTH - self.faces.regular.width(&label, footer_style.size);
            for (x, text) in [(MARGIN, footer), (label_x, label.as_str())] {
                let (shown, _) = self.faces.regular.printable(text);
                draw(
                    &mut surface,
                    self.faces,
                    Op::Text {
                        x,
                        baseline,
                        style: footer_style,
                        text: shown,
                        actual: None,
                        mark: Mark::Artifact(ArtifactType::Footer),
                    },
                    &mut identifiers,
                );
            }
            surface.finish();
            page.finish();
        }
        let mut outline = Outline::new();
        let mut current: Option<OutlineNode> = None;
        for heading in self.headings.iter().filter(|h| h.level >= 2) {
            let node = OutlineNode::new(
                heading.title.clone(),
                XyzDestination::new(heading.page, Point::from_xy(0.0, heading.y)),
            );
            match (heading.level, current.as_mut()) {
                (3.., Some(parent)) => parent.push_child(node),
                _ => {
                    if let Some(done) = current.replace(node) {
                        outline.push_child(done);
                    }
                }
            }
        }
        if let Some(done) = current {
            outline.push_child(done);
        }
        document.set_outline(outline);
        let mut root = self.stack;
        let (_, children) = root.pop().unwrap_or((None, Vec::new()));
        let mut tree = TagTree::new().with_lang(Some(lang.to_owned()));
        for child in children {
            tree.push(node(child, &mut identifiers));
        }
        document.set_tag_tree(tree);
        document.set_metadata(metadata.language(lang.to_owned()));
        document.finish().map_err(|e| format!("{e:?}"))
    }
}

/// A moment as PDF metadata has it (UTC).
pub fn date_time(at: chrono::DateTime<chrono::Utc>) -> DateTime {
    use chrono::{Datelike, Timelike};
    DateTime::new(at.year() as u16)
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn node(lnode: LNode, identifiers: &mut [Option<Identifier>]) -> Node {
    match lnode {
        LNode::Leaf(leaf) => identifiers[leaf]
            .take()
            .map(Node::from)
            // Never drawn (cannot happen: every leaf is drawn once): an empty span.
            .unwrap_or_else(|| Node::from(TagGroup::new(Tag::Span))),
        LNode::Group(kind, children) => TagGroup::with_children(
            kind,
            children.into_iter().map(|c| node(c, identifiers)).collect(),
        )
        .into(),
    }
}

fn fill(color: [u8; 3]) -> Fill {
    Fill {
        paint: rgb::Color::new(color[0], color[1], color[2]).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(surface: &mut Surface, faces: &Faces, op: Op, identifiers: &mut [Option<Identifier>]) {
    match op {
        Op::Text {
            x,
            baseline,
            style,
            text,
            actual,
            mark,
        } => {
            let id = match mark {
                Mark::Leaf(_) => surface.start_tagged(ContentTag::Span(
                    SpanTag::empty().with_actual_text(actual.as_deref()),
                )),
                Mark::Artifact(kind) => {
                    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)))
                }
            };
            surface.set_fill(Some(fill(style.color)));
            let face = if style.bold {
                &faces.bold
            } else {
                &faces.regular
            };
            surface.draw_text(
                Point::from_xy(x, baseline),
                face.font.clone(),
                style.size,
                &text,
                false,
                TextDirection::Auto,
            );
            surface.end_tagged();
            if let Mark::Leaf(leaf) = mark {
                identifiers[leaf] = Some(id);
            }
        }
        Op::Rule {
            x,
            y,
            width,
            thickness,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(x, y);
            path.line_to(x + width, y);
            if let Some(path) = path.finish() {
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
                    ArtifactType::Layout,
                )));
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(RULE[0], RULE[1], RULE[2]).into(),
                    width: thickness,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
                surface.end_tagged();
            }
        }
        Op::Svg {
            x,
            y,
            size,
            tree,
            leaf,
        } => {
            let id = surface.start_tagged(ContentTag::Other);
            surface.push_transform(&krilla::geom::Transform::from_translate(x, y));
            surface.draw_svg(
                &tree,
                size,
                SvgSettings {
                    // The figure's alternative text says what it shows; its labels are
                    // drawn as shapes so that they are not read twice.
                    embed_text: false,
                    ..SvgSettings::default()
                },
            );
            surface.pop();
            surface.end_tagged();
            identifiers[leaf] = Some(id);
        }
    }
}
