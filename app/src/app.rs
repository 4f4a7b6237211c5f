//! The HTML document (`shell`, rendered on the server only) and the app: meta context,
//! translations and routes.

use crate::{
    components::{error_view::NotFound, layout::Layout},
    i18n::*,
    pages::{
        accessibility::{AccessibilitySettingsPage, EasyReadPage, StatementPage},
        admin::{AdminPage, AuditLogPage},
        board::BoardPage,
        bulk::BulkPage,
        dashboard::StrategyPage,
        embed::{EmbedFieldPage, EmbedNeedPage},
        history::{MilestoneHistoryPage, SubGoalHistoryPage},
        home::HomePage,
        login::LoginPage,
        my_subgoals::MySubgoalsPage,
        need::NeedPage,
        presentation::PresentPage,
        quality::QualityPage,
        reports::{ReportPage, ReportsPage},
        setup::{ImportPreviewPage, StrategiesPage, StructurePreviewPage},
        subgoal::SubGoalPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The stylesheet's address: the bundle's name, with its content's hash once the server has
/// read the built files (see the server's `assets`).
fn stylesheet_href(options: &LeptosOptions) -> String {
    format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    let locale = provide_i18n();
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=stylesheet_href(&options)/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <IslandScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
            <Title formatter=|title: String| {
                if title.is_empty() { "Meilenstein".to_owned() } else { format!("{title} – Meilenstein") }
            }/>
            <Router>
                <Layout>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                        <Route path=path!("/strategies/:id") view=StrategyPage ssr=SsrMode::Async/>
                        <Route path=path!("/needs/:id") view=NeedPage ssr=SsrMode::Async/>
                        <Route path=path!("/subgoals/:id") view=SubGoalPage ssr=SsrMode::Async/>
                        <Route path=path!("/subgoals/:id/history") view=SubGoalHistoryPage ssr=SsrMode::Async/>
                        <Route path=path!("/milestones/:id/history") view=MilestoneHistoryPage ssr=SsrMode::Async/>
                        <Route path=path!("/my-subgoals") view=MySubgoalsPage ssr=SsrMode::Async/>
                        <Route path=path!("/reporting") view=BoardPage ssr=SsrMode::Async/>
                        <Route path=path!("/bulk/:token") view=BulkPage ssr=SsrMode::Async/>
                        <Route path=path!("/quality") view=QualityPage ssr=SsrMode::Async/>
                        <Route path=path!("/reports") view=ReportsPage ssr=SsrMode::Async/>
                        <Route path=path!("/reports/:id") view=ReportPage ssr=SsrMode::Async/>
                        <Route path=path!("/reports/:id/present") view=PresentPage ssr=SsrMode::Async/>
                        <Route path=path!("/embed/needs/:id") view=EmbedNeedPage ssr=SsrMode::Async/>
                        <Route path=path!("/embed/fields/:id") view=EmbedFieldPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/audit") view=AuditLogPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/accessibility") view=AccessibilitySettingsPage ssr=SsrMode::Async/>
                        <Route path=path!("/accessibility") view=StatementPage ssr=SsrMode::Async/>
                        <Route path=path!("/easy-read") view=EasyReadPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/strategies") view=StrategiesPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/strategies/import/:token") view=ImportPreviewPage ssr=SsrMode::Async/>
                        <Route path=path!("/admin/structure/:token") view=StructurePreviewPage ssr=SsrMode::Async/>
                        <Route path=path!("/*any") view=NotFound ssr=SsrMode::Async/>
                    </Routes>
                </Layout>
            </Router>
    }
}

/// Loads the bundle and runs the page's islands, only where the page has one: a page that is
/// server-rendered HTML through and through (the dashboard or a need page for the public, the
/// council's, a phone's) fetches no wasm at all, and is marked `data-hydrated` at once, as
/// a page whose islands run. The islands take no children, so each is run on its own element.
/// (Leptos's `HydrationScripts` would preload and compile the bundle on every page.)
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // As `HydrationScripts` does in islands mode: outside islands nothing is hydrated, so the
    // server writes no hydration markers there.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let package = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    let script = format!(
        "((js, wasm) => {{\
         const islands = document.querySelectorAll(\"leptos-island\");\
         if (islands.length === 0) {{ document.body.dataset.hydrated = \"true\"; return; }}\
         import(js).then(async (bundle) => {{\
         await bundle.default({{ module_or_path: wasm }});\
         bundle.hydrate();\
         for (const island of islands) {{\
         const run = bundle[island.dataset.component];\
         if (run) {{ await run(island); }} else {{ console.warn(\"no island\", island.dataset.component); }}\
         }}\
         }});\
         }})({:?}, {:?});",
        format!("{package}.js"),
        format!("{package}.wasm"),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The page's Content-Security-Policy: scripts only from this site or carrying this response's
/// nonce (the hydration script), wasm allowed to compile; nothing inline otherwise.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{HeaderValue, header::CONTENT_SECURITY_POLICY};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
         object-src 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}
