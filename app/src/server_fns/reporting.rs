//! Reporting: the owner's page ("Meine Teilziele"), confirming that a sub-goal's state is
//! current, and the reporting rhythm (admins).

use crate::{
    domain::rhythm::{LastReport, Rhythm, Standing},
    error::AppError,
    server_fns::strategy::{Crumb, MilestoneView, SubGoalSummary},
};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Milestones due within this many days are "due soon" on the owner's page.
pub const SOON_DAYS: i64 = 14;
/// The owner's page lists at most this many milestones of each kind per sub-goal; the rest
/// are on the sub-goal's page (and in the template).
pub const LISTED: usize = 25;

/// `/my-subgoals`: an owner's sub-goals, or (admins) a department's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MySubgoalsPage {
    pub whose: Whose,
    /// For admins: every department that owns a sub-goal, to choose from.
    pub departments: Vec<String>,
    pub subgoals: Vec<OwnSubgoal>,
    pub today: NaiveDate,
    pub grace_days: u32,
}

/// Whose sub-goals the page lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Whose {
    /// The signed-in owner's (their display name).
    Mine(String),
    /// A department's, chosen by an admin.
    Department(String),
    /// An admin who has not chosen a department yet.
    Choose,
}

/// One sub-goal on the owner's page: where it stands, what is late or due, its reports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnSubgoal {
    pub strategy: Crumb,
    pub need: Crumb,
    pub subgoal: SubGoalSummary,
    pub rhythm: Rhythm,
    pub standing: Standing,
    pub last_report: Option<LastReport>,
    /// Open and past due, earliest first.
    pub overdue: Vec<MilestoneView>,
    /// Open and due within [`SOON_DAYS`], earliest first.
    pub due_soon: Vec<MilestoneView>,
    /// The other open milestones, earliest first.
    pub later: Vec<MilestoneView>,
    /// Open milestones not listed (beyond [`LISTED`] of a kind).
    #[serde(default)]
    pub not_listed: usize,
}

impl OwnSubgoal {
    /// Late with its report, or with milestones: first on the page.
    pub fn needs_attention(&self) -> bool {
        self.standing.is_late() || !self.overdue.is_empty()
    }
}

/// `/reporting` ("Berichtsstand"): every sub-goal's reports, for the CDO office.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardPage {
    pub rows: Vec<BoardRow>,
    pub sort: BoardSort,
    pub descending: bool,
    pub today: NaiveDate,
    pub grace_days: u32,
    /// The caller may set each sub-goal's rhythm (admins).
    pub can_administer: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub department: Option<String>,
    pub strategy: Crumb,
    pub need: Crumb,
    pub subgoal: Crumb,
    pub rhythm: Rhythm,
    pub last_report: Option<LastReport>,
    pub standing: Standing,
}

/// The board's columns it can be sorted by (`?sort=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardSort {
    #[default]
    Department,
    Subgoal,
    Last,
    Due,
    Late,
}

impl BoardSort {
    pub const ALL: [BoardSort; 5] = [
        BoardSort::Department,
        BoardSort::Subgoal,
        BoardSort::Last,
        BoardSort::Due,
        BoardSort::Late,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BoardSort::Department => "department",
            BoardSort::Subgoal => "subgoal",
            BoardSort::Last => "last",
            BoardSort::Due => "due",
            BoardSort::Late => "late",
        }
    }

    pub fn parse(text: &str) -> Option<BoardSort> {
        BoardSort::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The column and direction of `?sort=…&dir=asc|desc` (none: by department, ascending).
    pub fn of_query(sort: Option<&str>, dir: Option<&str>) -> Result<(BoardSort, bool), AppError> {
        let sort = match sort.map(str::trim) {
            None | Some("") => BoardSort::default(),
            Some(text) => BoardSort::parse(text)
                .ok_or_else(|| AppError::BadRequest(format!("sort: unknown column {text:?}")))?,
        };
        let descending = match dir.map(str::trim) {
            None | Some("") | Some("asc") => false,
            Some("desc") => true,
            Some(text) => {
                return Err(AppError::BadRequest(format!(
                    "dir: expected asc or desc, not {text:?}"
                )));
            }
        };
        Ok((sort, descending))
    }

    /// Sorts rows by this column (ties: department, then the strategy's order).
    pub fn apply(self, rows: &mut [BoardRow], descending: bool) {
        let department = |r: &BoardRow| r.department.clone().unwrap_or_default().to_lowercase();
        rows.sort_by(|a, b| {
            let order = match self {
                BoardSort::Department => department(a).cmp(&department(b)),
                BoardSort::Subgoal => a
                    .subgoal
                    .title
                    .to_lowercase()
                    .cmp(&b.subgoal.title.to_lowercase()),
                BoardSort::Last => {
                    let day = |r: &BoardRow| r.last_report.as_ref().map(|l| l.day);
                    day(a).cmp(&day(b))
                }
                BoardSort::Due => a.standing.due.deadline.cmp(&b.standing.due.deadline),
                BoardSort::Late => a.standing.days_late.cmp(&b.standing.days_late),
            };
            let order = if descending { order.reverse() } else { order };
            order.then_with(|| department(a).cmp(&department(b)))
        });
    }
}

/// The board, sorted by `sort` (a [`BoardSort`] name; default: by department), `dir=desc` for
/// descending. For everyone who may read the strategy.
#[server(endpoint = "reporting")]
pub async fn get_board(sort: Option<String>, dir: Option<String>) -> Result<BoardPage, AppError> {
    let (state, caller) = super::guard::readable("read the reporting board").await?;
    let (sort, descending) = BoardSort::of_query(sort.as_deref(), dir.as_deref())?;
    let mut page = ssr::board(&state).await?;
    sort.apply(&mut page.rows, descending);
    page.sort = sort;
    page.descending = descending;
    page.can_administer = crate::server_fns::strategy::ssr::administers(&caller);
    Ok(page)
}

/// The caller's sub-goals (owners), or a department's (admins: `department`, else the list to
/// choose from). Viewers have none.
#[server(endpoint = "my-subgoals")]
pub async fn get_my_subgoals(department: Option<String>) -> Result<MySubgoalsPage, AppError> {
    let (state, account) = super::guard::reporting("read the owner's page").await?;
    let department = department
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    ssr::page(&state, &account, department).await
}

/// Confirms that a sub-goal's state is current ("Stand bestätigen"), with an optional note:
/// the sub-goal's report for the period.
#[server(endpoint = "subgoals/confirm")]
pub async fn confirm_subgoal(subgoal_id: i64, note: Option<String>) -> Result<(), AppError> {
    let (state, caller) = super::guard::editable_subgoal(
        subgoal_id,
        &format!("confirm the state of sub-goal {subgoal_id}"),
    )
    .await?;
    let form = format!("confirm-{subgoal_id}");
    let typed = note.unwrap_or_default();
    let note =
        crate::domain::validation::optional_text(&typed, crate::domain::validation::MAX_NOTE_CHARS)
            .map_err(|problem| {
                AppError::rejected(&form, vec![("note", problem)]).with_typed([("note", &*typed)])
            })?;
    state
        .store
        .confirm_subgoal(
            subgoal_id,
            note.as_deref(),
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await
}

/// Sets how often a sub-goal is reported on (admins): `monthly`, `quarterly`, `half_yearly`.
#[server(endpoint = "subgoals/rhythm")]
pub async fn set_rhythm(subgoal_id: i64, rhythm: Option<String>) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable(&format!(
        "set the reporting rhythm of sub-goal {subgoal_id}"
    ))
    .await?;
    let form = format!("rhythm-{subgoal_id}");
    let typed = rhythm.unwrap_or_default();
    let rhythm = crate::domain::validation::rhythm(&typed).map_err(|problem| {
        AppError::rejected(&form, vec![("rhythm", problem)]).with_typed([("rhythm", &*typed)])
    })?;
    state
        .store
        .set_rhythm(
            subgoal_id,
            rhythm,
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{
        domain::{
            access::{Account, Role},
            schedule,
        },
        server_fns::strategy::ssr::{load, subgoal_summary},
        state::AppState,
    };

    /// Which sub-goals a page is for.
    enum Selection<'a> {
        Owned(&'a [i64]),
        Department(&'a str),
        Nothing,
    }

    impl Selection<'_> {
        fn takes(&self, id: i64, owner: Option<&str>) -> bool {
            match self {
                Selection::Owned(ids) => ids.contains(&id),
                Selection::Department(name) => owner == Some(*name),
                Selection::Nothing => false,
            }
        }
    }

    pub async fn board(state: &AppState) -> Result<BoardPage, AppError> {
        let today = state.clock.today();
        let grace_days = state.store.grace_days().await?;
        let reporting = state.store.reporting(today).await?;
        let mut rows = Vec::new();
        for header in state.store.strategies().await? {
            let strategy = load(state, Some(header.id), None).await?;
            for need in strategy.fields.iter().flat_map(|f| &f.needs) {
                for subgoal in &need.subgoals {
                    let record = reporting.get(&subgoal.id);
                    rows.push(BoardRow {
                        department: subgoal.owner.clone(),
                        strategy: Crumb {
                            id: strategy.id,
                            title: strategy.title.clone(),
                        },
                        need: Crumb {
                            id: need.id,
                            title: need.title.clone(),
                        },
                        subgoal: Crumb {
                            id: subgoal.id,
                            title: subgoal.title.clone(),
                        },
                        rhythm: record.map(|r| r.rhythm).unwrap_or_default(),
                        last_report: record.and_then(|r| r.last.clone()),
                        standing: standing_of(record, grace_days, today),
                    });
                }
            }
        }
        Ok(BoardPage {
            rows,
            sort: BoardSort::default(),
            descending: false,
            today,
            grace_days,
            can_administer: false,
        })
    }

    /// The standing of a sub-goal with these reports (none: created today).
    fn standing_of(
        record: Option<&crate::store::Reporting>,
        grace_days: u32,
        today: NaiveDate,
    ) -> Standing {
        match record {
            Some(record) => record.standing(grace_days, today),
            None => {
                crate::domain::rhythm::standing(Rhythm::default(), grace_days, today, &[], today)
            }
        }
    }

    /// The board as a CSV file in the dialect of `locale`, in the order given.
    pub fn board_csv(locale: crate::i18n::Locale, page: &BoardPage) -> Vec<u8> {
        use crate::i18n::td_string;
        let mut csv = crate::spreadsheet::Csv::new(locale);
        csv.row([
            td_string!(locale, board.col_department),
            td_string!(locale, board.col_strategy),
            td_string!(locale, board.col_need),
            td_string!(locale, board.col_subgoal),
            td_string!(locale, reporting.rhythm),
            td_string!(locale, board.col_last),
            td_string!(locale, board.col_last_kind),
            td_string!(locale, board.col_due),
            td_string!(locale, board.col_late),
        ]);
        for row in &page.rows {
            let last = row.last_report.as_ref();
            csv.row([
                row.department.clone().unwrap_or_default(),
                row.strategy.title.clone(),
                row.need.title.clone(),
                row.subgoal.title.clone(),
                crate::format::rhythm(locale, row.rhythm).to_owned(),
                last.map(|l| l.day.to_string()).unwrap_or_default(),
                last.map(|l| {
                    if l.confirmation {
                        td_string!(locale, board.kind_confirmation)
                    } else {
                        td_string!(locale, board.kind_change)
                    }
                })
                .unwrap_or_default()
                .to_owned(),
                row.standing.due.deadline.to_string(),
                row.standing.days_late.to_string(),
            ]);
        }
        csv.finish()
    }

    pub async fn page(
        state: &AppState,
        account: &Account,
        department: Option<String>,
    ) -> Result<MySubgoalsPage, AppError> {
        let today = state.clock.today();
        let grace_days = state.store.grace_days().await?;
        let reporting = state.store.reporting(today).await?;
        let is_admin = account.role == Role::Admin;
        let (whose, selection) = match (&department, is_admin) {
            (_, false) => (
                Whose::Mine(account.display_name.clone()),
                Selection::Owned(&account.owned_subgoals),
            ),
            (Some(name), true) => (Whose::Department(name.clone()), Selection::Department(name)),
            (None, true) => (Whose::Choose, Selection::Nothing),
        };
        let mut departments = Vec::new();
        let mut subgoals = Vec::new();
        for header in state.store.strategies().await? {
            let strategy = load(state, Some(header.id), None).await?;
            for field in &strategy.fields {
                for need in &field.needs {
                    for subgoal in &need.subgoals {
                        if let Some(owner) = &subgoal.owner
                            && is_admin
                            && !departments.contains(owner)
                        {
                            departments.push(owner.clone());
                        }
                        if !selection.takes(subgoal.id, subgoal.owner.as_deref()) {
                            continue;
                        }
                        let record = reporting.get(&subgoal.id);
                        let standing = standing_of(record, grace_days, today);
                        let mut own = OwnSubgoal {
                            strategy: Crumb {
                                id: strategy.id,
                                title: strategy.title.clone(),
                            },
                            need: Crumb {
                                id: need.id,
                                title: need.title.clone(),
                            },
                            subgoal: subgoal_summary(subgoal, today),
                            rhythm: record.map(|r| r.rhythm).unwrap_or_default(),
                            standing,
                            last_report: record.and_then(|r| r.last.clone()),
                            overdue: Vec::new(),
                            due_soon: Vec::new(),
                            later: Vec::new(),
                            not_listed: 0,
                        };
                        let mut open: Vec<_> = subgoal
                            .milestones
                            .iter()
                            .filter(|m| m.data.status.is_open())
                            .collect();
                        open.sort_by_key(|m| (m.data.due, m.id));
                        for milestone in open {
                            let view = MilestoneView {
                                milestone: milestone.clone(),
                                planned: milestone.data.due,
                                state: schedule::of_milestone(&milestone.data, today),
                            };
                            let days = (milestone.data.due - today).num_days();
                            if days < 0 {
                                own.overdue.push(view);
                            } else if days <= SOON_DAYS {
                                own.due_soon.push(view);
                            } else {
                                own.later.push(view);
                            }
                        }
                        for list in [&mut own.overdue, &mut own.due_soon, &mut own.later] {
                            own.not_listed += list.len().saturating_sub(LISTED);
                            list.truncate(LISTED);
                        }
                        subgoals.push(own);
                    }
                }
            }
        }
        departments.sort_by_key(|d| d.to_lowercase());
        // What needs attention first; otherwise the strategy's order.
        subgoals.sort_by_key(|s| !s.needs_attention());
        Ok(MySubgoalsPage {
            whose,
            departments,
            subgoals,
            today,
            grace_days,
        })
    }
}
