//! `/reporting` ("Berichtsstand"): for the CDO office, every sub-goal's last report, when the
//! next is due and how many days it is late, per department; sortable by each column (links,
//! so it works without JavaScript), and as a CSV (`/reporting.csv`).

use crate::{
    format,
    i18n::*,
    pages::{
        loaded,
        my_subgoals::{last_report_text, standing_text},
        query_param,
    },
    server_fns::reporting::{BoardPage as PageData, BoardRow, BoardSort, get_board},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let sort = query_param("sort");
    let dir = query_param("dir");
    let data = Resource::new(
        move || (sort.get(), dir.get()),
        |(sort, dir)| get_board(sort, dir),
    );
    view! {
        <Title text=move || t_string!(i18n, board.title)/>
        <p class="kicker">{t!(i18n, reporting.kicker)}</p>
        <h1>{t!(i18n, board.title)}</h1>
        {loaded(data, |page| view! { <Board page/> })}
    }
}

#[component]
fn Board(page: PageData) -> impl IntoView {
    let i18n = use_i18n();
    let late = page.rows.iter().filter(|r| r.standing.is_late()).count();
    let total = page.rows.len();
    let grace = page.grace_days;
    let (sort, descending) = (page.sort, page.descending);
    // A column header: a link that sorts by it (again: the other way round), and says so.
    let header = move |column: BoardSort, label: fn(Locale) -> &'static str| {
        let active = column == sort;
        let next_desc = active && !descending;
        let href = format!(
            "/reporting?sort={}{}",
            column.as_str(),
            if next_desc { "&dir=desc" } else { "" }
        );
        let aria_sort = active.then_some(if descending {
            "descending"
        } else {
            "ascending"
        });
        let arrow = active.then_some(if descending { " ▼" } else { " ▲" });
        view! {
            <th scope="col" aria-sort=aria_sort>
                <a href=href>{move || label(i18n.get_locale())}<span aria-hidden="true">{arrow}</span></a>
            </th>
        }
    };
    let rows = page
        .rows
        .into_iter()
        .map(|row| view! { <Row row/> })
        .collect_view();
    let csv = move || {
        format!(
            "/reporting.csv?sort={}{}&lang={}",
            sort.as_str(),
            if descending { "&dir=desc" } else { "" },
            i18n.get_locale().as_str()
        )
    };
    view! {
        <p class="lead">
            {move || td_string!(i18n.get_locale(), board.intro, days = grace).to_string()}
        </p>
        <p class="summary" role="status">
            {move || {
                let locale = i18n.get_locale();
                td_string!(locale, board.summary, late = format::count(locale, late), total = format::count(locale, total)).to_string()
            }}
        </p>
        <p><a href=csv download>{t!(i18n, board.download)}</a></p>
        <div class="table-wrap" role="region" aria-labelledby="board-caption" tabindex="0">
            <table class="board">
                <caption id="board-caption">{t!(i18n, board.caption)}</caption>
                <thead>
                    <tr>
                        {header(BoardSort::Department, |l| td_string!(l, board.col_department))}
                        {header(BoardSort::Subgoal, |l| td_string!(l, board.col_subgoal))}
                        <th scope="col">{t!(i18n, reporting.rhythm)}</th>
                        {header(BoardSort::Last, |l| td_string!(l, board.col_last))}
                        {header(BoardSort::Due, |l| td_string!(l, board.col_due))}
                        {header(BoardSort::Late, |l| td_string!(l, board.col_late))}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(row: BoardRow) -> impl IntoView {
    let i18n = use_i18n();
    let standing = row.standing;
    let late = standing.is_late();
    let last = row.last_report;
    let rhythm = row.rhythm;
    let department = row.department.unwrap_or_else(|| "–".to_owned());
    view! {
        <tr class:late=late>
            <td>{department}</td>
            <th scope="row">
                <a href=format!("/subgoals/{}", row.subgoal.id)>{row.subgoal.title}</a>
                <span class="board-need">{row.need.title}</span>
            </th>
            <td>{move || format::rhythm(i18n.get_locale(), rhythm)}</td>
            <td>{move || last_report_text(i18n.get_locale(), last.as_ref())}</td>
            <td>{move || standing_text(i18n.get_locale(), &standing)}</td>
            <td class="number">
                {late.then(|| view! { <span aria-hidden="true">"! "</span> })}
                {standing.days_late}
            </td>
        </tr>
    }
}
