//! Perpetrator statuses across a report: a party whose own side is accused
//! and who blames someone else makes a counter-claim.

use dossier_extract::{extract, Context, Gazetteer};
use dossier_model::{Attribution, ClaimValue};

fn perpetrators(body: &str) -> Vec<(String, String, String)> {
    extract(body, &Context::default(), &Gazetteer::builtin())
        .claims
        .into_iter()
        .filter_map(|c| match c.value {
            ClaimValue::Actor { name, status, .. } => Some((name, status, c.according_to.as_str().to_string())),
            _ => None,
        })
        .collect()
}

#[test]
fn the_accused_side_blaming_others_is_a_counter_claim() {
    let body = "A spokeswoman for the detainees said Malian prison guards stormed the yard and beat the inmates. \
                Malian officials have rejected the account, blaming looting and Velan Front snipers.";
    let got = perpetrators(body);
    assert!(
        got.contains(&("Malian prison guards".into(), "alleged".into(), "A spokeswoman for the detainees".into())),
        "{got:?}"
    );
    let counter = got.iter().find(|p| p.0.contains("snipers")).expect("the blamed snipers");
    assert_eq!(counter.1, "counter-claim", "{got:?}");
    assert_eq!(counter.2, "Malian officials");
}

#[test]
fn blame_from_an_uninvolved_side_stays_an_allegation() {
    let body = "Witnesses said gunmen opened fire on the market. \
                Iraqi officials blamed insurgents for the attack.";
    let got = perpetrators(body);
    let blamed = got.iter().find(|p| p.0.contains("insurgents")).expect("the blamed insurgents");
    assert_eq!(blamed.1, "alleged", "{got:?}");
    let _ = Attribution::Source;
}
