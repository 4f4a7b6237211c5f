//! The admins' forms for the strategy's structure, each folded in a `<details>`. Plain form
//! posts: the page loads again with the change, or with the refusal next to the field.

use crate::{
    components::form::{Input, Refusal, label},
    format,
    i18n::*,
    server_fns::structure::{AddNeed, AddSubgoal, EditField, EditNeed, EditSubgoal, Rebaseline},
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
