//! `/admin` (accounts, roles, sub-goals, settings) and `/admin/audit` (the log): admins only,
//! checked by every server function behind them.

use crate::{
    components::{
        error_view::ErrorView,
        layout::{encode_query, role_label},
        milestone_form::problem_text,
    },
    domain::{Problem, access::Role},
    error::AppError,
    i18n::*,
    pages::history::AuditTable,
    server_fns::admin::{
        AdminPage as AdminData, AssignOwner, ChangeRole, CreateAccount, LogFilter, ResetPassword,
        SetAccountActive, SetPublicRead, UnassignOwner, UserRow, get_admin, search_log,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct AdminActions {
    create: ServerAction<CreateAccount>,
    role: ServerAction<ChangeRole>,
    password: ServerAction<ResetPassword>,
    active: ServerAction<SetAccountActive>,
    assign: ServerAction<AssignOwner>,
    unassign: ServerAction<UnassignOwner>,
    public_read: ServerAction<SetPublicRead>,
}

/// The latest error of any administration form.
fn last_error(actions: AdminActions) -> Option<AppError> {
    [
        actions.create.value().get().and_then(Result::err),
        actions.role.value().get().and_then(Result::err),
        actions.password.value().get().and_then(Result::err),
        actions.active.value().get().and_then(Result::err),
        actions.assign.value().get().and_then(Result::err),
        actions.unassign.value().get().and_then(Result::err),
        actions.public_read.value().get().and_then(Result::err),
    ]
    .into_iter()
    .flatten()
    .next()
}

/// The message for one field of one form, if that form was refused.
fn field_problem(
    actions: AdminActions,
    form: String,
    field: &'static str,
) -> impl Fn() -> Option<Problem> + Send + Sync + 'static {
    move || last_error(actions).and_then(|e| e.rejected_field(&form, field))
}

#[component]
fn FieldMessage(problem: Signal<Option<Problem>>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        problem.get().map(|problem| {
            view! {
                <p class="field-error" id=id.clone()>
                    {move || problem_text(i18n.get_locale(), problem)}
                </p>
            }
        })
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = AdminActions {
        create: ServerAction::new(),
        role: ServerAction::new(),
        password: ServerAction::new(),
        active: ServerAction::new(),
        assign: ServerAction::new(),
        unassign: ServerAction::new(),
        public_read: ServerAction::new(),
    };
    let page = Resource::new(|| (), |_| get_admin());
    view! {
        <Title text=move || t_string!(i18n, admin.title)/>
        <Transition fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <AdminView page actions/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AdminView(page: AdminData, actions: AdminActions) -> impl IntoView {
    let i18n = use_i18n();
    let me = page.me;
    let subgoals = page.subgoals.clone();
    let public_read = page.public_read;
    let failed = move || {
        last_error(actions)
            .filter(|e| !matches!(e, AppError::Rejected { .. }))
            .map(|e| match e {
                AppError::LoginTaken => t_string!(i18n, admin.login_taken).to_owned(),
                AppError::Busy => t_string!(i18n, errors.save_busy).to_owned(),
                _ => t_string!(i18n, errors.save_failed).to_owned(),
            })
    };
    view! {
        <h1>{t!(i18n, admin.title)}</h1>
        <p><a href="/admin/audit">{t!(i18n, admin.log_link)}</a></p>
        {move || failed().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
        <section aria-labelledby="settings-heading">
            <h2 id="settings-heading">{t!(i18n, admin.settings)}</h2>
            <p>
                {if public_read { t!(i18n, admin.public_read_on).into_any() } else { t!(i18n, admin.public_read_off).into_any() }}
            </p>
            <ActionForm action=actions.public_read attr:class="inline-form">
                <input type="hidden" name="on" value=(!public_read).to_string()/>
                <button type="submit">
                    {if public_read { t!(i18n, admin.public_read_disable).into_any() } else { t!(i18n, admin.public_read_enable).into_any() }}
                </button>
            </ActionForm>
            <EmbedOriginsForm stored=page.embed_origins.clone()/>
            <GraceDaysForm stored=page.grace_days/>
            <RemindersForm days_before=page.reminder_days_before hour=page.reminder_hour/>
            <h3>{t!(i18n, accessibility.title)}</h3>
            <p><a href="/admin/accessibility">{t!(i18n, accessibility.settings_link)}</a></p>
        </section>
        <section aria-labelledby="users-heading">
            <h2 id="users-heading">{t!(i18n, admin.users)}</h2>
            <ul class="users">
                {page
                    .users
                    .into_iter()
                    .map(|user| {
                        let subgoals = subgoals.clone();
                        view! { <UserCard user subgoals actions me/> }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section aria-labelledby="new-user-heading">
            <h2 id="new-user-heading">{t!(i18n, admin.new_user)}</h2>
            <NewUserForm actions/>
        </section>
    }
}

#[component]
fn RoleOptions(selected: Role) -> impl IntoView {
    let i18n = use_i18n();
    Role::ALL
        .into_iter()
        .map(|role| {
            view! {
                <option value=role.as_str() selected=role == selected>
                    {move || role_label(i18n.get_locale(), role)}
                </option>
            }
        })
        .collect_view()
}

#[component]
fn UserCard(
    user: UserRow,
    subgoals: Vec<crate::server_fns::strategy::Crumb>,
    actions: AdminActions,
    me: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id;
    let heading = format!("user-{id}");
    let labelled_by = heading.clone();
    let role_problem = Signal::derive(field_problem(actions, format!("role-{id}"), "role"));
    let password_problem =
        Signal::derive(field_problem(actions, format!("password-{id}"), "password"));
    let active_problem = Signal::derive(field_problem(actions, format!("active-{id}"), "active"));
    let owned_ids: Vec<i64> = user.owned.iter().map(|c| c.id).collect();
    let assignable = subgoals
        .into_iter()
        .filter(|s| !owned_ids.contains(&s.id))
        .map(|s| view! { <option value=s.id>{s.title}</option> })
        .collect_view();
    let owned = user
        .owned
        .into_iter()
        .map(|subgoal| {
            let title = subgoal.title.clone();
            view! {
                <li>
                    <a href=format!("/subgoals/{}", subgoal.id)>{subgoal.title}</a>
                    <ActionForm action=actions.unassign attr:class="inline-form">
                        <input type="hidden" name="user_id" value=id/>
                        <input type="hidden" name="subgoal_id" value=subgoal.id/>
                        <button type="submit" aria-label=move || format!("{}: {title}", t_string!(i18n, admin.unassign))>
                            {t!(i18n, admin.unassign)}
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    let active = user.active;
    let name = user.display_name.clone();
    view! {
        <li class="user">
            <article aria-labelledby=labelled_by>
                <h3 id=heading>
                    {user.display_name}
                    " "
                    <span class="muted">"(" {user.login} ")"</span>
                    {(!active).then(|| view! { " " <span class="badge">{t!(i18n, admin.deactivated)}</span> })}
                    {(id == me).then(|| view! { " " <span class="badge">{t!(i18n, admin.you)}</span> })}
                </h3>
                <ActionForm action=actions.role attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id/>
                    <label for=format!("role-{id}")>{t!(i18n, admin.role)}</label>
                    <select id=format!("role-{id}") name="role" aria-describedby=format!("role-{id}-error")>
                        <RoleOptions selected=user.role/>
                    </select>
                    <button type="submit">{t!(i18n, admin.change_role)}</button>
                    <FieldMessage problem=role_problem id=format!("role-{id}-error")/>
                </ActionForm>
                <ActionForm action=actions.active attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id/>
                    <input type="hidden" name="active" value=(!active).to_string()/>
                    <button
                        type="submit"
                        class:danger=active
                        aria-label=move || format!("{}: {name}", if active { t_string!(i18n, admin.deactivate) } else { t_string!(i18n, admin.activate) })
                    >
                        {if active { t!(i18n, admin.deactivate).into_any() } else { t!(i18n, admin.activate).into_any() }}
                    </button>
                    <FieldMessage problem=active_problem id=format!("active-{id}-error")/>
                </ActionForm>
                <h4>{t!(i18n, admin.owned)}</h4>
                <ul class="owned">{owned}</ul>
                <ActionForm action=actions.assign attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id/>
                    <label for=format!("assign-{id}")>{t!(i18n, admin.subgoal)}</label>
                    <select id=format!("assign-{id}") name="subgoal_id">{assignable}</select>
                    <button type="submit">{t!(i18n, admin.assign)}</button>
                </ActionForm>
                <details class="password" open=move || password_problem.get().is_some()>
                    <summary>{t!(i18n, admin.reset_password)}</summary>
                    <ActionForm action=actions.password attr:class="inline-form" attr:novalidate=true>
                        <input type="hidden" name="user_id" value=id/>
                        <label for=format!("password-{id}")>{t!(i18n, admin.new_password)}</label>
                        <input
                            id=format!("password-{id}")
                            name="password"
                            type="password"
                            autocomplete="new-password"
                            aria-describedby=format!("password-{id}-error")
                            aria-invalid=move || password_problem.get().map(|_| "true")
                        />
                        <button type="submit">{t!(i18n, admin.set_password)}</button>
                        <FieldMessage problem=password_problem id=format!("password-{id}-error")/>
                    </ActionForm>
                </details>
                <ContactForm user_id=id email=user.email language=user.language/>
            </article>
        </li>
    }
}

#[component]
fn NewUserForm(actions: AdminActions) -> impl IntoView {
    let i18n = use_i18n();
    let field =
        |name: &'static str| Signal::derive(field_problem(actions, "new-user".to_owned(), name));
    let (login, display_name, role, password, email) = (
        field("login"),
        field("display_name"),
        field("role"),
        field("password"),
        field("email"),
    );
    let language = field("language").get_untracked();
    let invalid = |p: Signal<Option<Problem>>| move || p.get().map(|_| "true");
    // What was typed, when the page was loaded again after a refusal (without JavaScript).
    let typed = move |name: &'static str| {
        actions
            .create
            .value()
            .get_untracked()
            .and_then(Result::err)
            .and_then(|e| e.rejected_value("new-user", name))
    };
    let typed_role = typed("role")
        .and_then(|r| Role::parse(&r))
        .unwrap_or(Role::Owner);
    view! {
        <ActionForm action=actions.create attr:class="milestone-form" attr:novalidate=true>
            <div class="form-row">
                <div class="form-field">
                    <label for="new-user-login">{t!(i18n, login.name)}</label>
                    <input id="new-user-login" name="login" type="text" autocomplete="off" value=typed("login")
                        aria-describedby="new-user-login-error" aria-invalid=invalid(login)/>
                    <FieldMessage problem=login id="new-user-login-error".to_owned()/>
                </div>
                <div class="form-field">
                    <label for="new-user-name">{t!(i18n, admin.display_name)}</label>
                    <input id="new-user-name" name="display_name" type="text" autocomplete="off" value=typed("display_name")
                        aria-describedby="new-user-name-error" aria-invalid=invalid(display_name)/>
                    <FieldMessage problem=display_name id="new-user-name-error".to_owned()/>
                </div>
                <div class="form-field">
                    <label for="new-user-role">{t!(i18n, admin.role)}</label>
                    <select id="new-user-role" name="role" aria-describedby="new-user-role-error">
                        <RoleOptions selected=typed_role/>
                    </select>
                    <FieldMessage problem=role id="new-user-role-error".to_owned()/>
                </div>
                <div class="form-field">
                    <label for="new-user-password">{t!(i18n, admin.initial_password)}</label>
                    <input id="new-user-password" name="password" type="password" autocomplete="new-password"
                        aria-describedby="new-user-password-hint new-user-password-error" aria-invalid=invalid(password)/>
                    <p class="hint" id="new-user-password-hint">{t!(i18n, admin.password_hint)}</p>
                    <FieldMessage problem=password id="new-user-password-error".to_owned()/>
                </div>
                <div class="form-field">
                    <label for="new-user-email">{t!(i18n, admin.email)}</label>
                    <input id="new-user-email" name="email" type="email" autocomplete="off" value=typed("email")
                        aria-describedby="new-user-email-hint new-user-email-error" aria-invalid=invalid(email)/>
                    <p class="hint" id="new-user-email-hint">{t!(i18n, admin.email_hint)}</p>
                    <FieldMessage problem=email id="new-user-email-error".to_owned()/>
                </div>
                <LanguageSelect form="new-user".to_owned() selected=typed("language").unwrap_or_default() problem=language/>
            </div>
            <button type="submit" class="primary">{t!(i18n, admin.create)}</button>
        </ActionForm>
    }
}

/// Which filter field of the log is wrong, and why.
#[component]
fn FilterProblems(errors: Vec<(String, Problem)>) -> impl IntoView {
    let i18n = use_i18n();
    let items = errors
        .into_iter()
        .map(|(field, problem)| {
            let label = move || match field.as_str() {
                "from" => t_string!(i18n, log.from),
                _ => t_string!(i18n, log.until),
            };
            view! { <li>{move || format!("{}: {}", label(), problem_text(i18n.get_locale(), problem))}</li> }
        })
        .collect_view();
    view! { <ul class="field-error" role="alert">{items}</ul> }
}

/// `/admin/audit`: the whole log, filtered by a plain GET form (works without JavaScript).
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        LogFilter {
            actor: q.get("actor"),
            object_type: q.get("object_type"),
            object_id: q.get("object_id"),
            from: q.get("from"),
            until: q.get("until"),
        }
    });
    // Read once (see `id_page`).
    let key = filter.get_untracked();
    let log = Resource::new(
        move || key.clone(),
        |f| search_log(f.actor, f.object_type, f.object_id, f.from, f.until),
    );
    let csv = move || {
        let f = filter.get();
        let pairs = [
            ("actor", f.actor),
            ("object_type", f.object_type),
            ("object_id", f.object_id),
            ("from", f.from),
            ("until", f.until),
        ];
        let query: Vec<String> = pairs
            .into_iter()
            .filter_map(|(k, v)| {
                v.filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", encode_query(&v)))
            })
            .collect();
        format!("/admin/audit.csv?{}", query.join("&"))
    };
    let value = move |key: &'static str| move || query.read().get(key).unwrap_or_default();
    let types = [
        "milestone",
        "subgoal",
        "need",
        "field",
        "strategy",
        "user",
        "setting",
        "session",
        "request",
    ];
    view! {
        <Title text=move || t_string!(i18n, log.title)/>
        <h1>{t!(i18n, log.title)}</h1>
        <form method="get" action="/admin/audit" class="milestone-form">
            <div class="form-row">
                <div class="form-field">
                    <label for="log-actor">{t!(i18n, log.actor)}</label>
                    <input id="log-actor" name="actor" type="text" value=value("actor")/>
                </div>
                <div class="form-field">
                    <label for="log-type">{t!(i18n, log.object_type)}</label>
                    <select id="log-type" name="object_type">
                        <option value="">{t!(i18n, log.any)}</option>
                        {types
                            .into_iter()
                            .map(|t| view! { <option value=t selected=move || query.read().get("object_type").as_deref() == Some(t)>{t}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="form-field">
                    <label for="log-object">{t!(i18n, log.object_id)}</label>
                    <input id="log-object" name="object_id" type="text" size="8" value=value("object_id")/>
                </div>
                <div class="form-field">
                    <label for="log-from">{t!(i18n, log.from)}</label>
                    <input id="log-from" name="from" type="date" value=value("from")/>
                </div>
                <div class="form-field">
                    <label for="log-until">{t!(i18n, log.until)}</label>
                    <input id="log-until" name="until" type="date" value=value("until")/>
                </div>
            </div>
            <button type="submit" class="primary">{t!(i18n, log.filter)}</button>
        </form>
        <p><a href=csv download>{t!(i18n, log.csv)}</a></p>
        <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(rows) => view! { <AuditTable rows/> }.into_any(),
                    Err(AppError::Rejected { form, errors, .. }) if form == "log" => {
                        view! { <FilterProblems errors/> }.into_any()
                    }
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Which other sites may show the widgets: a plain form, so it works without JavaScript; a
/// refused entry comes back next to the field, as typed.
#[component]
fn EmbedOriginsForm(stored: String) -> impl IntoView {
    use crate::components::form::{Input, Refusal, label};
    let i18n = use_i18n();
    let form = "embed".to_owned();
    let refusal = Refusal::of(
        ServerAction::<crate::server_fns::admin::SetEmbedOrigins>::new(),
        form.clone(),
    );
    view! {
        <h3 id="embed-heading">{t!(i18n, admin.embed_heading)}</h3>
        <p class="hint">{t!(i18n, admin.embed_hint)}</p>
        <form method="post" action="/api/admin/settings/embed-origins" class="milestone-form" novalidate aria-labelledby="embed-heading">
            <Input form name="origins" textarea=true label=label(move || t_string!(i18n, admin.embed_origins))
                value=refusal.value("origins", stored) problem=refusal.problem("origins")/>
            <button type="submit">{t!(i18n, admin.embed_save)}</button>
        </form>
    }
}

/// The grace days after each reporting period (see the owner's page and the board).
#[component]
fn GraceDaysForm(stored: u32) -> impl IntoView {
    use crate::components::form::{Input, Refusal, label};
    let i18n = use_i18n();
    let form = "grace".to_owned();
    let refusal = Refusal::of(
        ServerAction::<crate::server_fns::admin::SetGraceDays>::new(),
        form.clone(),
    );
    view! {
        <h3 id="grace-heading">{t!(i18n, admin.grace_heading)}</h3>
        <p class="hint">{t!(i18n, admin.grace_hint)}</p>
        <form method="post" action="/api/admin/settings/grace-days" class="inline-form" novalidate aria-labelledby="grace-heading">
            <Input form name="days" label=label(move || t_string!(i18n, admin.grace_days))
                value=refusal.value("days", stored.to_string()) problem=refusal.problem("days")/>
            <button type="submit">{t!(i18n, admin.grace_save)}</button>
        </form>
    }
}

/// Where an account's reminders go and in which language: a plain form, so it works without
/// JavaScript; a refused entry comes back next to the field, as typed.
#[component]
fn ContactForm(
    user_id: i64,
    email: Option<String>,
    language: crate::i18n::Locale,
) -> impl IntoView {
    use crate::components::form::{Input, Refusal, label};
    let i18n = use_i18n();
    let form = format!("contact-{user_id}");
    let refusal = Refusal::of(
        ServerAction::<crate::server_fns::admin::SetContact>::new(),
        form.clone(),
    );
    let heading = format!("{form}-heading");
    let selected = refusal.value("language", language.as_str().to_owned());
    view! {
        <h4 id=heading.clone()>{t!(i18n, admin.contact_heading)}</h4>
        <p class="hint">{t!(i18n, admin.email_hint)}</p>
        <form method="post" action="/api/admin/users/contact" class="inline-form" novalidate aria-labelledby=heading>
            <input type="hidden" name="user_id" value=user_id/>
            <Input form=form.clone() name="email" kind="email" label=label(move || t_string!(i18n, admin.email))
                value=refusal.value("email", email.unwrap_or_default()) problem=refusal.problem("email")/>
            <LanguageSelect form selected problem=refusal.problem("language")/>
            <button type="submit">{t!(i18n, admin.contact_save)}</button>
        </form>
    }
}

/// The language of an account's reminders.
#[component]
fn LanguageSelect(form: String, selected: String, problem: Option<Problem>) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("{form}-language");
    let error_id = format!("{id}-error");
    let described = problem.map(|_| error_id.clone());
    let message = problem.map(|problem| {
        view! { <p class="field-error" id=error_id>{move || problem_text(i18n.get_locale(), problem)}</p> }
    });
    let option = |value: &'static str, text: Signal<String>| {
        let chosen = selected == value;
        view! { <option value=value selected=chosen>{text}</option> }
    };
    view! {
        <div class="form-field">
            <label for=id.clone()>{t!(i18n, admin.language)}</label>
            <select id=id name="language" aria-invalid=problem.map(|_| "true") aria-describedby=described>
                {option("de", Signal::derive(move || t_string!(i18n, admin.language_de).to_owned()))}
                {option("en", Signal::derive(move || t_string!(i18n, admin.language_en).to_owned()))}
            </select>
            {message}
        </div>
    }
}

/// When owners are reminded of their reports: days before the deadline, the hour of sending.
#[component]
fn RemindersForm(days_before: u32, hour: u32) -> impl IntoView {
    use crate::components::form::{Input, Refusal, label};
    let i18n = use_i18n();
    let form = "reminders".to_owned();
    let refusal = Refusal::of(
        ServerAction::<crate::server_fns::admin::SetReminders>::new(),
        form.clone(),
    );
    view! {
        <h3 id="reminders-heading">{t!(i18n, admin.reminders_heading)}</h3>
        <p class="hint">{t!(i18n, admin.reminders_hint)}</p>
        <form method="post" action="/api/admin/settings/reminders" class="inline-form" novalidate aria-labelledby="reminders-heading">
            <Input form=form.clone() name="days_before" label=label(move || t_string!(i18n, admin.reminder_days))
                value=refusal.value("days_before", days_before.to_string()) problem=refusal.problem("days_before")/>
            <Input form name="hour" label=label(move || t_string!(i18n, admin.reminder_hour))
                value=refusal.value("hour", hour.to_string()) problem=refusal.problem("hour")/>
            <button type="submit">{t!(i18n, admin.reminders_save)}</button>
        </form>
    }
}
