//! The admins' forms for the strategy's structure, each folded in a `<details>`. Plain form
//! posts: the page loads again with the change, or with the refusal next to the field.

use crate::{
    components::form::{Input, Refusal, label},
    domain::About,
    format,
    i18n::*,
    server_fns::strategy::ArchivedPart,
    server_fns::structure::{
        AddField, AddNeed, AddSubgoal, CreateStrategy, EditBuildsOn, EditField, EditNeed,
        EditStrategy, EditSubgoal, Rebaseline,
    },
};
use leptos::prelude::*;

#[component]
pub fn FieldEditor(id: i64, title: String, goal: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("field-{id}");
    let refusal = Refusal::of(ServerAction::<EditField>::new(), form.clone());
    view! {
        <details class="structure" open=refusal.any()>
            <summary>{t!(i18n, structure.edit_field)}</summary>
            <form method="post" action="/api/structure/field" class="milestone-form" novalidate>
                <input type="hidden" name="id" value=id/>
                <Input form=form.clone() name="title" label=label(move || t_string!(i18n, structure.title))
                    value=refusal.value("title", title) problem=refusal.problem("title")/>
                <Input form=form name="goal" label=label(move || t_string!(i18n, structure.goal))
                    value=refusal.value("goal", goal.unwrap_or_default()) problem=refusal.problem("goal") textarea=true/>
                <button type="submit">{t!(i18n, structure.save)}</button>
            </form>
        </details>
    }
}

#[component]
pub fn AddNeedForm(field_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("new-need-{field_id}");
    let refusal = Refusal::of(ServerAction::<AddNeed>::new(), form.clone());
    view! {
        <details class="structure" open=refusal.any()>
            <summary>{t!(i18n, structure.add_need)}</summary>
            <form method="post" action="/api/structure/need/add" class="milestone-form" novalidate>
                <input type="hidden" name="field_id" value=field_id/>
                <Input form=form name="title" label=label(move || t_string!(i18n, structure.title))
                    value=refusal.value("title", String::new()) problem=refusal.problem("title")/>
                <button type="submit">{t!(i18n, structure.add)}</button>
            </form>
        </details>
    }
}

#[component]
pub fn NeedEditor(id: i64, title: String) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("need-{id}");
    let refusal = Refusal::of(ServerAction::<EditNeed>::new(), form.clone());
    view! {
        <details class="structure" open=refusal.any()>
            <summary>{t!(i18n, structure.edit_need)}</summary>
            <form method="post" action="/api/structure/need" class="milestone-form" novalidate>
                <input type="hidden" name="id" value=id/>
                <Input form=form name="title" label=label(move || t_string!(i18n, structure.title))
                    value=refusal.value("title", title) problem=refusal.problem("title")/>
                <button type="submit">{t!(i18n, structure.save)}</button>
            </form>
        </details>
    }
}

/// The fields of a sub-goal: title, owner (department) and weight.
#[component]
fn SubGoalFields(refusal: Refusal, title: String, owner: String, weight: String) -> impl IntoView {
    let i18n = use_i18n();
    let form = refusal.form.clone();
    view! {
        <Input form=form.clone() name="title" label=label(move || t_string!(i18n, structure.title))
            value=refusal.value("title", title) problem=refusal.problem("title")/>
        <div class="form-row">
            <Input form=form.clone() name="owner" label=label(move || t_string!(i18n, subgoal.owner))
                value=refusal.value("owner", owner) problem=refusal.problem("owner")/>
            <Input form=form name="weight" label=label(move || t_string!(i18n, subgoal.weight))
                value=refusal.value("weight", weight) problem=refusal.problem("weight")/>
        </div>
    }
}

#[component]
pub fn SubGoalEditor(id: i64, title: String, owner: Option<String>, weight: f64) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(ServerAction::<EditSubgoal>::new(), format!("subgoal-{id}"));
    let open = refusal.any();
    let weight = format::weight(i18n.get_locale_untracked(), weight);
    view! {
        <details class="structure" open=open>
            <summary>{t!(i18n, structure.edit_subgoal)}</summary>
            <form method="post" action="/api/structure/subgoal" class="milestone-form" novalidate>
                <input type="hidden" name="id" value=id/>
                <SubGoalFields refusal title owner=owner.unwrap_or_default() weight/>
                <button type="submit">{t!(i18n, structure.save)}</button>
            </form>
        </details>
    }
}

#[component]
pub fn AddSubGoalForm(need_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(
        ServerAction::<AddSubgoal>::new(),
        format!("new-subgoal-{need_id}"),
    );
    let open = refusal.any();
    view! {
        <details class="structure" open=open>
            <summary>{t!(i18n, structure.add_subgoal)}</summary>
            <form method="post" action="/api/structure/subgoal/add" class="milestone-form" novalidate>
                <input type="hidden" name="need_id" value=need_id/>
                <SubGoalFields refusal title=String::new() owner=String::new() weight="1".to_owned()/>
                <button type="submit">{t!(i18n, structure.add)}</button>
            </form>
        </details>
    }
}

/// Fixes today's due dates as the need's new plan, with the reason (admins).
#[component]
pub fn RebaselineForm(need_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("baseline-{need_id}");
    let refusal = Refusal::of(ServerAction::<Rebaseline>::new(), form.clone());
    view! {
        <details class="structure" open=refusal.any()>
            <summary>{t!(i18n, plan.rebaseline)}</summary>
            <p class="hint">{t!(i18n, plan.rebaseline_hint)}</p>
            <form method="post" action="/api/structure/need/baseline" class="milestone-form" novalidate>
                <input type="hidden" name="need_id" value=need_id/>
                <Input form=form name="reason" label=label(move || t_string!(i18n, plan.reason))
                    value=refusal.value("reason", String::new()) problem=refusal.problem("reason") textarea=true/>
                <button type="submit">{t!(i18n, plan.rebaseline)}</button>
            </form>
        </details>
    }
}

/// The fields of the strategy form: title, city, period (two years), description.
#[component]
fn StrategyFields(refusal: Refusal, title: String, about: About) -> impl IntoView {
    let i18n = use_i18n();
    let form = refusal.form.clone();
    let (from, to) = about
        .period
        .map(|p| (p.from.to_string(), p.to.to_string()))
        .unwrap_or_default();
    view! {
        <Input form=form.clone() name="title" label=label(move || t_string!(i18n, setup.strategy_title))
            value=refusal.value("title", title) problem=refusal.problem("title")/>
        <Input form=form.clone() name="city" label=label(move || t_string!(i18n, setup.city))
            value=refusal.value("city", about.city.unwrap_or_default()) problem=refusal.problem("city")/>
        <div class="form-row">
            <Input form=form.clone() name="period_from" label=label(move || t_string!(i18n, setup.period_from))
                value=refusal.value("period_from", from) problem=refusal.problem("period_from")/>
            <Input form=form.clone() name="period_to" label=label(move || t_string!(i18n, setup.period_to))
                value=refusal.value("period_to", to) problem=refusal.problem("period_to")/>
        </div>
        <Input form=form name="description" label=label(move || t_string!(i18n, setup.description))
            value=refusal.value("description", about.description.unwrap_or_default())
            problem=refusal.problem("description") textarea=true/>
    }
}

/// Creating a strategy (admins, on "Strategien verwalten").
#[component]
pub fn NewStrategyForm() -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(
        ServerAction::<CreateStrategy>::new(),
        "new-strategy".to_owned(),
    );
    view! {
        <form method="post" action="/api/structure/strategy/create" class="milestone-form" novalidate>
            <StrategyFields refusal title=String::new() about=About::default()/>
            <button type="submit">{t!(i18n, setup.create)}</button>
        </form>
    }
}

#[component]
pub fn StrategyEditor(id: i64, title: String, about: About) -> impl IntoView {
    let i18n = use_i18n();
    let refusal = Refusal::of(
        ServerAction::<EditStrategy>::new(),
        format!("strategy-{id}"),
    );
    let open = refusal.any();
    view! {
        <details class="structure" open=open>
            <summary>{t!(i18n, setup.edit_strategy)}</summary>
            <form method="post" action="/api/structure/strategy" class="milestone-form" novalidate>
                <input type="hidden" name="id" value=id/>
                <StrategyFields refusal title about/>
                <button type="submit">{t!(i18n, setup.save)}</button>
            </form>
        </details>
    }
}

#[component]
pub fn AddFieldForm(strategy_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let form = format!("new-field-{strategy_id}");
    let refusal = Refusal::of(ServerAction::<AddField>::new(), form.clone());
    view! {
        <details class="structure" open=refusal.any()>
            <summary>{t!(i18n, setup.add_field)}</summary>
            <form method="post" action="/api/structure/field/add" class="milestone-form" novalidate>
                <input type="hidden" name="strategy_id" value=strategy_id/>
                <Input form=form.clone() name="title" label=label(move || t_string!(i18n, setup.field_title))
                    value=refusal.value("title", String::new()) problem=refusal.problem("title")/>
                <Input form=form name="goal" label=label(move || t_string!(i18n, structure.goal))
                    value=refusal.value("goal", String::new()) problem=refusal.problem("goal") textarea=true/>
                <button type="submit">{t!(i18n, setup.add)}</button>
            </form>
        </details>
    }
}

/// A field's "builds on" list: each entry its own form (save, up, down, remove), and one to
/// add an entry at the end. Every button is a plain submit, so it works without JavaScript and
/// from the keyboard; each says which entry it acts on.
#[component]
pub fn BuildsOnEditor(field_id: i64, items: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let count = items.len();
    let any_open = (0..count).any(|i| {
        Refusal::of(
            ServerAction::<EditBuildsOn>::new(),
            format!("builds-on-{field_id}-{i}"),
        )
        .any()
    });
    let new_form = format!("builds-on-{field_id}-new");
    let new_refusal = Refusal::of(ServerAction::<EditBuildsOn>::new(), new_form.clone());
    let open = any_open || new_refusal.any();
    let entries = items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let form = format!("builds-on-{field_id}-{index}");
            let refusal = Refusal::of(ServerAction::<EditBuildsOn>::new(), form.clone());
            let n = index + 1;
            let named = item.clone();
            let (up, down, remove) = (named.clone(), named.clone(), named);
            view! {
                <li>
                    <form method="post" action="/api/structure/field/builds-on" class="builds-on-entry" novalidate>
                        <input type="hidden" name="field_id" value=field_id/>
                        <input type="hidden" name="index" value=index/>
                        <input type="hidden" name="was" value=item.clone()/>
                        <Input form name="item"
                            label=Signal::derive(move || td_string!(i18n.get_locale(), setup.builds_on_item, n = n).to_string())
                            value=refusal.value("item", item) problem=refusal.problem("item")/>
                        <div class="button-row">
                            <button type="submit" name="op" value="save">{t!(i18n, setup.save)}</button>
                            <button type="submit" name="op" value="up" disabled=index == 0
                                aria-label=move || td_string!(i18n.get_locale(), setup.up_named, title = up.clone()).to_string()>
                                {t!(i18n, setup.up)}
                            </button>
                            <button type="submit" name="op" value="down" disabled=index + 1 == count
                                aria-label=move || td_string!(i18n.get_locale(), setup.down_named, title = down.clone()).to_string()>
                                {t!(i18n, setup.down)}
                            </button>
                            <button type="submit" name="op" value="remove"
                                aria-label=move || td_string!(i18n.get_locale(), setup.remove_named, title = remove.clone()).to_string()>
                                {t!(i18n, setup.remove)}
                            </button>
                        </div>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="structure" open=open>
            <summary>{t!(i18n, setup.builds_on_edit)}</summary>
            {(count == 0).then(|| view! { <p>{t!(i18n, setup.builds_on_empty)}</p> })}
            <ol class="builds-on-list">{entries}</ol>
            <form method="post" action="/api/structure/field/builds-on" class="milestone-form" novalidate>
                <input type="hidden" name="field_id" value=field_id/>
                <input type="hidden" name="op" value="add"/>
                <Input form=new_form name="item" label=label(move || t_string!(i18n, setup.builds_on_new))
                    value=new_refusal.value("item", String::new()) problem=new_refusal.problem("item")/>
                <button type="submit">{t!(i18n, setup.add)}</button>
            </form>
        </details>
    }
}

/// Which list an `OrderList` orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parts {
    Fields,
    Needs,
    SubGoals,
}

impl Parts {
    fn kind(self) -> &'static str {
        match self {
            Parts::Fields => "field",
            Parts::Needs => "need",
            Parts::SubGoals => "subgoal",
        }
    }
}

/// A list in its order, each entry with buttons to move it up or down and to archive it
/// (admins). Plain posts; each button names its entry for screen readers.
#[component]
pub fn OrderList(parts: Parts, items: Vec<(i64, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let count = items.len();
    let kind = parts.kind();
    let summary = move || match parts {
        Parts::Fields => t_string!(i18n, setup.order_fields),
        Parts::Needs => t_string!(i18n, setup.order_needs),
        Parts::SubGoals => t_string!(i18n, setup.order_subgoals),
    };
    let entries = items
        .into_iter()
        .enumerate()
        .map(|(index, (id, title))| {
            let (up, down, archive) = (title.clone(), title.clone(), title.clone());
            view! {
                <li>
                    <span class="order-title">{title}</span>
                    <form method="post" action="/api/structure/move" class="inline-form">
                        <input type="hidden" name="kind" value=kind/>
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" name="direction" value="up" disabled=index == 0
                            aria-label=move || td_string!(i18n.get_locale(), setup.up_named, title = up.clone()).to_string()>
                            {t!(i18n, setup.up)}
                        </button>
                        <button type="submit" name="direction" value="down" disabled=index + 1 == count
                            aria-label=move || td_string!(i18n.get_locale(), setup.down_named, title = down.clone()).to_string()>
                            {t!(i18n, setup.down)}
                        </button>
                    </form>
                    <form method="post" action="/api/structure/archive" class="inline-form">
                        <input type="hidden" name="kind" value=kind/>
                        <input type="hidden" name="id" value=id/>
                        <button type="submit"
                            aria-label=move || td_string!(i18n.get_locale(), setup.archive_named, title = archive.clone()).to_string()>
                            {t!(i18n, setup.archive)}
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <details class="structure">
            <summary>{summary}</summary>
            <p class="hint">{t!(i18n, setup.archive_hint)}</p>
            <ol class="order-list">{entries}</ol>
        </details>
    }
}

/// The strategy's archived parts, each with a button to restore it (admins).
#[component]
pub fn ArchivedList(parts: Vec<ArchivedPart>) -> impl IntoView {
    let i18n = use_i18n();
    let entries = parts
        .into_iter()
        .map(|part| {
            let kind = part.kind.clone();
            let kind_word = move || match kind.as_str() {
                "field" => t_string!(i18n, setup.kind_field),
                "need" => t_string!(i18n, setup.kind_need),
                _ => t_string!(i18n, setup.kind_subgoal),
            };
            let within = part.within.clone().map(|place| {
                view! { " " {move || td_string!(i18n.get_locale(), setup.in_place, title = place.clone()).to_string()} }
            });
            let named = part.title.clone();
            view! {
                <li>
                    {kind_word} ": " <span class="order-title">{part.title}</span> {within}
                    <form method="post" action="/api/structure/restore" class="inline-form">
                        <input type="hidden" name="kind" value=part.kind/>
                        <input type="hidden" name="id" value=part.id/>
                        <button type="submit"
                            aria-label=move || td_string!(i18n.get_locale(), setup.restore_named, title = named.clone()).to_string()>
                            {t!(i18n, setup.restore)}
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="archived-heading" class="archived">
            <h2 id="archived-heading">{t!(i18n, setup.archived_heading)}</h2>
            <p class="hint">{t!(i18n, setup.archive_hint)}</p>
            <ul>{entries}</ul>
        </section>
    }
}

/// The upload of a structure sheet for this strategy (admins): a plain multipart post
/// (`/strategies/{id}/structure`), answered with its preview.
#[component]
pub fn StructureUpload(strategy_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let input = format!("structure-file-{strategy_id}");
    view! {
        <details class="structure">
            <summary>{t!(i18n, setup.structure_upload)}</summary>
            <p class="hint wide">{t!(i18n, setup.structure_hint)}</p>
            <form class="inline-form" method="post" action=format!("/strategies/{strategy_id}/structure")
                enctype="multipart/form-data">
                <label for=input.clone()>{t!(i18n, setup.structure_file)}</label>
                <input id=input type="file" name="file" required
                    accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>
                <button type="submit">{t!(i18n, setup.structure_send)}</button>
            </form>
        </details>
    }
}
