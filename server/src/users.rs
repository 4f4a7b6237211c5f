//! `meilenstein user …`: accounts from the shell, so the first admin can be made on a fresh
//! install.

use crate::UserCommand;
use app::{
    audit::Actor,
    auth,
    domain::{access::Role, validation},
    i18n::Locale,
    store::Store,
};
use std::io::{BufRead, IsTerminal};

pub async fn run(command: UserCommand, db: &str) -> Result<(), String> {
    let store = Store::open(db).await.map_err(|e| e.to_string())?;
    let now = chrono::Utc::now();
    let shell = Actor::shell();
    match command {
        UserCommand::Add {
            login,
            name,
            role,
            subgoals,
            email,
            language,
        } => {
            let login = validation::login_name(&login).map_err(|p| format!("login: {p}"))?;
            let name = validation::title(&name).map_err(|p| format!("name: {p}"))?;
            let role = Role::parse(&role).ok_or("role: unknown role")?;
            let email = validation::email(email.as_deref().unwrap_or_default())
                .map_err(|p| format!("email: {p}"))?;
            let language = Locale::parse(&language).ok_or("language: expected de or en")?;
            let password = new_password(&login, &name)?;
            let hash = auth::hash_password(password)
                .await
                .map_err(|e| e.to_string())?;
            let contact = app::store::Contact {
                email: email.as_deref(),
                language,
            };
            let id = store
                .create_user_with_contact(&login, &name, role, &hash, contact, now, &shell)
                .await
                .map_err(|e| format!("login {login}: {e}"))?;
            for subgoal in subgoals {
                store
                    .assign_subgoal(id, subgoal, now, &shell)
                    .await
                    .map_err(|e| format!("sub-goal {subgoal}: {e}"))?;
            }
            println!("added {login} ({role})");
        }
        UserCommand::Passwd { login } => {
            let user = find(&store, &login).await?;
            let password = new_password(&user.login, &user.display_name)?;
            let hash = auth::hash_password(password)
                .await
                .map_err(|e| e.to_string())?;
            store
                .set_password(user.id, &hash, now, &shell)
                .await
                .map_err(|e| e.to_string())?;
            println!("password of {} changed; their sessions ended", user.login);
        }
        UserCommand::Contact {
            login,
            email,
            language,
        } => {
            let user = find(&store, &login).await?;
            let email = validation::email(&email).map_err(|p| format!("email: {p}"))?;
            let language = Locale::parse(&language).ok_or("language: expected de or en")?;
            store
                .set_contact(user.id, email.as_deref(), language, now, &shell)
                .await
                .map_err(|e| e.to_string())?;
            match email {
                Some(email) => println!(
                    "{}: reminders to {email} in {}",
                    user.login,
                    language.as_str()
                ),
                None => println!("{}: no e-mail address, no reminders", user.login),
            }
        }
        UserCommand::List => {
            for user in store.users().await.map_err(|e| e.to_string())? {
                let state = if user.active { "active" } else { "disabled" };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    user.login,
                    user.role,
                    state,
                    user.display_name,
                    user.email.as_deref().unwrap_or("-"),
                    user.language
                );
            }
        }
        UserCommand::Disable { login } => {
            let user = find(&store, &login).await?;
            store
                .set_active(user.id, false, now, &shell)
                .await
                .map_err(|e| e.to_string())?;
            println!("{} disabled; their sessions ended", user.login);
        }
        UserCommand::Enable { login } => {
            let user = find(&store, &login).await?;
            store
                .set_active(user.id, true, now, &shell)
                .await
                .map_err(|e| e.to_string())?;
            println!("{} enabled", user.login);
        }
    }
    Ok(())
}

async fn find(store: &Store, login: &str) -> Result<app::store::UserRecord, String> {
    let login = validation::login_name(login).map_err(|p| format!("login: {p}"))?;
    store
        .user_by_login(&login)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user {login}"))
}

/// Asks for a new password on the terminal (twice, hidden), or reads one line from standard
/// input when that is not a terminal; checks it against the password rules.
fn new_password(login: &str, name: &str) -> Result<String, String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("the passwords differ".to_owned());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password: {e}"))?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    auth::check_new_password(&password, &[login, name]).map_err(|p| format!("password: {p}"))?;
    Ok(password)
}
