//! The accessibility statement (§ 7 BITV 2.0) and the Leichte-Sprache page (§ 4): reachable
//! by everyone from every page, in both languages, with the shipped texts until an admin sets
//! their own through `/admin/accessibility`, refused input naming each field.

use crate::common::{self, Session, TestApp};
use app::store::db;

fn english(session: Option<&Session>) -> Session {
    let cookie = match session {
        Some(s) => format!("{}; i18n_pref_locale=en", s.cookie),
        None => "i18n_pref_locale=en".to_owned(),
    };
    Session { cookie }
}

/// The text of `<main>`, tags dropped, entities of the page as written.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main");
    let end = html[start..].find("</main>").expect("its end") + start;
    &html[start..end]
}

#[test]
fn everyone_reaches_the_statement_and_leichte_sprache_from_every_page_in_both_languages() {
    common::run(async {
        let app = TestApp::with_demo().await;
        // Also while the public may not read the strategy: the statement is for everyone.
        app.set_public_read(false).await;
        for path in ["/login", "/accessibility", "/easy-read", "/no-such-page"] {
            let (_, html) = app.get(path).await;
            assert!(
                html.contains(r#"<a href="/accessibility">Erklärung zur Barrierefreiheit</a>"#),
                "{path} links the statement"
            );
            assert!(
                html.contains(r#"<a href="/easy-read">Leichte Sprache</a>"#),
                "{path} links Leichte Sprache"
            );
        }
        let admin = app.sign_in("cdo").await;
        let (_, home) = app.get_as(Some(&admin), "/").await;
        assert!(home.contains(r#"<a href="/easy-read">Leichte Sprache</a>"#));

        let (status, html) = app.get("/accessibility").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        for part in [
            "<h1>Erklärung zur Barrierefreiheit</h1>",
            "teilweise vereinbar",
            "Nicht barrierefreie Inhalte",
            "Eingetragene Texte",
            "am 02.12.2026 erstellt",
            "Selbstbewertung",
            "noch keine Kontaktstelle",
            r#"<a href="https://www.schlichtungsstelle-bgg.de">Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (BGG)</a>"#,
            r#"<a href="/easy-read">"#,
        ] {
            assert!(main.contains(part), "statement has {part}: {main}");
        }
        assert!(
            !main.contains("/admin/accessibility"),
            "no edit link for the public"
        );
        let (_, html) = app.get_as(Some(&english(None)), "/accessibility").await;
        let main = main_of(&html);
        assert!(html.contains(r#"lang="en""#));
        for part in [
            "<h1>Accessibility statement</h1>",
            "partially compliant",
            "Texts entered by staff",
            "self-assessment",
            "has not entered a contact",
        ] {
            assert!(main.contains(part), "English statement has {part}: {main}");
        }

        let (status, html) = app.get("/easy-read").await;
        assert_eq!(status, 200);
        let main = main_of(&html);
        assert!(main.contains("<h1>Leichte Sprache</h1>"));
        assert!(main.contains("<h2>Was ist Meilenstein?</h2>"), "{main}");
        assert!(main.contains("<li>Handlungs·felder sind große Themen."));
        let (_, html) = app.get_as(Some(&english(None)), "/easy-read").await;
        let main = main_of(&html);
        assert!(
            main.contains("<h1>Easy Read</h1>") && main.contains("<h2>What is Meilenstein?</h2>")
        );
        // Admins find the way to change them.
        let (_, html) = app.get_as(Some(&admin), "/accessibility").await;
        assert!(main_of(&html).contains(r#"href="/admin/accessibility""#));
        let (_, html) = app.get_as(Some(&admin), "/admin").await;
        assert!(main_of(&html).contains(r#"href="/admin/accessibility""#));
    })
}

const STATEMENT: &str = "body=Stadt+Mainz%2C+Amt+f%C3%BCr+Digitalisierung&conformance=partial&method=third_party\
    &prepared_on=2026-11-20&limitations_de=%23+Karten%0D%0A%0D%0A-+Die+Karte+hat+keinen+Text.%0D%0A-+Zweiter+Punkt\
    &limitations_en=&contact=B%C3%BCrgerb%C3%BCro&email=barrierefreiheit%40mainz.example\
    &phone=%2B49+6131+12-0&enforcement_name=Landesbeauftragter+f%C3%BCr+die+Belange+behinderter+Menschen\
    &enforcement_url=https%3A%2F%2Fwww.example.org%2Fschlichtung&sign_language_url=https%3A%2F%2Fwww.mainz.example%2Fdgs";

#[test]
fn an_admin_sets_the_statement_and_bad_entries_are_refused_by_name_writing_nothing() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let owner = app.sign_in("schulamt").await;
        let settings_before = app.count("SELECT COUNT(*) FROM settings").await;

        // Every bad entry named by its field.
        let bad = STATEMENT
            .replace("conformance=partial", "conformance=ganz")
            .replace("method=third_party", "method=")
            .replace("prepared_on=2026-11-20", "prepared_on=2099-01-01")
            .replace("barrierefreiheit%40mainz.example", "keine-adresse")
            .replace(
                "enforcement_url=https%3A%2F%2Fwww.example.org%2Fschlichtung",
                "enforcement_url=www.example.org",
            )
            .replace(
                "sign_language_url=https%3A%2F%2Fwww.mainz.example%2Fdgs",
                "sign_language_url=javascript%3Aalert(1)",
            )
            .replace(
                "phone=%2B49+6131+12-0",
                &format!("phone={}", "1".repeat(201)),
            );
        let (status, body) = app
            .call_as(Some(&admin), "/api/admin/settings/accessibility", &bad)
            .await;
        assert_eq!(status, 422, "{body}");
        for field in [
            "conformance",
            "method",
            "prepared_on",
            "email",
            "enforcement_url",
            "sign_language_url",
            "phone",
        ] {
            assert!(
                body.contains(&format!("\"{field}\"")),
                "{field} named: {body}"
            );
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM settings").await,
            settings_before
        );
        // A name without its address cannot be linked.
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/accessibility",
                &STATEMENT.replace(
                    "enforcement_url=https%3A%2F%2Fwww.example.org%2Fschlichtung",
                    "enforcement_url=",
                ),
            )
            .await;
        assert_eq!(status, 422);
        assert!(body.contains("\"enforcement_url\""), "{body}");

        // Without JavaScript the form comes back with the messages in the user's language and
        // what was typed.
        let response = app
            .post_form_as(
                Some(&admin),
                "/api/admin/settings/accessibility",
                "http://127.0.0.1:3000/admin/accessibility",
                &bad,
            )
            .await;
        let back = TestApp::refused_redirect(&response);
        let (status, page) = app.get_as(Some(&admin), &back).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Bitte eine Webadresse eingeben"),
            "German message"
        );
        assert!(page.contains("Liegt in der Zukunft."), "{}", main_of(&page));
        assert!(page.contains(r#"value="keine-adresse""#), "typed kept");
        let (_, page) = app.get_as(Some(&english(Some(&admin))), &back).await;
        assert!(
            page.contains("Please enter a web address"),
            "English message"
        );

        // Owners may not.
        let (status, _) = app
            .call_as(Some(&owner), "/api/admin/settings/accessibility", STATEMENT)
            .await;
        assert_eq!(status, 403);

        let (status, body) = app
            .call_as(Some(&admin), "/api/admin/settings/accessibility", STATEMENT)
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.get("/accessibility").await;
        let main = main_of(&html);
        for part in [
            "Stadt Mainz, Amt für Digitalisierung ist bemüht",
            "<h3>Karten</h3>",
            "<li>Die Karte hat keinen Text.</li>",
            "am 20.11.2026 erstellt",
            "Prüfung durch Dritte",
            "<p>Bürgerbüro</p>",
            r#"<a href="mailto:barrierefreiheit@mainz.example">barrierefreiheit@mainz.example</a>"#,
            r#"<a href="tel:+496131120">+49 6131 12-0</a>"#,
            r#"<a href="https://www.example.org/schlichtung">Landesbeauftragter für die Belange behinderter Menschen</a>"#,
            r#"<a href="https://www.mainz.example/dgs">Informationen in Deutscher Gebärdensprache</a>"#,
        ] {
            assert!(main.contains(part), "statement has {part}: {main}");
        }
        assert!(
            !main.contains("Eingetragene Texte"),
            "own list, not the shipped one"
        );
        // The English statement keeps the shipped English list (none was written for it).
        let (_, html) = app.get_as(Some(&english(None)), "/accessibility").await;
        assert!(main_of(&html).contains("Texts entered by staff"));
        // On record, each setting by its key.
        let changed = app
            .count("SELECT COUNT(*) FROM audit_log WHERE action = 'setting.changed' AND object_id LIKE 'accessibility.%'")
            .await;
        assert_eq!(changed, 11, "every setting but the empty English list");
        // Saved again unchanged: nothing more written.
        app.call_as(Some(&admin), "/api/admin/settings/accessibility", STATEMENT)
            .await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'setting.changed' AND object_id LIKE 'accessibility.%'")
                .await,
            changed
        );

        // Fully compliant, no list of its own: no list at all.
        let full = STATEMENT
            .replace("conformance=partial", "conformance=full")
            .replace(
                "limitations_de=%23+Karten%0D%0A%0D%0A-+Die+Karte+hat+keinen+Text.%0D%0A-+Zweiter+Punkt",
                "limitations_de=",
            );
        let (status, _) = app
            .call_as(Some(&admin), "/api/admin/settings/accessibility", &full)
            .await;
        assert_eq!(status, 200);
        let (_, html) = app.get("/accessibility").await;
        let main = main_of(&html);
        assert!(main.contains("vollständig vereinbar"));
        assert!(!main.contains("Nicht barrierefreie Inhalte"), "{main}");
    })
}

#[test]
fn an_admin_replaces_the_leichte_sprache_text_and_gets_the_shipped_one_back() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        // The settings page offers the shipped text to edit.
        let (status, page) = app.get_as(Some(&admin), "/admin/accessibility").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("# Was ist Meilenstein?"),
            "shipped German text to edit"
        );
        assert!(
            page.contains("# What is Meilenstein?"),
            "shipped English text to edit"
        );
        assert!(
            page.contains("noch keine Kontaktstelle"),
            "the missing contact is said"
        );

        // A post without the texts resets nothing.
        let (status, _) = app
            .call_as(Some(&admin), "/api/admin/settings/easy-read", "text_de=x")
            .await;
        assert_eq!(status, 400);

        let text = "%23+Neu%0D%0AUnsere+Stadt+hat+einen+Plan.%0D%0A%0D%0A%3Cscript%3Ealert(1)%3C%2Fscript%3E";
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/easy-read",
                &format!("text_de={text}&text_en="),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.get("/easy-read").await;
        let main = main_of(&html);
        assert!(
            main.contains("<h2>Neu</h2>") && main.contains("<p>Unsere Stadt hat einen Plan.</p>")
        );
        assert!(
            main.contains("&lt;script&gt;") && !main.contains("<script>alert"),
            "text, not markup"
        );
        assert!(!main.contains("Was ist Meilenstein?"));
        let (_, html) = app.get_as(Some(&english(None)), "/easy-read").await;
        assert!(
            main_of(&html).contains("What is Meilenstein?"),
            "English still shipped"
        );

        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/easy-read",
                &format!("text_de={}&text_en=", "a".repeat(20_001)),
            )
            .await;
        assert_eq!(status, 422);
        assert!(body.contains("\"text_de\""), "{body}");

        // The shipped text sent back (as the form shows it) is kept as "none set".
        let shipped = app::i18n::td_string!(app::i18n::Locale::de, easy_read.shipped_text);
        let encoded = app::components::layout::encode_query(&shipped.replace('\n', "\r\n"));
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/easy-read",
                &format!("text_de={encoded}&text_en="),
            )
            .await;
        assert_eq!(status, 200);
        let stored: String =
            db::query_scalar("SELECT value FROM settings WHERE key = 'easy_read.de'")
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert_eq!(stored, "");
        let (_, html) = app.get("/easy-read").await;
        assert!(main_of(&html).contains("Was ist Meilenstein?"));
    })
}
