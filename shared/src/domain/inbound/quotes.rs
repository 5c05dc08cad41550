//! What is not the participant's own words: a quotation of a text we sent.
//!
//! Phones turn a reaction into a text that quotes the message reacted to: iOS sends
//! `Liked “…”`, `Loved “…”`, `Laughed at “…”`, `Emphasized “…”`, `Questioned “…”`,
//! `Disliked “…”` and `Reacted 😀 to “…”` (in the phone's own language: `Le gustó “…”`,
//! `Curtiu “…”`, `A aimé « … »`); Google Messages and Samsung Messages send the
//! emoji and the quoted text. Every text we send is one of the fixed texts
//! (`crate::domain::sms::texts`, the replies in `super`): each begins with the product
//! name and a colon, and the reminders end with the STOP/HELP line. So a quotation
//! that carries either is ours, whatever wraps it, and is dropped with its quote
//! marks before the text is read; what is left of a reaction ("Liked", "Reacted 😀
//! to") asks nothing. A quote the phone cut short (no closing mark) runs to the end.
//!
//! The STOP/HELP line itself, pasted back without quote marks ("Reply STOP to opt
//! out, HELP for help."), is ours too: it is an instruction we sent, not a request.
use super::text::normalize;

/// Opening and closing quote marks, as phones and people type them.
const QUOTES: &[(char, char)] = &[
    ('“', '”'),
    ('"', '"'),
    ('«', '»'),
    ('„', '“'),
    ('「', '」'),
    ('『', '』'),
    ('‘', '’'),
    ('”', '”'),
];

/// Our STOP/HELP line and the instructions in our replies, normalized.
const OUR_LINES: &[&str] = &[
    "reply stop to opt out help for help",
    "reply stop to opt out",
    "reply help for help",
    "reply start to resubscribe",
    "to stop all texts from",
    "stop to opt out",
    "this number does not accept replies",
];

/// Whether a quoted passage is one of our texts (or the start of one).
fn is_ours(quoted: &str, product: &str) -> bool {
    let text = normalize(quoted);
    let product = normalize(product);
    let begins_with_product =
        !product.is_empty() && (text == product || text.starts_with(&format!("{product} ")));
    begins_with_product
        || OUR_LINES.iter().any(|line| text.contains(line))
        || text.contains("your interview")
}

/// The text without the quotations of our texts it carries.
pub fn own_words(body: &str, product: &str) -> String {
    let mut rest = body.to_owned();
    'again: loop {
        for (open, close) in QUOTES {
            let Some(start) = rest.find(*open) else {
                continue;
            };
            let after = start + open.len_utf8();
            let end = rest[after..].find(*close).map(|i| after + i);
            let (quoted, resume) = match end {
                Some(end) => (&rest[after..end], end + close.len_utf8()),
                None => (&rest[after..], rest.len()),
            };
            if is_ours(quoted, product) {
                let before = &rest[..start];
                let before = if is_reaction_lead(before) { "" } else { before };
                rest = format!("{} {}", before, &rest[resume..]);
                continue 'again;
            }
        }
        break;
    }
    strip_our_lines(&rest)
}

/// What a phone writes before the text reacted to (normalized: an emoji goes), in the
/// languages the phones are set to: iOS `Liked`, `Reacted 😀 to`, `Removed a like
/// from`; `Le gustó`, `Curtiu`, `A aimé`; Google Messages' `👍 to`.
const REACTION_LEADS: &[&str] = &[
    "liked",
    "loved",
    "laughed at",
    "emphasized",
    "emphasised",
    "questioned",
    "disliked",
    "reacted to",
    "reacted",
    "to",
    "removed a like from",
    "removed a heart from",
    "removed a laugh from",
    "removed an exclamation from",
    "removed a question mark from",
    "removed a dislike from",
    "le gusto",
    "no le gusto",
    "n a pas aime",
    "nao curtiu",
    "le encanto",
    "curtiu",
    "amou",
    "a aime",
    "a adore",
    "reacciono a",
    "reagiu a",
    "a reagi a",
    "a reagi",
];

/// Whether the words before a quotation of ours are a phone's reaction wrapper: they
/// go with it, so that what the person typed after it is read alone
/// (`Emphasized “…” STOP` is `STOP`).
fn is_reaction_lead(before: &str) -> bool {
    let lead = normalize(before);
    lead.is_empty() || REACTION_LEADS.contains(&lead.as_str())
}

/// Drops our STOP/HELP line pasted back without quote marks.
fn strip_our_lines(text: &str) -> String {
    // ASCII lower-casing keeps every byte where it was, so offsets carry over.
    let lower = text.to_ascii_lowercase();
    for line in [
        "reply stop to opt out, help for help.",
        "reply stop to opt out, help for help",
        "reply stop to opt out",
    ] {
        if let Some(at) = lower.find(line) {
            return format!("{} {}", &text[..at], &text[at + line.len()..]);
        }
    }
    text.to_owned()
}

/// Reactions to one of our reminders, as phones send them (`{}`: the reminder).
#[cfg(test)]
pub(super) mod reactions {
    pub const REMINDER: &str = "Rally: Reminder: your interview starts at 3:00 PM EST. Details: https://x.example/b/t Reply STOP to opt out, HELP for help.";

    pub const WRAPPERS: &[&str] = &[
        "Liked “{}”",
        "Loved “{}”",
        "Laughed at “{}”",
        "Emphasized “{}”",
        "Questioned “{}”",
        "Disliked “{}”",
        "Removed a like from “{}”",
        "Reacted 😀 to “{}”",
        "\u{200a}👍\u{200b} to “{}”\u{200a}",
        "👍 to \"{}\"",
        "Le gustó “{}”",
        "Reaccionó con 😂 a “{}”",
    ];
}

#[cfg(test)]
mod tests {
    use super::reactions::{REMINDER, WRAPPERS};
    use super::*;

    #[test]
    fn a_reaction_leaves_only_its_verb() {
        for wrapper in WRAPPERS {
            let body = wrapper.replace("{}", REMINDER);
            let own = own_words(&body, "Rally");
            assert!(!own.to_lowercase().contains("stop"), "{body} -> {own}");
        }
    }

    #[test]
    fn a_quote_cut_short_is_still_ours() {
        let own = own_words(
            "Liked “Rally: Reminder: your interview starts at 3:00 P…",
            "Rally",
        );
        assert_eq!(own.trim(), "");
    }

    #[test]
    fn words_typed_after_a_reaction_are_read_alone() {
        let own = own_words(&format!("Emphasized “{REMINDER}” STOP"), "Rally");
        assert_eq!(own.trim(), "STOP");
        let own = own_words(&format!("Please stop “{REMINDER}”"), "Rally");
        assert_eq!(own.trim(), "Please stop");
    }

    #[test]
    fn the_persons_own_words_stay() {
        assert_eq!(own_words("STOP", "Rally"), "STOP");
        let own = own_words(&format!("Stop texting me “{REMINDER}”"), "Rally");
        assert!(own.contains("Stop texting me"));
        assert_eq!(
            own_words("he said \"stop\" to me", "Rally"),
            "he said \"stop\" to me"
        );
        assert!(!own_words("Reply STOP to opt out, HELP for help.", "Rally")
            .to_lowercase()
            .contains("stop"));
    }
}
