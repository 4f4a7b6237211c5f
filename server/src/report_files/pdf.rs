//! A report as a PDF for the council paper (Vorlage): A4, a title page, the contents, the
//! overview, a section per field and need with its burn-up (vector graphics, with its
//! description as alternative text) and its tables, and "since the last report"; the report's
//! name, Stichtag and page number in every footer. Tagged (PDF/UA-1).

use super::typeset::{Align, Column, Doc, Style, WIDTH, date_time};
use app::{
    domain::{Progress, report::NeedFigures, schedule::Counts},
    format,
    i18n::{Locale, td_string},
    server_fns::reports::{Compared, Comparison, ReportPage},
};
use krilla::metadata::Metadata;

/// The PDF of a frozen report, in `locale`.
pub fn write(page: &ReportPage, locale: Locale) -> Result<Vec<u8>, String> {
    // Laid out twice: the first pass finds the page of each section for the contents.
    let first = compose(page, locale, None)?;
    let pages: Vec<usize> = first
        .headings
        .iter()
        .filter(|h| h.level >= 2 && h.level <= 3)
        .map(|h| h.page)
        .collect();
    let doc = compose(page, locale, Some(&pages))?;
    let header = &page.header;
    let stichtag = format::date(locale, header.stichtag);
    let footer = td_string!(
        locale,
        report.footer,
        name = header.name.clone(),
        stichtag = stichtag.clone()
    );
    let metadata = Metadata::new()
        .title(header.name.clone())
        .description(td_string!(locale, report.title_kicker, stichtag))
        .creator("Meilenstein".to_owned())
        .authors(vec![header.made_by.clone()])
        // The moment it was made, not the moment it is downloaded: the file never changes.
        .creation_date(date_time(header.made_at));
    doc.finish(metadata, locale.as_str(), &footer, |number, count| {
        td_string!(locale, report.page_of, number, count)
    })
}

fn percent(locale: Locale, progress: Progress) -> String {
    match progress {
        Some(value) => format::percent(locale, value),
        None => td_string!(locale, progress.no_plan).to_owned(),
    }
}

fn figures_line(locale: Locale, progress: Progress, state: &str, counts: Counts) -> String {
    td_string!(
        locale,
        report.figures_line,
        progress = percent(locale, progress),
        state = state.to_owned(),
        done = counts.done,
        open = counts.open,
        overdue = counts.overdue
    )
}

/// The sections the contents list, in order: what [`compose`] gives headings of levels 2
/// and 3, except the contents themselves.
fn sections(page: &ReportPage, locale: Locale) -> Vec<(u16, String)> {
    let mut sections = Vec::new();
    if page.header.foreword.is_some() {
        sections.push((2, td_string!(locale, report.foreword_heading).to_owned()));
    }
    sections.push((2, td_string!(locale, report.overview).to_owned()));
    for field in &page.fields {
        sections.push((2, field.title.clone()));
        for need in &field.needs {
            sections.push((3, need.title.clone()));
        }
    }
    sections.push((2, td_string!(locale, report.since_heading).to_owned()));
    sections
}

fn compose(page: &ReportPage, locale: Locale, pages: Option<&[usize]>) -> Result<Doc, String> {
    let mut doc = Doc::new()?;
    let header = &page.header;
    let stichtag = format::date(locale, header.stichtag);

    // The title page.
    doc.space(120.0);
    doc.paragraph(
        &td_string!(locale, report.title_kicker, stichtag = stichtag.clone()),
        Style::LEAD,
    );
    doc.heading(1, &header.name);
    doc.paragraph(&page.strategy.title, Style::LEAD);
    doc.paragraph(
        &td_string!(
            locale,
            report.meta,
            stichtag = stichtag.clone(),
            made_on = format::date(locale, header.made_at.date_naive()),
            made_by = header.made_by.clone()
        ),
        Style::BODY,
    );
    if let Some(on) = header.withdrawn_at {
        doc.paragraph(
            &format!(
                "{}: {}",
                td_string!(locale, report.withdrawn_badge),
                td_string!(
                    locale,
                    report.withdrawn_notice,
                    on = format::date(locale, on.date_naive()),
                    by = header.withdrawn_by.clone().unwrap_or_default(),
                    reason = header.withdrawn_reason.clone().unwrap_or_default()
                )
            ),
            Style::STRONG,
        );
    }
    doc.paragraph(td_string!(locale, report.frozen_note), Style::SMALL);

    // The contents.
    doc.new_page();
    let title = td_string!(locale, report.contents);
    doc.open(krilla::tagging::Tag::Section);
    {
        // Not a section of its own in the contents or the outline.
        let before = doc.headings.len();
        doc.heading(2, title);
        doc.headings.truncate(before);
    }
    let entries: Vec<(u16, String, Option<usize>)> = sections(page, locale)
        .into_iter()
        .enumerate()
        .map(|(i, (level, title))| (level, title, pages.and_then(|p| p.get(i).copied())))
        .collect();
    doc.contents(&entries);
    doc.close();

    if let Some(foreword) = &header.foreword {
        doc.new_page();
        doc.open(krilla::tagging::Tag::Section);
        doc.heading(2, td_string!(locale, report.foreword_heading));
        for paragraph in foreword.split("\n\n") {
            doc.paragraph(paragraph, Style::BODY);
        }
        doc.close();
    }

    overview(&mut doc, page, locale);
    let charts: std::collections::HashMap<i64, &app::chart_views::ChartView> =
        page.charts.iter().map(|(id, chart)| (*id, chart)).collect();
    for field in &page.fields {
        doc.new_page();
        doc.open(krilla::tagging::Tag::Section);
        doc.heading(2, &field.title);
        doc.paragraph(
            &figures_line(
                locale,
                field.progress,
                format::state(locale, field.state),
                field.counts,
            ),
            Style::BODY,
        );
        for need in &field.needs {
            need_section(&mut doc, need, charts.get(&need.id).copied(), page, locale)?;
        }
        doc.close();
    }
    since(&mut doc, page.comparison.as_ref(), locale);
    Ok(doc)
}

fn overview(doc: &mut Doc, page: &ReportPage, locale: Locale) {
    doc.new_page();
    doc.open(krilla::tagging::Tag::Section);
    doc.heading(2, td_string!(locale, report.overview));
    doc.paragraph(
        &format!(
            "{}: {}",
            td_string!(locale, report.overall),
            percent(locale, page.progress)
        ),
        Style::LEAD,
    );
    let columns = [
        column(td_string!(locale, report.col_part), 3.6, Align::Left),
        column(
            td_string!(locale, dashboard.col_progress),
            1.5,
            Align::Right,
        ),
        column(td_string!(locale, dashboard.col_state), 1.6, Align::Left),
        column(td_string!(locale, dashboard.col_done), 1.2, Align::Right),
        column(td_string!(locale, dashboard.col_open), 1.0, Align::Right),
        column(td_string!(locale, dashboard.col_overdue), 1.4, Align::Right),
    ];
    let mut rows = Vec::new();
    let mut strong = Vec::new();
    let row = |title: String, p: Progress, state, c: Counts| {
        vec![
            title,
            percent(locale, p),
            format::state(locale, state).to_owned(),
            c.done.to_string(),
            c.open.to_string(),
            c.overdue.to_string(),
        ]
    };
    for field in &page.fields {
        strong.push(rows.len());
        rows.push(row(
            field.title.clone(),
            field.progress,
            field.state,
            field.counts,
        ));
        for need in &field.needs {
            rows.push(row(
                format!("    {}", need.title),
                need.progress,
                need.state,
                need.counts,
            ));
        }
    }
    doc.table_with(
        td_string!(locale, report.overview_caption),
        &columns,
        &rows,
        &strong,
    );
    doc.close();
}

fn column(title: &str, share: f32, align: Align) -> Column {
    Column {
        title: title.to_owned(),
        share,
        align,
    }
}

/// How many milestones a need's section lists under one heading; the workbook has every one.
const LISTED: usize = 25;

/// A need's overdue or next milestones under their heading: a table of at most [`LISTED`]
/// (with how many more), or the words for none.
fn milestones(
    doc: &mut Doc,
    locale: Locale,
    heading: &str,
    caption: &str,
    none: &str,
    list: &[app::domain::Milestone],
) {
    doc.heading(4, heading);
    if list.is_empty() {
        doc.paragraph(none, Style::BODY);
        return;
    }
    let columns = [
        column(td_string!(locale, report.col_milestone), 4.0, Align::Left),
        column(td_string!(locale, report.col_due), 1.2, Align::Right),
    ];
    let rows: Vec<Vec<String>> = list
        .iter()
        .take(LISTED)
        .map(|m| vec![m.data.title.clone(), format::date(locale, m.data.due)])
        .collect();
    doc.table(caption, &columns, &rows);
    if list.len() > LISTED {
        let count = list.len() - LISTED;
        doc.paragraph(
            &td_string!(locale, report.more_in_workbook, count),
            Style::SMALL,
        );
    }
}

fn need_section(
    doc: &mut Doc,
    need: &NeedFigures,
    chart: Option<&app::chart_views::ChartView>,
    page: &ReportPage,
    locale: Locale,
) -> Result<(), String> {
    doc.open(krilla::tagging::Tag::Section);
    doc.heading(3, &need.title);
    doc.paragraph(
        &figures_line(
            locale,
            need.progress,
            format::state(locale, need.state),
            need.counts,
        ),
        Style::BODY,
    );
    if let Some(change) = page.comparison.as_ref().and_then(|c| {
        c.changes
            .fields
            .iter()
            .flat_map(|f| &f.needs)
            .find(|n| n.id == need.id)
    }) {
        doc.paragraph(
            &format!(
                "{}: {}",
                td_string!(locale, report.since_heading),
                format::delta(locale, &change.delta)
            ),
            Style::STRONG,
        );
    }
    if let Some(chart) = chart {
        doc.figure(&chart.svg, WIDTH, &chart.caption, &chart.title)?;
    }
    milestones(
        doc,
        locale,
        td_string!(locale, report.late),
        td_string!(locale, report.late_caption),
        td_string!(locale, report.nothing_late),
        &need.late,
    );
    milestones(
        doc,
        locale,
        td_string!(locale, report.next),
        td_string!(locale, report.next_caption),
        td_string!(locale, report.nothing_next),
        &need.next,
    );
    doc.close();
    Ok(())
}

fn since(doc: &mut Doc, comparison: Option<&Comparison>, locale: Locale) {
    doc.new_page();
    doc.open(krilla::tagging::Tag::Section);
    doc.heading(2, td_string!(locale, report.since_heading));
    let Some(comparison) = comparison else {
        doc.paragraph(td_string!(locale, report.no_previous), Style::BODY);
        doc.close();
        return;
    };
    let with = match &comparison.with {
        Compared::Report(other) => td_string!(
            locale,
            report.since_report,
            name = other.name.clone(),
            stichtag = format::date(locale, other.stichtag)
        ),
        Compared::Today => td_string!(
            locale,
            report.since_today,
            today = format::date(locale, comparison.changes.to)
        ),
    };
    doc.paragraph(&with, Style::BODY);
    let changes = &comparison.changes;
    doc.paragraph(&format::delta(locale, &changes.total), Style::LEAD);
    let columns = [
        column(td_string!(locale, report.col_part), 2.0, Align::Left),
        column(td_string!(locale, report.col_change), 3.0, Align::Left),
    ];
    let mut rows = Vec::new();
    let mut strong = Vec::new();
    let new_mark = |new: bool| {
        if new {
            format!(" ({})", td_string!(locale, report.new_part))
        } else {
            String::new()
        }
    };
    for field in &changes.fields {
        strong.push(rows.len());
        rows.push(vec![
            format!("{}{}", field.title, new_mark(field.new)),
            format::delta(locale, &field.delta),
        ]);
        for need in &field.needs {
            rows.push(vec![
                format!("    {}{}", need.title, new_mark(need.new)),
                format::delta(locale, &need.delta),
            ]);
        }
    }
    doc.table_with(
        td_string!(locale, report.changes_caption),
        &columns,
        &rows,
        &strong,
    );
    let titles = |list: &[app::domain::report::Changed]| -> Vec<String> {
        list.iter().map(|c| c.title.clone()).collect()
    };
    if !changes.total.reached.is_empty() {
        doc.heading(3, td_string!(locale, report.reached_list));
        doc.list(&titles(&changes.total.reached));
    }
    if !changes.total.newly_overdue.is_empty() {
        doc.heading(3, td_string!(locale, report.overdue_list));
        doc.list(&titles(&changes.total.newly_overdue));
    }
    if !changes.total.moved.is_empty() {
        doc.heading(3, td_string!(locale, report.moved_list));
        let items: Vec<String> = changes
            .total
            .moved
            .iter()
            .map(|m| format::moved(locale, m))
            .collect();
        doc.list(&items);
    }
    if !changes.indicators.is_empty() {
        doc.heading(3, td_string!(locale, report.indicators));
        let columns = [
            column(td_string!(locale, report.col_indicator), 3.0, Align::Left),
            column(td_string!(locale, report.col_then), 1.5, Align::Right),
            column(td_string!(locale, report.col_now), 1.5, Align::Right),
        ];
        let rows: Vec<Vec<String>> = changes
            .indicators
            .iter()
            .map(|i| {
                let value = |v: f64| format!("{} {}", format::measured(locale, v), i.unit);
                vec![
                    i.name.clone(),
                    i.then.map(value).unwrap_or_else(|| "–".to_owned()),
                    value(i.now),
                ]
            })
            .collect();
        doc.table(
            td_string!(locale, report.indicators_caption),
            &columns,
            &rows,
        );
    }
    doc.close();
}
