//! What an inbound text asks for.
//!
//! Keywords come from the standards: AWS End User Messaging's required opt-out list
//! (ARRET, CANCEL, END, OPT-OUT, OPTOUT, QUIT, REMOVE, STOP, TD, UNSUBSCRIBE) plus
//! STOPALL, REVOKE and "opt out"; HELP and INFO; START, UNSTOP and YES. They match in
//! any case, spacing and punctuation ("S T O P", "Opt-Out!"), and, as AWS reads a
//! message that begins with a keyword, as the first word ("STOP please", "stop stop").
//!
//! A text that is a keyword is always one. A text that begins with an opt-out keyword
//! is an opt-out unless the rest of its first clause plainly gives the word another
//! sense, or the text takes it back (the rule and why: [`super::reading`]).
#[cfg(test)]
use super::reading::classify;
use super::text::normalize;
use super::text::{squeezed, typo_distance};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    OptOut,
    Help,
    /// Lifts an opt-out; changes nothing for a number that has none.
    OptIn,
    /// May be a revocation but is not clearly one: one reply says how to stop.
    Unclear,
    /// Anything else: the number does not take replies.
    Other,
}

/// Opt-out keywords that mean the messages whatever follows them.
pub(super) const STRONG: &[&str] = &[
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "OPTOUT",
    "REVOKE",
    "TD",
    "ARRET",
];
/// Opt-out keywords that are also everyday verbs with an object.
pub(super) const WEAK: &[&str] = &["CANCEL", "END", "REMOVE", "QUIT"];
pub(super) const HELP: &[&str] = &["HELP", "INFO"];
pub(super) const OPT_IN: &[&str] = &["START", "UNSTOP", "YES"];

/// Words after an opt-in keyword that keep it a request to resume.
pub(super) const OPT_IN_REST: &[&str] = &[
    "please",
    "pls",
    "plz",
    "again",
    "thanks",
    "thank",
    "you",
    "me",
    "back",
    "now",
    "ok",
    "texts",
    "messages",
    "resubscribe",
];

/// Real words one slip away from a keyword, never read as a typo of it.
const NOT_TYPOS: &[&str] = &[
    "step", "shop", "stow", "atop", "slop", "stops", "scop", "stomp", "stoep",
];

/// The opt-out keyword the text begins with, how many words it took, and whether it was
/// only recognised as a typo of one.
pub(super) fn first_keyword(words: &[String]) -> Option<(&'static str, usize, bool)> {
    let first = words.first()?.as_str();
    match (first, words.get(1).map(String::as_str)) {
        ("opt", Some("out")) => return Some(("OPTOUT", 2, false)),
        ("stop", Some("all")) => return Some(("STOPALL", 2, false)),
        _ => {}
    }
    let upper = first.to_ascii_uppercase();
    if let Some(k) = STRONG.iter().chain(WEAK).find(|k| **k == upper) {
        return Some((k, 1, false));
    }
    if first == "stahp" {
        return Some(("STOP", 1, true));
    }
    if NOT_TYPOS.contains(&first) || first.len() < 4 {
        return None;
    }
    for (keyword, max) in [
        ("STOP", 1),
        ("STOPALL", 1),
        ("REMOVE", 1),
        ("CANCEL", 1),
        ("REVOKE", 1),
        ("UNSUBSCRIBE", 2),
    ] {
        if typo_distance(&upper, keyword, max) <= max {
            return Some((keyword, 1, true));
        }
    }
    None
}

/// The words of a text as the reading folds them, in every script: "실수로 STOP"
/// begins with 실수로, not with STOP.
pub(super) fn text_words(body: &str) -> Vec<String> {
    normalize(body)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The keyword a text is, or begins with (for the consent record).
pub fn keyword(body: &str) -> Option<String> {
    let whole = squeezed(body);
    if [STRONG, WEAK, HELP, OPT_IN]
        .iter()
        .any(|set| set.contains(&whole.as_str()))
    {
        return Some(whole);
    }
    let words = text_words(body);
    first_keyword(&words)
        .filter(|(_, _, typo)| !typo)
        .map(|(k, _, _)| k.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_keyword_in_any_case_spacing_and_punctuation() {
        for keyword in [
            "ARRET",
            "CANCEL",
            "END",
            "OPT-OUT",
            "OPTOUT",
            "QUIT",
            "REMOVE",
            "STOP",
            "TD",
            "UNSUBSCRIBE",
            "STOPALL",
            "REVOKE",
            "opt out",
        ] {
            for body in [
                keyword.to_owned(),
                keyword.to_lowercase(),
                format!(" {}. ", capitalised(keyword)),
                format!("{keyword}!!"),
                keyword.chars().map(|c| format!("{c} ")).collect::<String>(),
            ] {
                assert_eq!(classify(&body), Intent::OptOut, "{body:?}");
            }
        }
        assert_eq!(classify("Arrêt"), Intent::OptOut);
    }

    fn capitalised(word: &str) -> String {
        let lower = word.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
            .unwrap_or_default()
    }

    #[test]
    fn a_text_that_begins_with_an_opt_out_keyword_opts_out() {
        for body in [
            "STOP please",
            "Stop now!!",
            "stop stop",
            "STOP STOP",
            "Stop, wrong number",
            "🛑 STOP",
            "Unsubscribe me please",
            "TD please",
            "Revoke consent",
            "opt out please",
            "Cancel all texts",
            "Remove me from this list",
            "END please",
            "quit texting me",
        ] {
            assert_eq!(classify(body), Intent::OptOut, "{body:?}");
        }
    }

    #[test]
    fn an_everyday_verb_keyword_with_another_object_gets_the_how_to_stop_reply() {
        for body in [
            "Remove the 3pm slot?",
            "Cancel my interview please",
            "End of the street, right?",
            "End time?",
            "Stop by the lab at 3?",
        ] {
            assert_eq!(classify(body), Intent::Unclear, "{body:?}");
        }
    }

    #[test]
    fn help_and_opt_in_keywords() {
        for (body, expected) in [
            ("help", Intent::Help),
            ("HELP?", Intent::Help),
            ("info", Intent::Help),
            ("Help, I can't find the building", Intent::Help),
            ("start", Intent::OptIn),
            ("Unstop", Intent::OptIn),
            ("yes", Intent::OptIn),
            ("YES!", Intent::OptIn),
            ("Start again please", Intent::OptIn),
            ("Yes I'll be there", Intent::Other),
            ("Start time is 3pm right?", Intent::Other),
        ] {
            assert_eq!(classify(body), expected, "{body:?}");
        }
    }

    #[test]
    fn typos_of_stop_alone_opt_out_but_real_words_do_not() {
        for body in ["Stpo", "sotp", "STOPP", "stahp", "remvoe me"] {
            assert_eq!(classify(body), Intent::OptOut, "{body:?}");
        }
        for body in ["Step 2 done", "Shop closes at 5?", "top floor?"] {
            assert_ne!(classify(body), Intent::OptOut, "{body:?}");
        }
    }

    #[test]
    fn the_record_names_the_keyword_the_text_begins_with() {
        assert_eq!(keyword("Stop please").as_deref(), Some("STOP"));
        assert_eq!(keyword("opt-out").as_deref(), Some("OPTOUT"));
        assert_eq!(keyword("please stop texting me"), None);
        assert_eq!(keyword("Stpo"), None);
    }

    #[test]
    fn empty_and_emoji_only_texts() {
        assert_eq!(classify(""), Intent::Other);
        assert_eq!(classify("👍"), Intent::Other);
        assert_eq!(classify("🛑"), Intent::Unclear);
    }
}
