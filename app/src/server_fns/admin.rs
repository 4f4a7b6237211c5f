//! Administration (admins only): accounts, roles, ownership of sub-goals, settings, the log.

use crate::{
    domain::access::Role,
    error::AppError,
    server_fns::{history::AuditRow, strategy::Crumb},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminPage {
    pub users: Vec<UserRow>,
    /// Every sub-goal, titled "need › sub-goal", to assign.
    pub subgoals: Vec<Crumb>,
    pub public_read: bool,
    /// The origins that may frame the widgets, separated by spaces.
    pub embed_origins: String,
    /// The grace days after a reporting period (see `domain::rhythm`).
    pub grace_days: u32,
    /// Days before a report's deadline that owners are reminded (see `domain::reminders`).
    pub reminder_days_before: u32,
    /// The hour reminders are sent at.
    pub reminder_hour: u32,
    /// The admin looking at the page (who may not lock themselves out).
    pub me: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub owned: Vec<Crumb>,
    /// Where reminders go.
    pub email: Option<String>,
    /// The language of the reminders.
    pub language: crate::i18n::Locale,
}

/// The filter of the admin's log; empty fields match everything.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LogFilter {
    pub actor: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// How many entries the log page shows at most (the CSV download has all that match).
pub const LOG_PAGE_ENTRIES: i64 = 500;

#[server(endpoint = "admin/overview")]
pub async fn get_admin() -> Result<AdminPage, AppError> {
    let (state, caller) = super::guard::administrable("read the administration page").await?;
    let subgoals = state.store.subgoal_list().await?;
    let ownerships = state.store.ownerships().await?;
    let crumb = |id: i64| {
        subgoals
            .iter()
            .find(|(s, _, _)| *s == id)
            .map(|(id, need, title)| Crumb {
                id: *id,
                title: format!("{need} › {title}"),
            })
    };
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .filter_map(|u| {
            Some(UserRow {
                role: Role::parse(&u.role)?,
                owned: ownerships
                    .iter()
                    .filter(|(user, _)| *user == u.id)
                    .filter_map(|(_, subgoal)| crumb(*subgoal))
                    .collect(),
                id: u.id,
                login: u.login,
                display_name: u.display_name,
                active: u.active,
                email: u.email,
                language: crate::i18n::Locale::parse(&u.language).unwrap_or_default(),
            })
        })
        .collect();
    Ok(AdminPage {
        users,
        subgoals: subgoals
            .iter()
            .filter_map(|(id, _, _)| crumb(*id))
            .collect(),
        public_read: state.store.public_read().await?,
        embed_origins: state.store.embed_origins().await?.join(" "),
        grace_days: state.store.grace_days().await?,
        reminder_days_before: state.store.reminder_days_before().await?,
        reminder_hour: state.store.reminder_hour().await?,
        me: caller.account.map(|a| a.id).unwrap_or_default(),
    })
}

#[server(endpoint = "admin/users/create")]
pub async fn create_account(
    login: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    password: Option<String>,
    email: Option<String>,
    language: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("create an account").await?;
    let typed = ssr::Typed {
        login,
        display_name,
        role,
        password,
        email,
        language,
    };
    ssr::create(&state, &caller, typed).await
}

/// Where an account's reminders go (empty: none) and in which language.
#[server(endpoint = "admin/users/contact")]
pub async fn set_contact(
    user_id: i64,
    email: Option<String>,
    language: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{Problem, validation};
    let (state, caller) =
        super::guard::administrable(&format!("change the e-mail address of user {user_id}"))
            .await?;
    let (typed_email, typed_language) = (email.unwrap_or_default(), language.unwrap_or_default());
    let mut errors = Vec::new();
    let email = validation::email(&typed_email)
        .map_err(|p| errors.push(("email", p)))
        .unwrap_or_default();
    let language = crate::i18n::Locale::parse(&typed_language);
    if language.is_none() {
        errors.push(("language", Problem::UnknownLanguage));
    }
    let Some(language) = language.filter(|_| errors.is_empty()) else {
        return Err(AppError::rejected(&format!("contact-{user_id}"), errors)
            .with_typed([("email", &*typed_email), ("language", &*typed_language)]));
    };
    state
        .store
        .set_contact(
            user_id,
            email.as_deref(),
            language,
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await
}

/// When owners are reminded: days before a deadline (0 to 60) and the hour of sending (0 to 23).
#[server(endpoint = "admin/settings/reminders")]
pub async fn set_reminders(
    days_before: Option<String>,
    hour: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::validation;
    let (state, caller) = super::guard::administrable("change the reminder settings").await?;
    let (typed_days, typed_hour) = (days_before.unwrap_or_default(), hour.unwrap_or_default());
    let mut errors = Vec::new();
    let days = validation::reminder_days(&typed_days).map_err(|p| errors.push(("days_before", p)));
    let hour = validation::hour(&typed_hour).map_err(|p| errors.push(("hour", p)));
    let (Ok(days), Ok(hour)) = (days, hour) else {
        return Err(AppError::rejected("reminders", errors)
            .with_typed([("days_before", &*typed_days), ("hour", &*typed_hour)]));
    };
    let (days, hour) = (days.to_string(), hour.to_string());
    state
        .store
        .set_settings(
            &[
                (crate::store::REMINDER_DAYS_BEFORE, &days),
                (crate::store::REMINDER_HOUR, &hour),
            ],
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await
}

#[server(endpoint = "admin/users/role")]
pub async fn change_role(user_id: i64, role: Option<String>) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("change the role of user {user_id}")).await?;
    let role = Role::parse(role.as_deref().unwrap_or_default()).ok_or_else(|| {
        AppError::rejected(
            &format!("role-{user_id}"),
            vec![("role", crate::domain::Problem::UnknownRole)],
        )
    })?;
    if ssr::is_me(&caller, user_id) && role != Role::Admin {
        return Err(AppError::rejected(
            &format!("role-{user_id}"),
            vec![("role", crate::domain::Problem::OwnAccount)],
        ));
    }
    let actor = crate::audit::Actor::of(&caller);
    state
        .store
        .set_role(user_id, role, chrono::Utc::now(), &actor)
        .await
}

#[server(endpoint = "admin/users/password")]
pub async fn reset_password(user_id: i64, password: Option<String>) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("reset the password of user {user_id}")).await?;
    ssr::reset_password(&state, &caller, user_id, password.unwrap_or_default()).await
}

#[server(endpoint = "admin/users/active")]
pub async fn set_account_active(user_id: i64, active: bool) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("activate or deactivate user {user_id}")).await?;
    if ssr::is_me(&caller, user_id) && !active {
        return Err(AppError::rejected(
            &format!("active-{user_id}"),
            vec![("active", crate::domain::Problem::OwnAccount)],
        ));
    }
    let actor = crate::audit::Actor::of(&caller);
    state
        .store
        .set_active(user_id, active, chrono::Utc::now(), &actor)
        .await
}

#[server(endpoint = "admin/users/assign")]
pub async fn assign_owner(user_id: i64, subgoal_id: i64) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("assign sub-goal {subgoal_id} to user {user_id}"))
            .await?;
    let actor = crate::audit::Actor::of(&caller);
    state
        .store
        .assign_subgoal(user_id, subgoal_id, chrono::Utc::now(), &actor)
        .await
}

#[server(endpoint = "admin/users/unassign")]
pub async fn unassign_owner(user_id: i64, subgoal_id: i64) -> Result<(), AppError> {
    let (state, caller) =
        super::guard::administrable(&format!("take sub-goal {subgoal_id} from user {user_id}"))
            .await?;
    let actor = crate::audit::Actor::of(&caller);
    state
        .store
        .unassign_subgoal(user_id, subgoal_id, chrono::Utc::now(), &actor)
        .await
}

#[server(endpoint = "admin/settings/public-read")]
pub async fn set_public_read(on: bool) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("change public read access").await?;
    let actor = crate::audit::Actor::of(&caller);
    let value = if on { "on" } else { "off" };
    state
        .store
        .set_setting(crate::store::PUBLIC_READ, value, chrono::Utc::now(), &actor)
        .await
}

/// Which origins may frame the widgets (`/embed/`): checked, stored normalised; an empty
/// field: none (the form always sends the field; a request without it is refused).
#[server(endpoint = "admin/settings/embed-origins")]
pub async fn set_embed_origins(origins: Option<String>) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("change the embedding origins").await?;
    let typed = origins.ok_or_else(|| {
        AppError::rejected("embed", vec![("origins", crate::domain::Problem::Required)])
    })?;
    let origins = crate::domain::validation::origins(&typed).map_err(|problem| {
        AppError::rejected("embed", vec![("origins", problem)]).with_typed([("origins", &*typed)])
    })?;
    let actor = crate::audit::Actor::of(&caller);
    state
        .store
        .set_setting(
            crate::store::EMBED_ORIGINS,
            &origins.join(" "),
            chrono::Utc::now(),
            &actor,
        )
        .await
}

/// The grace days after a reporting period until its report is late: 0 to 90.
#[server(endpoint = "admin/settings/grace-days")]
pub async fn set_grace_days(days: Option<String>) -> Result<(), AppError> {
    let (state, caller) = super::guard::administrable("change the reporting grace days").await?;
    let typed = days.unwrap_or_default();
    let days = crate::domain::validation::grace_days(&typed).map_err(|problem| {
        AppError::rejected("grace", vec![("days", problem)]).with_typed([("days", &*typed)])
    })?;
    state
        .store
        .set_setting(
            crate::store::REPORT_GRACE_DAYS,
            &days.to_string(),
            chrono::Utc::now(),
            &crate::audit::Actor::of(&caller),
        )
        .await
}

#[server(endpoint = "admin/log")]
pub async fn search_log(
    actor: Option<String>,
    object_type: Option<String>,
    object_id: Option<String>,
    from: Option<String>,
    until: Option<String>,
) -> Result<Vec<AuditRow>, AppError> {
    let (state, _) = super::guard::administrable("read the audit log").await?;
    let filter = LogFilter {
        actor,
        object_type,
        object_id,
        from,
        until,
    };
    let records = state
        .store
        .audit_search(&ssr::store_filter(&filter, LOG_PAGE_ENTRIES)?)
        .await?;
    Ok(records.iter().map(super::history::ssr::row).collect())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::{
        audit::Actor,
        auth::{self, Caller},
        domain::validation,
        state::AppState,
        store::AuditFilter,
    };

    pub fn is_me(caller: &Caller, user_id: i64) -> bool {
        caller.account.as_ref().is_some_and(|a| a.id == user_id)
    }

    fn non_empty(value: &Option<String>) -> Option<String> {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// The filter as the store takes it; a date that is not one is refused by name (form
    /// `log`, fields `from` and `until`).
    pub fn store_filter(filter: &LogFilter, limit: i64) -> Result<AuditFilter, AppError> {
        let mut errors = Vec::new();
        let mut date = |field: &'static str, value: &Option<String>| {
            let text = non_empty(value);
            match validation::optional_date(text.as_deref().unwrap_or_default()) {
                Ok(_) => text,
                Err(problem) => {
                    errors.push((field, problem));
                    None
                }
            }
        };
        let (from, until) = (date("from", &filter.from), date("until", &filter.until));
        if !errors.is_empty() {
            return Err(AppError::rejected("log", errors));
        }
        Ok(AuditFilter {
            actor: non_empty(&filter.actor),
            object_type: non_empty(&filter.object_type),
            object_id: non_empty(&filter.object_id),
            from,
            until,
            limit,
        })
    }

    /// What the form for a new account sent, as typed.
    pub struct Typed {
        pub login: Option<String>,
        pub display_name: Option<String>,
        pub role: Option<String>,
        pub password: Option<String>,
        pub email: Option<String>,
        pub language: Option<String>,
    }

    pub async fn create(state: &AppState, caller: &Caller, typed: Typed) -> Result<(), AppError> {
        let [
            typed_login,
            typed_name,
            typed_role,
            typed_email,
            typed_language,
        ] = [
            typed.login,
            typed.display_name,
            typed.role,
            typed.email,
            typed.language,
        ]
        .map(Option::unwrap_or_default);
        let mut errors = Vec::new();
        let login = validation::login_name(&typed_login)
            .map_err(|p| errors.push(("login", p)))
            .unwrap_or_default();
        let name = validation::title(&typed_name)
            .map_err(|p| errors.push(("display_name", p)))
            .unwrap_or_default();
        let role = Role::parse(&typed_role);
        if role.is_none() {
            errors.push(("role", crate::domain::Problem::UnknownRole));
        }
        let email = validation::email(&typed_email)
            .map_err(|p| errors.push(("email", p)))
            .unwrap_or_default();
        // A form without the field (an older page, a script) asks for German.
        let language = if typed_language.is_empty() {
            Some(crate::i18n::Locale::de)
        } else {
            crate::i18n::Locale::parse(&typed_language)
        };
        if language.is_none() {
            errors.push(("language", crate::domain::Problem::UnknownLanguage));
        }
        let password = typed.password.unwrap_or_default();
        if let Err(problem) = auth::check_new_password(&password, &[&login, &name]) {
            errors.push(("password", problem));
        }
        let (Some(role), Some(language), true) = (role, language, errors.is_empty()) else {
            let typed = [
                &*typed_login,
                &typed_name,
                &typed_role,
                &typed_email,
                &typed_language,
            ];
            return Err(refused(errors, typed));
        };
        let hash = auth::hash_password(password).await?;
        let now = chrono::Utc::now();
        let actor = Actor::of(caller);
        let contact = crate::store::Contact {
            email: email.as_deref(),
            language,
        };
        state
            .store
            .create_user_with_contact(&login, &name, role, &hash, contact, now, &actor)
            .await
            .map(|_| ())
    }

    /// A refused new account: the problems, and what was typed (never the password).
    fn refused(errors: Vec<(&'static str, crate::domain::Problem)>, typed: [&str; 5]) -> AppError {
        let [login, name, role, email, language] = typed;
        AppError::rejected("new-user", errors).with_typed([
            ("login", login),
            ("display_name", name),
            ("role", role),
            ("email", email),
            ("language", language),
        ])
    }

    pub async fn reset_password(
        state: &AppState,
        caller: &Caller,
        user_id: i64,
        password: String,
    ) -> Result<(), AppError> {
        let user = state
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.id == user_id)
            .ok_or(AppError::NotFound)?;
        auth::check_new_password(&password, &[&user.login, &user.display_name]).map_err(|p| {
            AppError::rejected(&format!("password-{user_id}"), vec![("password", p)])
        })?;
        let hash = auth::hash_password(password).await?;
        state
            .store
            .set_password(user_id, &hash, chrono::Utc::now(), &Actor::of(caller))
            .await
    }
}
