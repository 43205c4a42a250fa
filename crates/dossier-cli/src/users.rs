//! `dossier users …`: accounts for the web UI and API, with roles and tokens.

use std::io::BufRead as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use dossier_app::{App, Password, Role};

/// `dossier users` subcommands.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user; the password is read from $DOSSIER_PASSWORD or the first line of standard input
    Add {
        /// Account name (letters, digits, '.', '_', '-')
        name: String,
        /// viewer | analyst | reviewer | admin
        #[arg(long)]
        role: String,
        /// Who adds them [default: $USER]
        #[arg(long, env = "USER", default_value = "admin")]
        by: String,
    },
    /// List users and their roles
    List,
    /// Issue an API token for a user (shown once; send it as `Authorization: Bearer TOKEN`)
    Token {
        /// Account name
        name: String,
        /// Who issues it [default: $USER]
        #[arg(long, env = "USER", default_value = "admin")]
        by: String,
    },
}

/// Runs a users command.
pub async fn run(app: &App, cmd: &UsersCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UsersCommand::Add { name, role, by } => {
            let role = Role::parse(role)
                .ok_or_else(|| anyhow::anyhow!("--role must be one of viewer, analyst, reviewer, admin"))?;
            let password = match std::env::var("DOSSIER_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line).context("cannot read the password")?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            app.add_user(name, role, &Password::new(password)?, by).await?;
            println!("added {name} ({})", role.as_str());
        }
        UsersCommand::List => {
            for (name, role, at) in app.users().await? {
                println!("{name:<24} {:<9} added {at}", role.as_str());
            }
        }
        UsersCommand::Token { name, by } => {
            let token = app.issue_token(name, by).await?;
            println!("{token}");
            eprintln!("token for {name}: shown once, stored only as its SHA-256");
        }
    }
    Ok(ExitCode::SUCCESS)
}
