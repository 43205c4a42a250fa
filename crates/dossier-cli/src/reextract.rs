//! `dossier reextract`: what the running extractor changed (or would change).

use dossier_app::Reextraction;

/// Prints one line per source that changed or was left as it is for a
/// reason, each review or move that could not be carried, then the incidents.
pub(crate) fn print(r: &Reextraction) {
    let verb = if r.dry_run { "would get" } else { "got" };
    let mut same = 0;
    for s in &r.sources {
        let id = s.source.as_ref().map_or("?", |s| s.as_str());
        if let Some(why) = &s.skipped {
            println!("{id}: left as it is: {why}");
            continue;
        }
        if s.same() {
            same += 1;
            continue;
        }
        println!(
            "{id}: {verb} a new claim set from {} (was {}): {} added, {} removed, {} changed, {} unchanged; \
             {} review(s) and move(s) carried, {} not",
            dossier_app::EXTRACTOR_VERSION,
            s.previous_extractor,
            s.added,
            s.removed,
            s.changed,
            s.unchanged,
            s.carried,
            s.uncarried.len()
        );
        for u in &s.uncarried {
            let at = u.span.map(|p| format!(" at {}..{}", p.start, p.end)).unwrap_or_default();
            let kind = u.kind.map(|k| k.as_str()).unwrap_or("claim");
            println!(
                "  not carried: {} of {} ({kind}{at}, log entry {}): no claim of that kind at that passage; \
                 review it again",
                u.action, u.claim, u.seq
            );
        }
    }
    println!("{same} source(s) read as before");
    let then = if r.dry_run { "would be" } else { "are" };
    println!(
        "incidents: {} before, {} {then} after ({} merged, {} split)",
        r.incidents_before, r.incidents_after, r.merged, r.split
    );
    if r.dry_run {
        println!("dry run: nothing was written");
    }
}
