//! What an inbound text asks for. Keywords are matched case-, space- and
//! punctuation-insensitively. Beyond the keywords, a plain-language request to stop
//! ("please stop texting me", "no more messages") is an opt-out too: the FCC accepts
//! any reasonable means. The boundary is explicit: a stop word must be aimed at the
//! messages ("stop texting", "no more texts", "don't message me", "unsubscribe",
//! "take me off", "wrong number"); a stop word in an ordinary reply ("I'll stop by at
//! 3", "no more questions") is not, and "don't stop" never is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    OptOut,
    Help,
    OptIn,
    /// Anything else: the number does not take replies.
    Other,
}

const OPT_OUT: &[&str] = &[
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
    "REMOVE",
    "ARRET",
];
const HELP: &[&str] = &["HELP", "INFO"];
const OPT_IN: &[&str] = &["START", "UNSTOP", "YES"];

/// Words that mean the messages themselves.
const MESSAGING: &[&str] = &[
    "text",
    "texts",
    "texting",
    "txt",
    "txts",
    "message",
    "messages",
    "messaging",
    "msg",
    "msgs",
    "sms",
    "contact",
    "contacting",
    "sending",
    "reminders",
    "reminder",
    "notifications",
    "these",
    "this",
    "it",
];
const STOP_VERBS: &[&str] = &["stop", "quit", "cease", "end"];

/// The whole message with everything but letters and digits removed, upper-cased:
/// "Opt-Out!" and " s t o p " both become a keyword.
fn squeezed(body: &str) -> String {
    body.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'E',
            other => other,
        })
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Lower-case words, apostrophes dropped ("don't" → "dont"), other punctuation a space.
fn words(body: &str) -> Vec<String> {
    body.to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn within(words: &[String], from: usize, span: usize, set: &[&str]) -> bool {
    words
        .iter()
        .skip(from + 1)
        .take(span)
        .any(|w| set.contains(&w.as_str()))
}

fn has_phrase(words: &[String], phrase: &[&str]) -> bool {
    words
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

/// A plain-language request to stop the texts.
fn asks_to_stop(body: &str) -> bool {
    let words = words(body);
    let negated_stop = has_phrase(&words, &["dont", "stop"])
        || has_phrase(&words, &["do", "not", "stop"])
        || has_phrase(&words, &["never", "stop"]);
    if negated_stop {
        return false;
    }
    for phrase in [
        &["opt", "out"][..],
        &["opt", "me", "out"],
        &["take", "me", "off"],
        &["remove", "me"],
        &["remove", "my", "number"],
        &["delete", "my", "number"],
        &["wrong", "number"],
        &["leave", "me", "alone"],
    ] {
        if has_phrase(&words, phrase) {
            return true;
        }
    }
    words.iter().enumerate().any(|(i, w)| match w.as_str() {
        "unsubscribe" | "optout" => true,
        v if STOP_VERBS.contains(&v) => within(&words, i, 3, MESSAGING),
        "more" => i > 0 && words[i - 1] == "no" && within(&words, i, 2, MESSAGING),
        "dont" => within(
            &words,
            i,
            1,
            &["text", "message", "contact", "sms", "txt", "msg"],
        ),
        "not" => {
            i > 0
                && words[i - 1] == "do"
                && within(
                    &words,
                    i,
                    1,
                    &["text", "message", "contact", "sms", "txt", "msg"],
                )
        }
        _ => false,
    })
}

/// The keyword a message is, if it is exactly one (for the consent record).
pub fn keyword(body: &str) -> Option<String> {
    let keyword = squeezed(body);
    [OPT_OUT, HELP, OPT_IN]
        .iter()
        .any(|set| set.contains(&keyword.as_str()))
        .then_some(keyword)
}

pub fn classify(body: &str) -> Intent {
    let keyword = squeezed(body);
    if OPT_OUT.contains(&keyword.as_str()) {
        return Intent::OptOut;
    }
    if HELP.contains(&keyword.as_str()) {
        return Intent::Help;
    }
    if OPT_IN.contains(&keyword.as_str()) {
        return Intent::OptIn;
    }
    if asks_to_stop(body) {
        return Intent::OptOut;
    }
    Intent::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_in_any_case_spacing_and_punctuation() {
        let cases: &[(&str, Intent)] = &[
            ("STOP", Intent::OptOut),
            ("stop", Intent::OptOut),
            (" Stop. ", Intent::OptOut),
            ("S T O P", Intent::OptOut),
            ("STOPALL", Intent::OptOut),
            ("stop all", Intent::OptOut),
            ("Unsubscribe", Intent::OptOut),
            ("cancel", Intent::OptOut),
            ("END", Intent::OptOut),
            ("quit!", Intent::OptOut),
            ("revoke", Intent::OptOut),
            ("OPTOUT", Intent::OptOut),
            ("opt-out", Intent::OptOut),
            ("Opt Out", Intent::OptOut),
            ("remove", Intent::OptOut),
            ("Arrêt", Intent::OptOut),
            ("ARRET", Intent::OptOut),
            ("help", Intent::Help),
            ("HELP?", Intent::Help),
            ("info", Intent::Help),
            ("start", Intent::OptIn),
            ("Unstop", Intent::OptIn),
            ("yes", Intent::OptIn),
            ("YES!", Intent::OptIn),
        ];
        for (body, expected) in cases {
            assert_eq!(classify(body), *expected, "{body:?}");
        }
    }

    #[test]
    fn plain_language_requests_to_stop_are_opt_outs() {
        for body in [
            "Please stop texting me",
            "stop sending me these messages",
            "STOP THE TEXTS",
            "quit messaging me please",
            "No more messages",
            "no more texts thanks",
            "Don't text me again",
            "do not contact me",
            "please unsubscribe me",
            "opt me out",
            "Take me off your list",
            "remove me from this",
            "wrong number",
            "Stop it.",
            "I want to opt out",
        ] {
            assert_eq!(classify(body), Intent::OptOut, "{body:?}");
        }
    }

    #[test]
    fn ordinary_replies_are_not_opt_outs() {
        for body in [
            "I'll stop by at 3",
            "Can we end at 4?",
            "no more questions, see you then",
            "Don't stop the reminders please",
            "See you tomorrow!",
            "What time does it end",
            "Is this about my interview?",
            "Thanks, I'll be there",
            "Running 5 min late",
            "",
        ] {
            assert_eq!(classify(body), Intent::Other, "{body:?}");
        }
    }
}
