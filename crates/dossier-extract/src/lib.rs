//! From a report's bytes to claims with exact spans and attribution.
//!
//! Invariants: pure and deterministic (no I/O, no clock, no randomness);
//! never panics on input; never fails a whole document — [`extract`] returns
//! what it found plus diagnostics. Every claim's `span` indexes the body it
//! was given, on character boundaries.

mod actors;
mod attribution;
mod casualties;
mod dates;
mod events;
mod furniture;
mod html;
mod incident_place;
mod intake;
mod lexicon;
mod means;
mod normalize;
mod numbers;
mod places;
mod protected;
mod separate;
mod statements;
mod text;
mod times;
mod tolls;

use chrono::NaiveDate;
use dossier_model::{Attribution, ClaimKind, ClaimValue, DateValue, Precision, Span};

/// The extractor's version, recorded with every claim set it makes. Bumped
/// whenever its output on some text can change (a test pins the digest of
/// its output over the shared dev reports to this name).
pub const VERSION: &str = "dossier-extract/3";

pub use dates::DateMention;
pub use events::{EventTerm, VOCABULARY as EVENT_VOCABULARY};
pub use html::{html_to_text, HeadMeta, PageText};
pub use intake::{read_document, Document, IntakeError, DEFAULT_MAX_BYTES};
pub use places::{Gazetteer, Level, Place, PlaceMention, SitesError};
pub use protected::{mentions_of, ProtectedPerson};
pub use text::sentences;

/// What extraction knows about a source besides its text.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Publication date, for relative dates ("on Tuesday").
    pub published: Option<NaiveDate>,
}

/// One claim found in the text, not yet tied to a stored source.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractedClaim {
    /// What it asserts.
    pub kind: ClaimKind,
    /// Where.
    pub span: Span,
    /// The sentence around it.
    pub sentence: Span,
    /// Who gives it.
    pub according_to: Attribution,
    /// The value.
    pub value: ClaimValue,
    /// 0: the event the report is about; 1, 2…: earlier events it mentions
    /// (with dates of their own), then separate events it tells.
    pub frame: u32,
}

/// Everything extraction found in one body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// Sentence spans.
    pub sentences: Vec<Span>,
    /// Claims, ordered by position.
    pub claims: Vec<ExtractedClaim>,
    /// What could not be determined, for the user.
    pub diagnostics: Vec<String>,
    /// Victims, witnesses and detainees named, with every mention of their names.
    pub persons: Vec<ProtectedPerson>,
}

/// Extracts claims from a body. A body not in Unicode NFC is read in NFC,
/// and every span indexes `body` as given.
pub fn extract(body: &str, ctx: &Context, gazetteer: &Gazetteer) -> Extraction {
    let mut ex = match normalize::nfc(body) {
        None => extract_nfc(body, ctx, gazetteer),
        Some(normalized) => {
            let mut ex = extract_nfc(&normalized.text, ctx, gazetteer);
            for s in &mut ex.sentences {
                *s = normalized.original(*s);
            }
            for c in &mut ex.claims {
                c.span = normalized.original(c.span);
                c.sentence = normalized.original(c.sentence);
            }
            ex
        }
    };
    ex.persons = protected::persons(body, &ex.sentences, &ex.claims);
    ex
}

/// A party whose own side is accused elsewhere in the report and who names
/// someone else (of no side, or another) as the perpetrator makes a
/// counter-claim ("Chadian officials … blaming looting and snipers", after a
/// spokesperson said Chadian security officers shot people).
fn mark_counter_claims(claims: &mut [ExtractedClaim]) {
    let accused: Vec<(&'static str, usize)> = claims
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.value {
            ClaimValue::Actor { name, status, .. } if status != "denied" => Some((actors::side_of(name)?, i)),
            _ => None,
        })
        .collect();
    for (i, c) in claims.iter_mut().enumerate() {
        let (Attribution::Party(party), ClaimValue::Actor { name, status, .. }) = (&c.according_to, &mut c.value)
        else {
            continue;
        };
        if status != "alleged" {
            continue;
        }
        let Some(speaker) = actors::side_of(party) else { continue };
        let named = actors::side_of(name);
        if named != Some(speaker) && accused.iter().any(|&(side, j)| side == speaker && j != i) {
            *status = "counter-claim".into();
        }
    }
}

/// Extracts claims from a body in NFC.
fn extract_nfc(body: &str, ctx: &Context, gazetteer: &Gazetteer) -> Extraction {
    let sentences = text::sentences(body);
    let year_reference = if ctx.published.is_none() { latest_stated_date(body, &sentences) } else { None };
    let datelines = furniture::datelines(body);
    let mut claims = Vec::new();
    let mut dates: Vec<DateMention> = Vec::new();
    let mut events: Vec<(&'static str, Span, Span)> = Vec::new();
    let mut times: Vec<times::TimeMention> = Vec::new();
    let mut previous_party: Option<String> = None;
    let mut last_case_sentence: Option<usize> = None;
    for (si, &sentence) in sentences.iter().enumerate() {
        let text = &body[sentence.start..sentence.end];
        let lower = text.to_ascii_lowercase();
        let tokens = text::tokenize_with(text, &lower, sentence.start);
        let found: Vec<DateMention> = dates::find_dates_with(&tokens, ctx.published, year_reference);
        // Numbers of dates and datelines are never tolls.
        let date_spans: Vec<Span> = found
            .iter()
            .map(|d| d.span)
            .chain(datelines.iter().copied().filter(|l| l.start < sentence.end && sentence.start < l.end))
            .collect();
        dates.extend(found.into_iter().filter(|d| {
            !is_reporting_date(text, sentence.start, &tokens, d)
                && !names_something(&tokens, d)
                && !furniture::is_furniture_date(body, d.span)
                && !datelines.iter().any(|l| l.contains(d.span))
        }));
        times.extend(times::find_times(&tokens));
        events.extend(events::find_event_types(&tokens).into_iter().map(|(term, span)| (term, span, sentence)));
        let speakers = attribution::speakers(text, &tokens, sentence.start, previous_party.as_deref());
        // Who gives what the text says at a byte of this sentence: a party it quotes, or none (the source).
        let party_at = |byte: usize| {
            let at = tokens.iter().position(|t| t.span.start >= byte).unwrap_or(0);
            attribution::party_for(&speakers, &tokens, at, previous_party.as_deref())
        };
        let attributed = |byte: usize| party_at(byte).map_or(Attribution::Source, Attribution::Party);
        let mut last_party = None;
        for m in casualties::find_casualties(&tokens, body, &date_spans) {
            let party = party_at(m.span.start);
            last_party.clone_from(&party);
            claims.push(ExtractedClaim {
                kind: m.kind,
                span: m.span,
                sentence,
                according_to: party.map_or(Attribution::Source, Attribution::Party),
                frame: 0,
                value: ClaimValue::Count(m.count),
            });
        }
        for m in actors::find_perpetrators(&tokens) {
            let party = party_at(m.span.start).or_else(|| m.accuser.map(|a| body[a.start..a.end].to_string()));
            let status = if m.status == "asserted" && party.is_some() { "alleged" } else { m.status };
            claims.push(ExtractedClaim {
                kind: ClaimKind::Perpetrator,
                span: m.span,
                sentence,
                according_to: party.map_or(Attribution::Source, Attribution::Party),
                frame: 0,
                value: ClaimValue::Actor {
                    name: body[m.span.start..m.span.end].to_string(),
                    actor_kind: m.kind.to_string(),
                    status: status.to_string(),
                    refers_to: None,
                },
            });
        }
        for (span, category) in means::find_materiel(&tokens) {
            claims.push(ExtractedClaim {
                kind: ClaimKind::Materiel,
                span,
                sentence,
                according_to: attributed(span.start),
                frame: 0,
                value: ClaimValue::Materiel { category: category.to_string() },
            });
        }
        for f in means::find_force_size(&tokens) {
            claims.push(ExtractedClaim {
                kind: ClaimKind::ForceSize,
                span: f.span,
                sentence,
                according_to: attributed(f.span.start),
                frame: 0,
                value: ClaimValue::Count(dossier_model::Count {
                    min: f.min,
                    max: f.max,
                    qualifier: f.qualifier,
                    population: Some(f.noun),
                    attackers: true,
                }),
            });
        }
        for r in actors::find_relations(&tokens) {
            claims.push(ExtractedClaim {
                kind: if r.relation == "commands" { ClaimKind::Command } else { ClaimKind::Order },
                span: r.span,
                sentence,
                according_to: attributed(r.span.start),
                frame: 0,
                value: ClaimValue::Relation {
                    relation: r.relation.to_string(),
                    from: body[r.from.start..r.from.end].to_string(),
                    to: body[r.to.start..r.to.end].to_string(),
                },
            });
        }
        let slice = |x: Option<Span>| x.map(|x| body[x.start..x.end].to_string());
        let first_here = dates.partition_point(|d| d.span.start < sentence.start);
        let sentence_date = dates[first_here..].iter().rev().find(|d| sentence.contains(d.span)).map(|d| d.value);
        for m in statements::find_statements(&tokens) {
            let kind = match m.kind {
                statements::StatementKind::Commitment => ClaimKind::Commitment,
                statements::StatementKind::Call => ClaimKind::Call,
                statements::StatementKind::Case => ClaimKind::Case,
                statements::StatementKind::CitedSource => ClaimKind::CitedSource,
            };
            let duration = None;
            if kind == ClaimKind::Case {
                last_case_sentence = Some(si);
            }
            claims.push(ExtractedClaim {
                kind,
                span: m.span,
                sentence,
                according_to: attributed(m.span.start),
                frame: 0,
                value: ClaimValue::Statement {
                    by: slice(m.by),
                    to: slice(m.to),
                    content: slice(m.content),
                    date: if kind == ClaimKind::CitedSource { None } else { sentence_date },
                    duration,
                    detail: m.detail,
                },
            });
        }
        // A case's duration is often told in the next sentence ("He has now been held for nearly two months…").
        let near_case = last_case_sentence.is_some_and(|c| si == c || si == c + 1);
        if let Some(d) = statements::duration_in(&tokens).filter(|_| near_case) {
            let last_case = claims.iter_mut().rev().find(|c| c.kind == ClaimKind::Case);
            if let Some(ExtractedClaim { value: ClaimValue::Statement { duration, .. }, .. }) = last_case {
                if duration.is_none() {
                    *duration = Some(body[d.start..d.end].to_string());
                }
            }
        }
        previous_party = speakers.last().map(|s| s.party.clone()).or(last_party);
    }
    mark_counter_claims(&mut claims);
    let mut diagnostics = Vec::new();
    let sentence_of = |span: Span| {
        let i = sentences.partition_point(|s| s.end < span.end);
        sentences.get(i).copied().filter(|s| s.contains(span)).unwrap_or(span)
    };
    // Separate events ("In a separate attack, …") keep their figures and
    // perpetrators apart; they are numbered after the earlier events below.
    let separate: Vec<Vec<Span>> = separate::passages(body, &sentences)
        .into_iter()
        .filter(|p| claims.iter().any(|c| ClaimKind::COUNTS.contains(&c.kind) && p.contains(&c.sentence)))
        .collect();
    let passage_of = |span: Span| separate.iter().position(|p| p.iter().any(|s| s.contains(span)));
    for c in claims.iter_mut() {
        if ClaimKind::COUNTS.contains(&c.kind) || c.kind == ClaimKind::Perpetrator {
            if let Some(k) = passage_of(c.sentence) {
                c.frame = SEPARATE_BASE + k as u32;
            }
        }
    }
    let main_dates: Vec<DateMention> = dates.iter().filter(|d| passage_of(d.span).is_none()).cloned().collect();
    let anchor = claims.iter().find(|c| c.frame == 0 && ClaimKind::COUNTS.contains(&c.kind)).map(|c| c.sentence);
    match incident_date(&main_dates, anchor, ctx.published) {
        Some(d) => claims.push(ExtractedClaim {
            kind: ClaimKind::IncidentDate,
            span: d.span,
            sentence: sentence_of(d.span),
            according_to: Attribution::Source,
            frame: 0,
            value: ClaimValue::Date(d.value),
        }),
        None => diagnostics.push("no incident date found".to_string()),
    }
    assign_background_frames(&mut claims, &main_dates, &sentence_of);
    let first_separate = claims.iter().filter(|c| c.frame < SEPARATE_BASE).map(|c| c.frame).max().unwrap_or(0) + 1;
    for c in claims.iter_mut().filter(|c| c.frame >= SEPARATE_BASE) {
        c.frame = c.frame - SEPARATE_BASE + first_separate;
    }
    let date_sentence = claims.iter().find(|c| c.kind == ClaimKind::IncidentDate && c.frame == 0).map(|c| c.sentence);
    // The time of day: in the date's or the first toll's sentence, else the first stated.
    let focus = [date_sentence, anchor];
    let time = times.iter().find(|t| focus.iter().flatten().any(|s| s.contains(t.span))).or(times.first());
    if let Some(t) = time {
        claims.push(ExtractedClaim {
            kind: ClaimKind::IncidentTime,
            span: t.span,
            sentence: sentence_of(t.span),
            according_to: Attribution::Source,
            frame: 0,
            value: ClaimValue::Time {
                hour: t.clock.map(|c| c.0),
                minute: t.clock.map(|c| c.1),
                part_of_day: t.part.map(str::to_string),
            },
        });
    }
    // A dateline names where the report was filed, not where the event was.
    let (dateline_mentions, all_mentions): (Vec<PlaceMention>, Vec<PlaceMention>) =
        gazetteer.find(body).into_iter().partition(|m| datelines.iter().any(|l| l.contains(m.span)));
    let (separate_mentions, mentions): (Vec<PlaceMention>, Vec<PlaceMention>) =
        all_mentions.iter().cloned().partition(|m| passage_of(m.span).is_some());
    for (k, passage) in separate.iter().enumerate() {
        let frame = first_separate + k as u32;
        let inside = |span: Span| passage.iter().any(|s| s.contains(span));
        if let Some(d) = dates.iter().find(|d| inside(d.span)) {
            claims.push(ExtractedClaim {
                kind: ClaimKind::IncidentDate,
                span: d.span,
                sentence: sentence_of(d.span),
                according_to: Attribution::Source,
                frame,
                value: ClaimValue::Date(d.value),
            });
        }
        let here: Vec<PlaceMention> = separate_mentions.iter().filter(|m| inside(m.span)).cloned().collect();
        let focus: Vec<Option<Span>> = passage.iter().copied().map(Some).collect();
        if let Some(chosen) = incident_place::choose(body, &here, &all_mentions, gazetteer, &focus, None) {
            claims.push(place_claim(chosen, frame, &sentence_of));
        }
    }
    // The lead (headline and first sentences) tells the event too.
    let headline = sentences.first().is_some_and(|s| text::is_headline_sentence(&body[s.start..s.end]));
    let lead: Vec<Option<Span>> = sentences.iter().take(if headline { 2 } else { 1 }).copied().map(Some).collect();
    // A headline's toll names the place loosely ("… in the DRC"): the first
    // toll told in a sentence of the text tells the event too.
    let told = claims
        .iter()
        .find(|c| {
            c.frame == 0
                && ClaimKind::COUNTS.contains(&c.kind)
                && !text::is_headline_sentence(&body[c.sentence.start..c.sentence.end])
        })
        .map(|c| c.sentence);
    let focus: Vec<Option<Span>> = [date_sentence, anchor, told].into_iter().chain(lead).collect();
    let dateline = datelines
        .first()
        .filter(|d| d.start < 600)
        .and_then(|d| incident_place::dateline_place(body, *d, &dateline_mentions, gazetteer));
    match incident_place::choose(body, &mentions, &all_mentions, gazetteer, &focus, dateline) {
        Some(chosen) => claims.push(place_claim(chosen, 0, &sentence_of)),
        None => diagnostics.push("no place found".to_string()),
    }
    // An earlier event a report recalls ("In the attack on X last March, …")
    // happened where the sentences of its figures say, when they name a place.
    let background: std::collections::BTreeSet<u32> =
        claims.iter().filter(|c| c.frame > 0 && c.frame < first_separate).map(|c| c.frame).collect();
    for frame in background {
        let told: Vec<Span> = claims.iter().filter(|c| c.frame == frame).map(|c| c.sentence).collect();
        let inside = |span: Span| told.iter().any(|s| s.contains(span));
        let here: Vec<PlaceMention> = mentions.iter().filter(|m| inside(m.span)).cloned().collect();
        let focus: Vec<Option<Span>> = told.iter().copied().map(Some).collect();
        let chosen =
            incident_place::choose(body, &here, &all_mentions, gazetteer, &focus, None).filter(|c| inside(c.span));
        if let Some(chosen) = chosen {
            claims.push(place_claim(chosen, frame, &sentence_of));
        }
    }
    // Event types from the sentences that tell the incident: the opening two,
    // those with its figures, its date and its place (not from background).
    // A separate event's types come from its own passage.
    let mut focus: std::collections::HashSet<Span> = sentences.iter().take(2).copied().collect();
    focus.extend(
        claims
            .iter()
            .filter(|c| {
                c.frame == 0 && !matches!(c.kind, ClaimKind::EventType | ClaimKind::Materiel | ClaimKind::ForceSize)
            })
            .map(|c| c.sentence),
    );
    let mut kept: Vec<(&'static str, Span, u32)> = Vec::new();
    for (term, span, sentence) in events {
        let frame = match passage_of(sentence) {
            Some(k) => first_separate + k as u32,
            None if focus.contains(&sentence) => 0,
            None => continue,
        };
        if !kept.iter().any(|(seen, _, f)| *seen == term && *f == frame) {
            kept.push((term, span, frame));
        }
    }
    for (term, span, frame) in kept {
        claims.push(ExtractedClaim {
            kind: ClaimKind::EventType,
            span,
            sentence: sentence_of(span),
            according_to: Attribution::Source,
            frame,
            value: ClaimValue::EventType { term: term.to_string() },
        });
    }
    actors::link_short_forms(&mut claims);
    claims.sort_by_key(|c| (c.span.start, c.span.end, c.kind));
    // One claim per kind and passage: ids derive from them.
    claims.dedup_by_key(|c| (c.kind, c.span));
    Extraction { sentences, claims, diagnostics, persons: Vec::new() }
}

/// Frames of separate events while earlier events are numbered.
const SEPARATE_BASE: u32 = 1 << 20;

/// Figures told with an earlier date of their own ("the attack
/// in February that killed eight") belong to an earlier event the report
/// mentions: each such date opens a frame (1, 2…) with its own date claim, so
/// that its figures are not counted as the incident's.
fn assign_background_frames(
    claims: &mut Vec<ExtractedClaim>,
    dates: &[DateMention],
    sentence_of: &dyn Fn(Span) -> Span,
) {
    let Some(primary) = claims.iter().find(|c| c.kind == ClaimKind::IncidentDate && c.frame == 0) else { return };
    let (primary_span, primary_date) = match &primary.value {
        ClaimValue::Date(d) => (primary.span, *d),
        _ => return,
    };
    let near = |d: &DateValue| {
        let day = chrono::Duration::days(1);
        d.overlaps(&primary_date) || d.start - day <= primary_date.end && primary_date.start - day <= d.end
    };
    let mut frames: Vec<(DateValue, Span)> = Vec::new();
    for c in claims.iter_mut().filter(|c| c.frame == 0 && ClaimKind::COUNTS.contains(&c.kind)) {
        // Only earlier dates: a later one ("bodies seen on Wednesday") is a later
        // count of the same event.
        let earlier = |d: &DateValue| d.end < primary_date.start && !near(d);
        let first_here = dates.partition_point(|d| d.span.start < c.sentence.start);
        let own = dates[first_here..]
            .iter()
            .take_while(|d| d.span.start < c.sentence.end)
            .find(|d| c.sentence.contains(d.span) && d.span != primary_span && earlier(&d.value));
        let Some(d) = own else { continue };
        let frame = match frames.iter().position(|(v, _)| *v == d.value) {
            Some(k) => k,
            None => {
                frames.push((d.value, d.span));
                frames.len() - 1
            }
        };
        c.frame = frame as u32 + 1;
    }
    for (k, (value, span)) in frames.into_iter().enumerate() {
        claims.push(ExtractedClaim {
            kind: ClaimKind::IncidentDate,
            span,
            sentence: sentence_of(span),
            according_to: Attribution::Source,
            frame: k as u32 + 1,
            value: ClaimValue::Date(value),
        });
    }
}

/// The claim of an event's place.
fn place_claim(chosen: incident_place::Chosen, frame: u32, sentence_of: &dyn Fn(Span) -> Span) -> ExtractedClaim {
    ExtractedClaim {
        kind: ClaimKind::IncidentPlace,
        span: chosen.span,
        sentence: sentence_of(chosen.span),
        according_to: Attribution::Source,
        frame,
        value: ClaimValue::Place(chosen.place),
    }
}

/// For a report without a publication date: the latest date it states with
/// its year (not in page furniture), which a day and month told without one
/// ("on 8 August") are read against.
fn latest_stated_date(body: &str, sentences: &[Span]) -> Option<NaiveDate> {
    sentences
        .iter()
        .flat_map(|s| {
            let text = &body[s.start..s.end];
            let lower = text.to_ascii_lowercase();
            let tokens = text::tokenize_with(text, &lower, s.start);
            dates::find_dates(&tokens, None)
        })
        .filter(|d| !d.relative && !furniture::is_furniture_date(body, d.span))
        .map(|d| d.value.end)
        .max()
}

/// Whether a date is part of a name ("the May 12 Movement", "the 9 June
/// Youth Movement"): a capitalised word that is no calendar word follows it
/// inside the sentence.
fn names_something(tokens: &[text::Token<'_>], d: &DateMention) -> bool {
    let next = tokens.partition_point(|t| t.span.start < d.span.end);
    tokens.get(next).is_some_and(|t| {
        t.kind == text::TokenKind::Word
            && t.text.starts_with(char::is_uppercase)
            && t.text.chars().skip(1).all(char::is_lowercase)
            && !dates::is_calendar_word(t.text)
            && t.text.len() > 2
    })
}

/// Whether a date tells when something was said rather than when it happened:
/// next to a speech verb ("said on Thursday", "said today"), or a relative
/// date inside a quotation (its "today" is the speaker's, not the report's).
fn is_reporting_date(sentence: &str, base: usize, tokens: &[text::Token<'_>], d: &DateMention) -> bool {
    let first = tokens.partition_point(|t| t.span.start < d.span.start);
    let last = tokens.partition_point(|t| t.span.end <= d.span.end);
    let say = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            attribution::SAY_VERBS.iter().any(|v| t.is(v)) || lexicon::statement_verbs().iter().any(|v| t.is(v))
        })
    };
    let before = (first.saturating_sub(2)..first).any(say);
    // "disclosed in a report on Friday", "said in its statement on 3 May".
    let determiner = |t: &text::Token<'_>| ["a", "an", "its", "their", "his", "her", "the"].iter().any(|d| t.is(d));
    let published_in = first >= 3
        && tokens[first - 3].is("in")
        && determiner(&tokens[first - 2])
        && lexicon::statement_nouns().iter().any(|n| tokens[first - 1].is(n));
    let after = say(last) || tokens.get(last).is_some_and(|t| t.text == ",") && say(last + 1);
    // "On May 14, Chadian officials acknowledged that …": the date heads a
    // clause whose verb is a speech verb, before any figure.
    // Only "On" ("Earlier on"), a weekday and commas may come before it ("On Tuesday, 14 May 2013, …").
    let lead = |t: &text::Token<'_>| {
        t.is("on") || t.is("earlier") || t.is("later") || t.text == "," || dates::is_calendar_word(t.text)
    };
    let opens_sentence = tokens[..first].iter().all(lead) && tokens.get(last).is_some_and(|t| t.text == ",");
    let heads_statement = opens_sentence
        && (last..tokens.len().min(last + 12))
            .take_while(|&k| tokens[k].kind != text::TokenKind::Number && !tokens[k].is("that"))
            .any(|k| say(k) || lexicon::accusation_verbs().iter().any(|v| tokens[k].is(v)));
    if before || after || heads_statement || published_in {
        return true;
    }
    if !d.relative {
        return false;
    }
    let lead = &sentence[..d.span.start - base];
    let straight = lead.matches('"').count();
    let curly_open = lead.matches('“').count();
    let curly_close = lead.matches('”').count();
    straight % 2 == 1 || curly_open > curly_close
}

/// The date the report is about: a day (or range) in the sentence of the first
/// toll, else the nearest one before it, else the first day in the text; then
/// months, then years, in or before the first toll's sentence. Dates after
/// publication are never the incident's.
fn incident_date(dates: &[DateMention], anchor: Option<Span>, published: Option<NaiveDate>) -> Option<&DateMention> {
    let usable: Vec<&DateMention> = dates.iter().filter(|d| published.is_none_or(|p| d.value.start <= p)).collect();
    let precise = |d: &&DateMention| matches!(d.value.precision, Precision::Day | Precision::Range);
    if let Some(a) = anchor {
        if let Some(d) = usable.iter().find(|d| precise(d) && a.contains(d.span)) {
            return Some(d);
        }
        if let Some(d) = usable.iter().rev().find(|d| precise(d) && d.span.end <= a.start) {
            return Some(d);
        }
    }
    // A month or year told away from the toll dates something else (an
    // earlier event, a background figure), not this event.
    let near_toll = |d: &&&DateMention| anchor.is_none_or(|a| a.contains(d.span) || d.span.end <= a.start);
    usable
        .iter()
        .find(|d| precise(d))
        .or_else(|| usable.iter().filter(near_toll).find(|d| d.value.precision == Precision::Month))
        .or_else(|| usable.iter().find(near_toll))
        .copied()
}

#[cfg(test)]
mod robustness;

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in gazetteer with an invented site, a camp.
    fn with_camp() -> Gazetteer {
        Gazetteer::builtin_with(
            Gazetteer::read_sites("site\tCamp Ossa\tCamp Ossa\tNinawa\tIraq\t36.2\t43.4\n").unwrap(),
        )
    }

    #[test]
    fn a_report_gives_date_place_type_and_tolls_with_exact_spans() {
        let body = "Camp Ossa in Iraq’s Ninawa Province was raided on March 5th, 2014.\n\nThe police said 27 villagers were killed and dozens wounded.";
        let ex = extract(body, &Context::default(), &with_camp());
        let summary: Vec<(&str, &str, String)> = ex
            .claims
            .iter()
            .map(|c| (c.kind.as_str(), &body[c.span.start..c.span.end], c.according_to.to_string()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("incident_place", "Camp Ossa", "source".to_string()),
                ("event_type", "raided", "source".to_string()),
                ("incident_date", "March 5th, 2014", "source".to_string()),
                ("killed", "27 villagers were killed", "The police".to_string()),
                ("injured", "dozens wounded", "The police".to_string()),
            ]
        );
        assert!(ex.diagnostics.is_empty());
    }

    #[test]
    fn a_place_named_relative_to_a_city_gives_way_to_the_site_the_report_names() {
        let g = with_camp();
        let body = "Forces raided a camp north of Mosul on 14 May 2013, killing nine.\n\nThe residents of Camp Ossa protested.";
        let ex = extract(body, &Context::default(), &g);
        let place = ex.claims.iter().find(|c| c.kind == ClaimKind::IncidentPlace).unwrap();
        assert_eq!(&body[place.span.start..place.span.end], "Camp Ossa");
        let body = "A bomb killed 16 people in Mosul on 9 June 2013.\n\nIt recalled the raid on Camp Ossa.";
        let ex = extract(body, &Context::default(), &g);
        let place = ex.claims.iter().find(|c| c.kind == ClaimKind::IncidentPlace).unwrap();
        assert_eq!(&body[place.span.start..place.span.end], "Mosul");
    }

    #[test]
    fn an_earlier_event_with_its_own_date_is_a_frame_of_its_own() {
        let body = "A car bomb killed 12 people in Baghdad on 3 May 2012.\n\nIn February 2012, an attack at the same market killed eight.";
        let ex = extract(body, &Context::default(), &Gazetteer::builtin());
        let frames: Vec<(&str, u32)> =
            ex.claims.iter().filter(|c| c.kind != ClaimKind::EventType).map(|c| (c.kind.as_str(), c.frame)).collect();
        assert_eq!(
            frames,
            vec![
                ("materiel", 0),
                ("killed", 0),
                ("incident_place", 0),
                ("incident_date", 0),
                ("incident_date", 1),
                ("killed", 1)
            ]
        );
    }

    #[test]
    fn a_separate_event_in_the_same_report_is_a_frame_with_its_own_place_and_type() {
        let body = "A suicide bomber killed 12 people at a market in Baghdad on 3 May 2012, police said.\n\n\
                    In a separate incident, gunmen raided a prison in Mosul and shot dead four guards. \
                    The attackers fled.\n\nResidents said the market had been attacked before.";
        let ex = extract(body, &Context::default(), &Gazetteer::builtin());
        let of = |f: u32| -> Vec<(&str, &str)> {
            ex.claims.iter().filter(|c| c.frame == f).map(|c| (c.kind.as_str(), c.span.slice(body).unwrap())).collect()
        };
        let main = of(0);
        assert!(main.contains(&("killed", "killed 12 people")), "{main:?}");
        assert!(main.contains(&("incident_place", "Baghdad")), "{main:?}");
        assert!(main.contains(&("incident_date", "3 May 2012")), "{main:?}");
        assert!(main.iter().all(|(k, t)| *k != "killed" || !t.contains("four")), "{main:?}");
        let second = of(1);
        assert!(second.iter().any(|(k, t)| *k == "killed" && t.contains("four")), "{second:?}");
        assert!(second.contains(&("incident_place", "Mosul")), "{second:?}");
        assert!(second.iter().any(|(k, _)| *k == "event_type"), "{second:?}");
        assert!(second.iter().all(|(k, _)| *k != "incident_date"), "no date of its own: {second:?}");
        // Without a cue, one event.
        let plain = body.replace("In a separate incident, gunmen", "Gunmen");
        let ex = extract(&plain, &Context::default(), &Gazetteer::builtin());
        assert!(ex.claims.iter().all(|c| c.frame == 0));
    }

    #[test]
    fn a_date_inside_a_name_is_no_date() {
        let body = "Fighters of the May 12 Movement killed nine villagers in Mosul on 3 June 2019.";
        let ex = extract(body, &Context::default(), &Gazetteer::builtin());
        let dates: Vec<&str> = ex
            .claims
            .iter()
            .filter(|c| c.kind == ClaimKind::IncidentDate)
            .map(|c| &body[c.span.start..c.span.end])
            .collect();
        assert_eq!(dates, vec!["3 June 2019"]);
    }

    #[test]
    fn the_date_of_a_statement_is_not_the_date_of_the_event() {
        let body = "Nine were killed in Mosul on 14 May 2013, police said.\n\nOn May 16, officials acknowledged that nine had died.\n\nOn Friday, May 17, 2013, the ministry's office in Lisbon confirmed the deaths of nine.";
        let ex = extract(body, &Context { published: NaiveDate::from_ymd_opt(2013, 5, 17) }, &Gazetteer::builtin());
        let dates: Vec<&str> = ex
            .claims
            .iter()
            .filter(|c| c.kind == ClaimKind::IncidentDate)
            .map(|c| &body[c.span.start..c.span.end])
            .collect();
        assert_eq!(dates, vec!["14 May 2013"]);
        assert!(ex.claims.iter().all(|c| c.frame == 0));
    }

    fn incident_dates(body: &str, published: Option<NaiveDate>) -> Vec<(String, String)> {
        let ex = extract(body, &Context { published }, &Gazetteer::builtin());
        ex.claims
            .iter()
            .filter(|c| c.kind == ClaimKind::IncidentDate && c.frame == 0)
            .map(|c| match &c.value {
                ClaimValue::Date(d) => (body[c.span.start..c.span.end].to_string(), format!("{}..{}", d.start, d.end)),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn the_day_a_report_or_an_accusation_was_published_is_not_the_events() {
        let published = NaiveDate::from_ymd_opt(2018, 5, 7);
        let body = "Thirty people were killed in the 3 April raid on the market of Mosul, the mission disclosed in a report on Monday.";
        assert_eq!(incident_dates(body, published), [("3 April".to_string(), "2018-04-03..2018-04-03".to_string())]);
        let body = "Gunmen killed 40 villagers in Mosul on 5 May 2018.\n\n\
            Earlier on Monday, the council accused the militia of the massacre of 40 people.";
        assert_eq!(incident_dates(body, published)[0].0, "5 May 2018");
    }

    #[test]
    fn a_day_without_its_year_in_an_undated_report_takes_the_year_the_text_states() {
        let body = "Gunmen killed 40 villagers in Mosul between 15 and 17 April.\n\n\
            The mission's report of 2 May 2014 counted the dead.";
        assert_eq!(
            incident_dates(body, None)[0],
            ("15 and 17 April".to_string(), "2014-04-15..2014-04-17".to_string())
        );
    }

    #[test]
    fn an_earlier_event_a_report_recalls_takes_the_place_its_sentence_names() {
        let body = "Gunmen killed 20 people in Kerena, Mali, on Friday, the mayor said.\n\n\
            In the attack on the village of Ossatou last March, militiamen killed more than 150 civilians.";
        let ex = extract(body, &Context { published: NaiveDate::from_ymd_opt(2020, 2, 15) }, &Gazetteer::builtin());
        let places: Vec<(u32, &str)> = ex
            .claims
            .iter()
            .filter(|c| c.kind == ClaimKind::IncidentPlace)
            .map(|c| (c.frame, &body[c.span.start..c.span.end]))
            .collect();
        assert_eq!(places, [(0, "Kerena"), (1, "Ossatou")]);
    }

    #[test]
    fn places_the_gazetteer_lacks_are_kept_as_named() {
        let body = "An airstrike killed 8 civilians in Kunduz Province on 11 March 2016.";
        let ex = extract(body, &Context::default(), &Gazetteer::builtin());
        let place = ex.claims.iter().find(|c| c.kind == ClaimKind::IncidentPlace).unwrap();
        assert_eq!(place.span.slice(body), Some("Kunduz Province"));
        let body = "Seven were killed in May 2012 in a raid.";
        let ex = extract(body, &Context::default(), &Gazetteer::builtin());
        assert!(ex.claims.iter().all(|c| c.kind != ClaimKind::IncidentPlace));
    }

    #[test]
    fn never_panics_on_odd_text() {
        let g = Gazetteer::builtin();
        for body in [
            "",
            ".",
            "’’’",
            "1-2-3-4",
            "killed killed 5",
            "no",
            "April",
            "8th 8th April",
            "\u{0}\u{feff}é́",
            "28–",
            "a dozen",
        ] {
            let ex = extract(body, &Context { published: NaiveDate::from_ymd_opt(2020, 1, 1) }, &g);
            for c in &ex.claims {
                assert!(body.get(c.span.start..c.span.end).is_some(), "{body:?}");
            }
        }
    }
}
