//! Reminders by e-mail (issue 15) through a real SMTP server started by the test
//! (`tests/smtp/sink.py`, Debian's python3-aiosmtpd): the right people get the right digest in
//! their language, nobody twice on one day, and a mail server that is down, refuses or hangs
//! delays reminders without losing one or holding up the app.

use crate::common::{self, TestApp};
use app::store::db;
use app::{audit::Actor, i18n::Locale};
use chrono::{Duration as Span, NaiveDate, Utc};
use serde_json::Value;
use server::reminders::{self, Smtp};
use std::{
    io::BufRead,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

const PUBLIC_URL: &str = "https://meilenstein.mainz.example";

/// The SMTP server of a test: every message it took, parsed.
struct Sink {
    child: Child,
    file: PathBuf,
}

impl Sink {
    fn start(port: u16, file: PathBuf, refuse: u32) -> Sink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp/sink.py");
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&file)
            .args(["--refuse", &refuse.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs (scripts/setup.sh installs python3-aiosmtpd)");
        let mut ready = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(
            ready.trim(),
            "ready",
            "the SMTP server starts (is python3-aiosmtpd installed? scripts/setup.sh installs it)"
        );
        Sink { child, file }
    }

    fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on (until a sink is started on it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn d(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The demo with a known reporting history: every sub-goal created on 5 January 2026 and
/// reported on in each quarter of 2026, except the first sub-goal of the school office and of
/// the adult education centre, which have no report for the fourth quarter (due by 14 January
/// 2027, quarterly with 14 grace days). Contacts: the school office in German, the adult
/// education centre in English, the council (which owns nothing) with an address too.
async fn city() -> (TestApp, i64, i64) {
    let app = TestApp::with_demo().await;
    let pool = app.store.pool();
    db::query("DELETE FROM status_reports")
        .execute(pool)
        .await
        .unwrap();
    db::query(
        "UPDATE structure_revisions SET recorded_at = '2026-01-05T08:00:00.000000Z'
         WHERE kind = 'subgoal'",
    )
    .execute(pool)
    .await
    .unwrap();
    let (school, vhs) = (
        first_of(&app, "schulamt").await,
        first_of(&app, "vhs").await,
    );
    assert_ne!(school, vhs);
    let subgoals: Vec<i64> = db::query_scalar("SELECT id FROM subgoals")
        .fetch_all(pool)
        .await
        .unwrap();
    for id in subgoals {
        let days: &[&str] = if id == school || id == vhs {
            &["2026-02-01", "2026-05-01", "2026-08-01"]
        } else {
            &["2026-02-01", "2026-05-01", "2026-08-01", "2026-11-02"]
        };
        for day in days {
            common::reported_on(&app, id, day).await;
        }
    }
    for (login, email, language) in [
        ("schulamt", "schulamt@mainz.example", Locale::de),
        ("vhs", "vhs@mainz.example", Locale::en),
        ("rat", "rat@mainz.example", Locale::de),
    ] {
        let user = app.store.user_by_login(login).await.unwrap().unwrap();
        app.store
            .set_contact(user.id, Some(email), language, Utc::now(), &Actor::shell())
            .await
            .unwrap();
    }
    (app, school, vhs)
}

/// The first sub-goal an account owns.
async fn first_of(app: &TestApp, login: &str) -> i64 {
    db::query_scalar(
        "SELECT MIN(o.subgoal_id) FROM subgoal_owners o JOIN users u ON u.id = o.user_id
         WHERE u.login = $1",
    )
    .bind(login)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

/// What `serve` does at the set hour of `day`: queue that day's digests and hand them over.
async fn remind(app: &TestApp, smtp: &Smtp, day: &str) -> (usize, reminders::Delivery) {
    let now = Utc::now();
    let queued = reminders::queue(&app.store, PUBLIC_URL, d(day), now)
        .await
        .unwrap();
    let delivery = reminders::deliver(&app.store, smtp, now).await.unwrap();
    (queued, delivery)
}

fn smtp(port: u16) -> Smtp {
    Smtp::local(
        port,
        "Meilenstein Mainz <meilenstein@mainz.example>",
        Duration::from_secs(5),
    )
}

fn to(message: &Value) -> &str {
    message["rcpt"][0].as_str().unwrap()
}

fn body(message: &Value) -> String {
    message["body"].as_str().unwrap().replace("\r\n", "\n")
}

async fn sent_entries(app: &TestApp) -> Vec<Value> {
    let details: Vec<String> = db::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'reminder.sent' ORDER BY id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    details
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

#[test]
fn the_right_people_get_the_right_digest_in_their_language_once_a_day() {
    common::run(async {
        let (app, school, vhs) = city().await;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let sink = Sink::start(port, dir.path().join("mail.jsonl"), 0);
        let smtp = smtp(port);

        // Four days before the deadline: both are due soon, nobody else hears anything.
        let (queued, delivery) = remind(&app, &smtp, "2027-01-10").await;
        assert_eq!(
            (queued, delivery.sent.len(), delivery.failed.len()),
            (2, 2, 0)
        );
        let messages = sink.messages();
        let mut recipients: Vec<&str> = messages.iter().map(to).collect();
        recipients.sort();
        assert_eq!(recipients, ["schulamt@mainz.example", "vhs@mainz.example"]);
        let german = messages
            .iter()
            .find(|m| to(m) == "schulamt@mainz.example")
            .unwrap();
        let english = messages
            .iter()
            .find(|m| to(m) == "vhs@mainz.example")
            .unwrap();
        assert_eq!(german["language"], "de");
        assert_eq!(english["language"], "en");
        assert_eq!(german["auto_submitted"], "auto-generated");
        assert!(german["mail_from"].as_str().unwrap() == "meilenstein@mainz.example");
        let subject = german["subject"].as_str().unwrap();
        assert!(
            subject.contains("überfällig: 0, bald fällig: 1"),
            "{subject}"
        );
        let text = body(german);
        assert!(
            text.starts_with("Guten Tag Amt für Schule und Bildung (Demo),"),
            "{text}"
        );
        assert!(text.contains("Bald fällig:\n- "), "{text}");
        assert!(text.contains("fällig bis 14.01.2027"), "{text}");
        assert!(
            text.contains(&format!("{PUBLIC_URL}/subgoals/{school}\n")),
            "{text}"
        );
        assert!(
            !text.contains(&format!("/subgoals/{vhs}\n")),
            "only their own: {text}"
        );
        assert!(
            text.contains(&format!("{PUBLIC_URL}/my-subgoals\n")),
            "{text}"
        );
        let text = body(english);
        assert!(
            english["subject"]
                .as_str()
                .unwrap()
                .contains("late: 0, due soon: 1")
        );
        assert!(
            text.starts_with("Hello Volkshochschule Mainz (Demo),"),
            "{text}"
        );
        assert!(
            text.contains("Due soon:\n- ") && text.contains("due by 14 Jan 2027"),
            "{text}"
        );
        assert!(
            text.contains(&format!("{PUBLIC_URL}/subgoals/{vhs}\n")),
            "{text}"
        );
        assert!(!text.contains("Bericht"), "{text}");
        // Every one sent is on record.
        let entries = sent_entries(&app).await;
        assert_eq!(entries.len(), 2);
        let school_entry = entries.iter().find(|e| e["login"] == "schulamt").unwrap();
        assert_eq!(school_entry["to"], "schulamt@mainz.example");
        assert_eq!(school_entry["soon"], serde_json::json!([school]));
        assert_eq!(school_entry["day"], "2027-01-10");

        // The same day again, and the next day: nothing new, nothing sent.
        for day in ["2027-01-10", "2027-01-11"] {
            let (queued, delivery) = remind(&app, &smtp, day).await;
            assert_eq!((queued, delivery.sent.len()), (0, 0), "{day}");
        }
        assert_eq!(sink.messages().len(), 2);

        // Late from the 15th: each hears it once, in their language.
        let (queued, _) = remind(&app, &smtp, "2027-01-15").await;
        assert_eq!(queued, 2);
        let messages = sink.messages();
        assert_eq!(messages.len(), 4);
        assert!(
            body(&messages[2]).contains("Überfällig:")
                || body(&messages[3]).contains("Überfällig:")
        );
        let late_en = messages[2..]
            .iter()
            .find(|m| to(m) == "vhs@mainz.example")
            .unwrap();
        assert!(body(late_en).contains("Late:\n- ") && !body(late_en).contains("Due soon"));
        assert!(
            late_en["subject"]
                .as_str()
                .unwrap()
                .contains("late: 1, due soon: 0")
        );

        // The school office reports late: no more reminders for it. The adult education
        // centre stays late: reminded again a week later, not before.
        common::reported_on(&app, school, "2027-01-16").await;
        for day in ["2027-01-16", "2027-01-21"] {
            let (queued, _) = remind(&app, &smtp, day).await;
            assert_eq!(queued, 0, "{day}");
        }
        let (queued, _) = remind(&app, &smtp, "2027-01-22").await;
        assert_eq!(queued, 1);
        let messages = sink.messages();
        assert_eq!(messages.len(), 5);
        assert_eq!(to(&messages[4]), "vhs@mainz.example");
        // One digest per person and day, never two: the outbox holds one row each.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM (SELECT user_id, day FROM reminders GROUP BY user_id, day HAVING COUNT(*) > 1) AS twice").await,
            0
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL")
                .await,
            0
        );
    });
}

#[test]
fn a_mail_server_that_is_down_or_refuses_is_tried_again_without_losing_a_reminder() {
    common::run(async {
        let (app, _, _) = city().await;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let smtp = smtp(port);
        let now = Utc::now();

        // Nobody listens: the first attempt fails, the round stops, both wait.
        let queued = reminders::queue(&app.store, PUBLIC_URL, d("2027-01-10"), now)
            .await
            .unwrap();
        assert_eq!(queued, 2);
        let delivery = reminders::deliver(&app.store, &smtp, now).await.unwrap();
        assert_eq!(
            (delivery.sent.len(), delivery.failed.len()),
            (0, 1),
            "{:?}",
            delivery.failed
        );
        assert_eq!(app.store.outbox().await.unwrap().waiting, 2);
        assert!(
            sent_entries(&app).await.is_empty(),
            "nothing sent, nothing on record"
        );
        let error: String =
            db::query_scalar("SELECT last_error FROM reminders WHERE last_error IS NOT NULL")
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert!(!error.is_empty());

        // The server is up but says "try later" to the first message: that one waits again.
        let sink = Sink::start(port, dir.path().join("mail.jsonl"), 1);
        let delivery = reminders::deliver(&app.store, &smtp, now).await.unwrap();
        assert_eq!(
            (delivery.sent.len(), delivery.failed.len()),
            (0, 1),
            "the one never tried is refused"
        );
        // Both pause for a minute: asked again before, nothing is tried; after it, both go.
        let delivery = reminders::deliver(&app.store, &smtp, now + Span::seconds(30))
            .await
            .unwrap();
        assert!(delivery.sent.is_empty() && delivery.failed.is_empty());
        assert!(sink.messages().is_empty());
        let delivery = reminders::deliver(&app.store, &smtp, now + Span::seconds(61))
            .await
            .unwrap();
        assert_eq!((delivery.sent.len(), delivery.failed.len()), (2, 0));
        // Each got exactly one message, and both are on record with their attempts.
        let mut recipients: Vec<String> =
            sink.messages().iter().map(|m| to(m).to_owned()).collect();
        recipients.sort();
        assert_eq!(recipients, ["schulamt@mainz.example", "vhs@mainz.example"]);
        let entries = sent_entries(&app).await;
        assert_eq!(entries.len(), 2);
        let attempts: Vec<i64> = entries
            .iter()
            .map(|e| e["attempts"].as_i64().unwrap())
            .collect();
        assert!(attempts.iter().all(|&a| a == 2), "{attempts:?}");
        let outbox = app.store.outbox().await.unwrap();
        assert_eq!((outbox.waiting, outbox.sent), (2 - 2, 2));
        // Nothing more to send, however often it is asked.
        let delivery = reminders::deliver(&app.store, &smtp, now + Span::hours(5))
            .await
            .unwrap();
        assert!(delivery.sent.is_empty() && delivery.failed.is_empty());
        assert_eq!(sink.messages().len(), 2);
    });
}

#[test]
fn a_mail_server_that_hangs_holds_up_neither_pages_nor_saves() {
    common::run(async {
        let (app, school, _) = city().await;
        // Takes connections and never answers.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = silent.local_addr().unwrap().port();
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((socket, _)) = silent.accept().await {
                open.push(socket);
            }
        });
        let smtp = Smtp::local(port, "meilenstein@mainz.example", Duration::from_secs(3));
        let now = Utc::now();
        reminders::queue(&app.store, PUBLIC_URL, d("2027-01-10"), now)
            .await
            .unwrap();
        let store = app.store.clone();
        let sending = tokio::spawn(async move { reminders::deliver(&store, &smtp, now).await });
        tokio::time::sleep(Duration::from_millis(200)).await;
        // While the mail server keeps the reminder waiting, a page is served and a save is made.
        let (status, _) = app.get("/strategies/1").await;
        assert_eq!(status, 200);
        app.store
            .confirm_subgoal(
                school,
                Some("alles wie geplant"),
                Utc::now(),
                &Actor::shell(),
            )
            .await
            .unwrap();
        assert!(
            !sending.is_finished(),
            "the attempt is still waiting for the mail server"
        );
        // The attempt ends with its timeout, and the reminder waits for the next one.
        let delivery = sending.await.unwrap().unwrap();
        assert_eq!((delivery.sent.len(), delivery.failed.len()), (0, 1));
        assert_eq!(app.store.outbox().await.unwrap().waiting, 2);
        held.abort();
    });
}

#[test]
fn accounts_get_an_address_and_a_language_checked_by_name() {
    common::run(async {
        let app = TestApp::with_demo().await;
        let admin = app.sign_in("cdo").await;
        let user = app.store.user_by_login("vhs").await.unwrap().unwrap();
        for (form, field) in [
            ("email=kein-at-zeichen&language=de", "email"),
            ("email=a%40b&language=de", "email"),
            ("email=Name+%3Ca%40b.de%3E&language=de", "email"),
            ("email=a%40b.de%2Cc%40d.de&language=de", "email"),
            ("email=a%40mainz.de&language=fr", "language"),
        ] {
            let (status, body) = app
                .call_as(
                    Some(&admin),
                    "/api/admin/users/contact",
                    &format!("user_id={}&{form}", user.id),
                )
                .await;
            assert_eq!(status, 422, "{form}: {body}");
            assert!(body.contains(field), "{form}: {body}");
        }
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/users/contact",
                &format!(
                    "user_id={}&email=+vhs%40mainz.example+&language=en",
                    user.id
                ),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let row: (Option<String>, String) =
            db::query_as("SELECT email, language FROM users WHERE id = $1")
                .bind(user.id)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert_eq!(row, (Some("vhs@mainz.example".to_owned()), "en".to_owned()));
        // An owner may not change addresses.
        let owner = app.sign_in("vhs").await;
        let (status, _) = app
            .call_as(
                Some(&owner),
                "/api/admin/users/contact",
                &format!("user_id={}&email=evil%40example.org&language=en", user.id),
            )
            .await;
        assert_eq!(status, 403);
        // A new account with its address, in one go; the admin page lists it.
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/users/create",
                "login=stadtbib&display_name=Stadtbibliothek&role=owner&password=buecher-fuer-alle-2026&email=bib%40mainz.example&language=en",
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let created = app.store.user_by_login("stadtbib").await.unwrap().unwrap();
        let contact: (Option<String>, String) =
            db::query_as("SELECT email, language FROM users WHERE id = $1")
                .bind(created.id)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
        assert_eq!(
            contact,
            (Some("bib@mainz.example".to_owned()), "en".to_owned())
        );
        // Reminder settings: both checked by name, nothing written when one is wrong.
        let (status, body) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/reminders",
                "days_before=3&hour=24",
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("hour"), "{body}");
        assert_eq!(app.store.reminder_days_before().await.unwrap(), 7);
        let (status, _) = app
            .call_as(
                Some(&admin),
                "/api/admin/settings/reminders",
                "days_before=3&hour=6",
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(app.store.reminder_days_before().await.unwrap(), 3);
        assert_eq!(app.store.reminder_hour().await.unwrap(), 6);
    });
}

/// `meilenstein remind` on the test's database file: (exit code, stdout, stderr).
fn remind_command(app: &TestApp, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_meilenstein"))
        .arg("remind")
        .args(args)
        .args(["--db", app.db()])
        .env_remove("DATABASE_URL")
        .env_remove("MEILENSTEIN_PUBLIC_URL")
        .env_remove("MEILENSTEIN_SMTP_HOST")
        .env_remove("MEILENSTEIN_SMTP_PASSWORD")
        .output()
        .unwrap();
    common::outcome(output)
}

#[test]
fn remind_on_the_command_line_prints_with_dry_run_and_sends_without() {
    common::run(async {
        let (app, school, _) = city().await;
        let day = ["--today", "2027-01-10"];
        let url = ["--public-url", PUBLIC_URL];
        // --dry-run: who would get what, in their language; nothing written.
        let (code, out, err) = remind_command(&app, &[&day[..], &url[..], &["--dry-run"]].concat());
        assert_eq!(code, 0, "{err}");
        assert!(
            out.starts_with("2 reminder(s) would be sent on 2027-01-10"),
            "{out}"
        );
        assert!(
            out.contains("To: schulamt@mainz.example (de)\nSubject: Meilenstein: Berichte"),
            "{out}"
        );
        assert!(
            out.contains("To: vhs@mainz.example (en)\nSubject: Meilenstein: reports"),
            "{out}"
        );
        assert!(
            out.contains(&format!("    {PUBLIC_URL}/subgoals/{school}")),
            "{out}"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM reminders").await, 0);
        // Sending needs a mail server and the app's address; each missing piece is named.
        let (code, _, err) = remind_command(&app, &day);
        assert_eq!(code, 1);
        assert!(err.contains("--public-url"), "{err}");
        let (code, _, err) = remind_command(&app, &[&day[..], &url[..]].concat());
        assert_eq!(code, 1);
        assert!(err.contains("no mail server"), "{err}");
        let (code, _, err) = remind_command(
            &app,
            &[&day[..], &url[..], &["--smtp-host", "127.0.0.1"]].concat(),
        );
        assert_eq!(code, 1);
        assert!(err.contains("--mail-from"), "{err}");
        let (code, _, err) = remind_command(
            &app,
            &[
                &day[..],
                &url[..],
                &[
                    "--smtp-host",
                    "127.0.0.1",
                    "--mail-from",
                    "m@mainz.example",
                    "--smtp-user",
                    "m",
                ],
            ]
            .concat(),
        );
        assert_eq!(code, 1);
        assert!(err.contains("MEILENSTEIN_SMTP_PASSWORD"), "{err}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM reminders").await,
            0,
            "nothing queued"
        );
        // With a mail server: queued and sent; a second run sends nothing.
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let sink = Sink::start(port, dir.path().join("mail.jsonl"), 0);
        let port = port.to_string();
        let smtp = [
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &port,
            "--smtp-security",
            "plain",
            "--mail-from",
            "Meilenstein <meilenstein@mainz.example>",
        ];
        let (code, out, err) = remind_command(&app, &[&day[..], &url[..], &smtp[..]].concat());
        assert_eq!(code, 0, "{out}{err}");
        assert!(
            out.starts_with("2 reminder(s) queued for 2027-01-10; 2 sent"),
            "{out}"
        );
        assert_eq!(sink.messages().len(), 2);
        let (code, out, _) = remind_command(&app, &[&day[..], &url[..], &smtp[..]].concat());
        assert_eq!(code, 0);
        assert!(
            out.starts_with("0 reminder(s) queued for 2027-01-10; 0 sent"),
            "{out}"
        );
        assert_eq!(sink.messages().len(), 2);
        assert_eq!(sent_entries(&app).await.len(), 2);
    });
}

#[test]
fn serve_sends_the_days_reminders_once_the_hour_has_come() {
    common::run(async {
        let (app, _, _) = city().await;
        // Hour 0: the hour has come whenever the test runs.
        app.store
            .set_setting(app::store::REMINDER_HOUR, "0", Utc::now(), &Actor::shell())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let sink = Sink::start(port, dir.path().join("mail.jsonl"), 0);
        let port = port.to_string();
        let server = common::Server::start_with(
            app.db(),
            &[
                "--public-url",
                PUBLIC_URL,
                "--smtp-host",
                "127.0.0.1",
                "--smtp-port",
                &port,
            ],
            &[
                ("MEILENSTEIN_TODAY", "2027-01-10"),
                ("MEILENSTEIN_SMTP_SECURITY", "plain"),
                ("MEILENSTEIN_MAIL_FROM", "meilenstein@mainz.example"),
            ],
        );
        // The first round runs at start; wait for it (at most half a minute): the mail server
        // has both messages, and the server has put each on record (it does so once the mail
        // server has answered, a moment after the message arrived).
        for _ in 0..300 {
            if sink.messages().len() >= 2 && sent_entries(&app).await.len() >= 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.kill();
        let mut recipients: Vec<String> =
            sink.messages().iter().map(|m| to(m).to_owned()).collect();
        recipients.sort();
        assert_eq!(recipients, ["schulamt@mainz.example", "vhs@mainz.example"]);
        assert_eq!(sent_entries(&app).await.len(), 2);
    });
}
