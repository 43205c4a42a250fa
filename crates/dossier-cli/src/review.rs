//! `dossier review …` and `dossier incidents merge|split`: human decisions,
//! each recorded in the audit log with who, when and why.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use dossier_app::{App, CountEdit};
use dossier_model::{ClaimId, IncidentId, ReviewAction, SourceId};

use crate::output::{clip, range};

/// Who and why, for every decision.
#[derive(Debug, Args)]
pub struct Decision {
    /// Why (required to reject, correct, merge or split)
    #[arg(long, default_value = "")]
    reason: String,
    /// Who decides [default: $USER]
    #[arg(long, env = "USER", default_value = "reviewer")]
    by: String,
}

/// `dossier review` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Claims nobody has reviewed yet
    Queue {
        /// Show at most this many
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// The claim is right
    Accept {
        /// Claim id (clm-…)
        claim: String,
        #[command(flatten)]
        decision: Decision,
    },
    /// The claim is wrong: it stops counting (the original stays visible)
    Reject {
        /// Claim id (clm-…)
        claim: String,
        #[command(flatten)]
        decision: Decision,
    },
    /// Correct a count (the machine's value stays visible beside it)
    Edit {
        /// Claim id (clm-…)
        claim: String,
        /// Corrected lower bound
        #[arg(long)]
        min: Option<u64>,
        /// Corrected upper bound
        #[arg(long)]
        max: Option<u64>,
        /// Corrected qualifier (exact, at least, more than, up to, about…)
        #[arg(long)]
        qualifier: Option<String>,
        #[command(flatten)]
        decision: Decision,
    },
    /// Move a claim into another incident (the claim itself is unchanged)
    Move {
        /// Claim id (clm-…)
        claim: String,
        /// Where to: an incident (inc-…), a claim of it (clm-…), or `machine`
        /// to give the claim back to the machine's placement
        #[arg(long)]
        to: String,
        #[command(flatten)]
        decision: Decision,
    },
}

/// `dossier incidents` subcommands.
#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Two incidents are one: their reports are decided together
    Merge {
        /// One incident
        a: String,
        /// The other
        b: String,
        #[command(flatten)]
        decision: Decision,
    },
    /// One source's report is not this incident: it is decided apart from the others
    Split {
        /// The incident
        incident: String,
        /// The source to take out
        #[arg(long)]
        source: String,
        #[command(flatten)]
        decision: Decision,
    },
}

/// Runs a review command.
pub async fn review(app: &App, cmd: &ReviewCommand) -> anyhow::Result<ExitCode> {
    let (claim, action, edit, d) = match cmd {
        ReviewCommand::Queue { limit } => {
            let queue = app.review_queue().await?;
            for c in queue.iter().take(*limit) {
                let value = match c.count() {
                    Some(n) => format!("{} ({})", range(n.min, n.max), n.qualifier),
                    None => String::new(),
                };
                println!(
                    "{}  {:<14} {:<18} by {:<24} \"{}\"",
                    c.id,
                    c.kind.as_str(),
                    value,
                    clip(c.according_to.as_str(), 24),
                    clip(&c.text, 60)
                );
            }
            println!("{} claim(s) awaiting review", queue.len());
            return Ok(ExitCode::SUCCESS);
        }
        ReviewCommand::Move { claim, to, decision } => {
            let id = ClaimId::parse(claim)?;
            let m = if to == "machine" {
                app.move_claim(&id, None, &decision.reason, &decision.by).await?
            } else if to.starts_with("inc-") {
                app.move_claim_to_incident(&id, &IncidentId::parse(to)?, &decision.reason, &decision.by).await?
            } else {
                app.move_claim(&id, Some(&ClaimId::parse(to)?), &decision.reason, &decision.by).await?
            };
            match &m.target {
                Some(t) => println!("moved {} to the incident of {t} by {} (log entry {})", m.claim, m.actor, m.seq),
                None => {
                    println!("moved {} back to the machine's placement by {} (log entry {})", m.claim, m.actor, m.seq)
                }
            }
            let incidents = app.incidents().await?;
            if let Some(i) = incidents.iter().find(|i| i.claims.contains(&m.claim)) {
                println!("{} now holds it", i.id);
            }
            return Ok(ExitCode::SUCCESS);
        }
        ReviewCommand::Accept { claim, decision } => (claim, ReviewAction::Accept, None, decision),
        ReviewCommand::Reject { claim, decision } => (claim, ReviewAction::Reject, None, decision),
        ReviewCommand::Edit { claim, min, max, qualifier, decision } => {
            if min.is_none() && max.is_none() {
                anyhow::bail!("give the corrected value with --min and/or --max");
            }
            let edit = CountEdit { min: *min, max: *max, qualifier: qualifier.clone() };
            (claim, ReviewAction::Edit, Some(edit), decision)
        }
    };
    let id = ClaimId::parse(claim)?;
    let r = app.review_claim(&id, action, edit, &d.reason, &d.by).await?;
    println!("{} {} by {} (log entry {})", r.action.as_str(), r.claim, r.actor, r.seq);
    Ok(ExitCode::SUCCESS)
}

/// Runs an incident command.
pub async fn incidents(app: &App, cmd: &IncidentCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        IncidentCommand::Merge { a, b, decision } => {
            let (a, b) = (IncidentId::parse(a)?, IncidentId::parse(b)?);
            app.merge_incidents(&a, &b, &decision.reason, &decision.by).await?;
            println!("merged {a} and {b}");
        }
        IncidentCommand::Split { incident, source, decision } => {
            let (i, s) = (IncidentId::parse(incident)?, SourceId::parse(source)?);
            app.split_incident(&i, &s, &decision.reason, &decision.by).await?;
            println!("split {s} out of {i}");
        }
    }
    let incidents = app.incidents().await?;
    crate::show::print_incidents(&incidents);
    Ok(ExitCode::SUCCESS)
}
