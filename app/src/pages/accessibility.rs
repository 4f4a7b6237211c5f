//! `/accessibility`: the accessibility statement (§ 7 BITV 2.0); `/easy-read`: Meilenstein
//! explained in Leichte Sprache (§ 4 BITV 2.0); `/admin/accessibility`: where admins set both.

use crate::{
    components::form::{Input, Refusal, Select, label},
    domain::accessibility::{Block, Conformance, Method},
    format,
    i18n::*,
    pages::loaded,
    server_fns::accessibility::{
        SetEasyRead, SetStatement, Statement, get_accessibility_settings, get_easy_read,
        get_statement,
    },
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StatementPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let data = Resource::new(move || locale, get_statement);
    view! {
        <Title text=move || t_string!(i18n, accessibility.title)/>
        <div class="statement">
            <h1>{t!(i18n, accessibility.title)}</h1>
            {loaded(data, move |statement| view! { <StatementView statement/> })}
        </div>
    }
}

#[component]
fn StatementView(statement: Statement) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let intro = if statement.body.is_empty() {
        td_string!(locale, accessibility.intro_nobody).to_owned()
    } else {
        td_string!(
            locale,
            accessibility.intro_body,
            body = statement.body.clone()
        )
        .to_string()
    };
    let state = match statement.conformance {
        Conformance::Full => t!(i18n, accessibility.state_full).into_any(),
        Conformance::Partial => t!(i18n, accessibility.state_partial).into_any(),
        Conformance::None => t!(i18n, accessibility.state_none).into_any(),
    };
    let method = match statement.method {
        Method::SelfAssessment => t!(i18n, accessibility.method_self).into_any(),
        Method::ThirdParty => t!(i18n, accessibility.method_third).into_any(),
    };
    let prepared = td_string!(
        locale,
        accessibility.prepared,
        date = format::date(locale, statement.prepared_on)
    )
    .to_string();
    let limitations = (!statement.limitations.is_empty()).then(|| {
        view! {
            <h2>{t!(i18n, accessibility.limitations_heading)}</h2>
            <TextBlocks blocks=statement.limitations.clone() level=3/>
        }
    });
    let sign_language = if statement.sign_language_url.is_empty() {
        view! { <p>{t!(i18n, accessibility.no_sign_language)}</p> }.into_any()
    } else {
        view! {
            <p><a href=statement.sign_language_url.clone()>{t!(i18n, accessibility.sign_language)}</a></p>
        }
        .into_any()
    };
    let contact = if statement.email.is_empty()
        && statement.phone.is_empty()
        && statement.contact.is_empty()
    {
        view! { <p>{t!(i18n, accessibility.no_contact)}</p> }.into_any()
    } else {
        let email = statement.email.clone();
        let phone = statement.phone.clone();
        let tel: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        view! {
            <address class="contact">
                {(!statement.contact.is_empty()).then(|| view! { <p>{statement.contact.clone()}</p> })}
                {(!email.is_empty()).then(|| view! {
                    <p>{t!(i18n, accessibility.email)} ": " <a href=format!("mailto:{email}")>{email.clone()}</a></p>
                })}
                {(!phone.is_empty()).then(|| view! {
                    <p>{t!(i18n, accessibility.phone)} ": " <a href=format!("tel:{tel}")>{phone.clone()}</a></p>
                })}
            </address>
        }
        .into_any()
    };
    view! {
        {statement.can_edit.then(|| view! {
            <p><a href="/admin/accessibility">{t!(i18n, accessibility.edit)}</a></p>
        })}
        <p class="lead">{intro}</p>
        <p>{t!(i18n, accessibility.legal)}</p>
        <p>{t!(i18n, accessibility.scope)}</p>
        <h2>{t!(i18n, accessibility.state_heading)}</h2>
        <p>{state}</p>
        {limitations}
        <h2>{t!(i18n, accessibility.prepared_heading)}</h2>
        <p>{prepared} " " {method}</p>
        <h2>{t!(i18n, accessibility.languages_heading)}</h2>
        <p><a href="/easy-read">{t!(i18n, accessibility.easy_read)}</a></p>
        {sign_language}
        <h2>{t!(i18n, accessibility.feedback_heading)}</h2>
        <p>{t!(i18n, accessibility.feedback)}</p>
        {contact}
        <h2>{t!(i18n, accessibility.enforcement_heading)}</h2>
        <p>{t!(i18n, accessibility.enforcement)}</p>
        <p><a href=statement.enforcement_url.clone()>{statement.enforcement_name.clone()}</a></p>
    }
}

#[component]
pub fn EasyReadPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let data = Resource::new(move || locale, get_easy_read);
    view! {
        <Title text=move || t_string!(i18n, easy_read.title)/>
        <h1>{t!(i18n, easy_read.title)}</h1>
        {loaded(data, move |page| {
            view! {
                {page.can_edit.then(|| view! {
                    <p><a href="/admin/accessibility#easy-read-heading">{t!(i18n, accessibility.edit)}</a></p>
                })}
                <div class="easy-read">
                    <TextBlocks blocks=page.blocks level=2/>
                </div>
            }
        })}
    }
}

/// A long text as headings (at `level`), paragraphs and lists; every word as text, no markup.
#[component]
fn TextBlocks(blocks: Vec<Block>, level: u8) -> impl IntoView {
    blocks
        .into_iter()
        .map(|block| match block {
            Block::Heading(text) if level <= 2 => view! { <h2>{text}</h2> }.into_any(),
            Block::Heading(text) => view! { <h3>{text}</h3> }.into_any(),
            Block::Paragraph(text) => view! { <p>{text}</p> }.into_any(),
            Block::List(items) => view! {
                <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view()
}

#[component]
pub fn AccessibilitySettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_accessibility_settings());
    view! {
        <Title text=move || t_string!(i18n, accessibility.settings_title)/>
        <h1>{t!(i18n, accessibility.settings_title)}</h1>
        <p class="lead">{t!(i18n, accessibility.settings_intro)}</p>
        <p>
            <a href="/accessibility">{t!(i18n, accessibility.title)}</a>
            " · "
            <a href="/easy-read">{t!(i18n, easy_read.title)}</a>
        </p>
        {loaded(data, move |settings| {
            view! {
                <StatementForm settings=settings.clone()/>
                <EasyReadForm de=settings.easy_read_de en=settings.easy_read_en/>
            }
        })}
    }
}

#[component]
fn StatementForm(settings: crate::domain::accessibility::Settings) -> impl IntoView {
    let i18n = use_i18n();
    let form = "statement".to_owned();
    let refusal = Refusal::of(ServerAction::<SetStatement>::new(), form.clone());
    let value = |field: &str, stored: &str| refusal.value(field, stored.to_owned());
    let conformance = value("conformance", settings.conformance.as_str());
    let method = value("method", settings.method.as_str());
    let prepared_on = value(
        "prepared_on",
        &settings.prepared_on().format("%Y-%m-%d").to_string(),
    );
    let missing_contact = (!settings.has_contact()).then(|| {
        view! { <p class="warning" role="note">{t!(i18n, accessibility.contact_missing)}</p> }
    });
    let conformance_choices = Conformance::ALL.map(|c| {
        let text = Signal::derive(move || {
            match c {
                Conformance::Full => t_string!(i18n, accessibility.conformance_full),
                Conformance::Partial => t_string!(i18n, accessibility.conformance_partial),
                Conformance::None => t_string!(i18n, accessibility.conformance_none),
            }
            .to_owned()
        });
        (c.as_str(), text)
    });
    let method_choices = Method::ALL.map(|m| {
        let text = Signal::derive(move || {
            match m {
                Method::SelfAssessment => t_string!(i18n, accessibility.method_self_assessment),
                Method::ThirdParty => t_string!(i18n, accessibility.method_third_party),
            }
            .to_owned()
        });
        (m.as_str(), text)
    });
    view! {
        <section aria-labelledby="statement-heading">
            <h2 id="statement-heading">{t!(i18n, accessibility.statement_heading)}</h2>
            {missing_contact}
            <form method="post" action="/api/admin/settings/accessibility" class="milestone-form long-texts" novalidate aria-labelledby="statement-heading">
                <Input form=form.clone() name="body" label=label(move || t_string!(i18n, accessibility.body_label))
                    value=value("body", &settings.body) problem=refusal.problem("body")/>
                <Select form=form.clone() name="conformance" label=label(move || t_string!(i18n, accessibility.conformance_label))
                    chosen=conformance choices=conformance_choices.to_vec() problem=refusal.problem("conformance")/>
                <Select form=form.clone() name="method" label=label(move || t_string!(i18n, accessibility.method_label))
                    chosen=method choices=method_choices.to_vec() problem=refusal.problem("method")/>
                <Input form=form.clone() name="prepared_on" kind="date" label=label(move || t_string!(i18n, accessibility.prepared_label))
                    value=prepared_on problem=refusal.problem("prepared_on")/>
                <p class="hint" id="statement-text-hint">{t!(i18n, accessibility.text_hint)}</p>
                <Input form=form.clone() name="limitations_de" textarea=true label=label(move || t_string!(i18n, accessibility.limitations_de_label))
                    value=value("limitations_de", &settings.limitations_de) problem=refusal.problem("limitations_de")/>
                <Input form=form.clone() name="limitations_en" textarea=true label=label(move || t_string!(i18n, accessibility.limitations_en_label))
                    value=value("limitations_en", &settings.limitations_en) problem=refusal.problem("limitations_en")/>
                <Input form=form.clone() name="contact" label=label(move || t_string!(i18n, accessibility.contact_label))
                    value=value("contact", &settings.contact) problem=refusal.problem("contact")/>
                <Input form=form.clone() name="email" kind="email" label=label(move || t_string!(i18n, accessibility.email_label))
                    value=value("email", &settings.email) problem=refusal.problem("email")/>
                <Input form=form.clone() name="phone" kind="tel" label=label(move || t_string!(i18n, accessibility.phone_label))
                    value=value("phone", &settings.phone) problem=refusal.problem("phone")/>
                <p class="hint">{t!(i18n, accessibility.enforcement_hint)}</p>
                <Input form=form.clone() name="enforcement_name" label=label(move || t_string!(i18n, accessibility.enforcement_name_label))
                    value=value("enforcement_name", &settings.enforcement_name) problem=refusal.problem("enforcement_name")/>
                <Input form=form.clone() name="enforcement_url" kind="url" label=label(move || t_string!(i18n, accessibility.enforcement_url_label))
                    value=value("enforcement_url", &settings.enforcement_url) problem=refusal.problem("enforcement_url")/>
                <Input form name="sign_language_url" kind="url" label=label(move || t_string!(i18n, accessibility.sign_language_label))
                    value=value("sign_language_url", &settings.sign_language_url) problem=refusal.problem("sign_language_url")/>
                <button type="submit">{t!(i18n, accessibility.save_statement)}</button>
            </form>
        </section>
    }
}

#[component]
fn EasyReadForm(de: String, en: String) -> impl IntoView {
    let i18n = use_i18n();
    let form = "easy-read".to_owned();
    let refusal = Refusal::of(ServerAction::<SetEasyRead>::new(), form.clone());
    view! {
        <section aria-labelledby="easy-read-heading">
            <h2 id="easy-read-heading">{t!(i18n, accessibility.easy_read_heading)}</h2>
            <p class="hint">{t!(i18n, accessibility.text_hint)}</p>
            <form method="post" action="/api/admin/settings/easy-read" class="milestone-form long-texts" novalidate aria-labelledby="easy-read-heading">
                <Input form=form.clone() name="text_de" textarea=true label=label(move || t_string!(i18n, accessibility.easy_read_de_label))
                    value=refusal.value("text_de", de) problem=refusal.problem("text_de")/>
                <Input form name="text_en" textarea=true label=label(move || t_string!(i18n, accessibility.easy_read_en_label))
                    value=refusal.value("text_en", en) problem=refusal.problem("text_en")/>
                <button type="submit">{t!(i18n, accessibility.save_easy_read)}</button>
            </form>
        </section>
    }
}
