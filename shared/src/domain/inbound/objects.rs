//! What a request in a clause is aimed at, beyond the lexicons' objects: another phone
//! than ours, an event after which to text, a stop word's own object.
use super::matching::{Phrase, Span, View};

/// "text me after that", "after the interview": an event, not a time of day.
pub(super) fn after_an_event(view: &View, span: Span) -> bool {
    const EVENT: &[&str] = &[
        "that", "this", "today", "tomorrow", "the", "my", "it", "then", "next",
    ];
    span.end > 0
        && view.words[span.end - 1] == "after"
        && view
            .words
            .get(span.end)
            .is_some_and(|w| EVENT.contains(&w.as_str()))
}

/// The phone we text, named beside another one.
pub(super) const THIS_PHONE: &[&str] = &["this number", "this phone", "this cell", "this line"];

/// A phone of the person's that may or may not be the one we text: "stop calling my
/// work number" is about calls to it; "stop texting my work phone", sent from the phone
/// we text, is about that phone.
pub(super) const A_PHONE: &[&str] = &[
    "work number",
    "work phone",
    "work cell",
    "office line",
    "office number",
    "landline",
    "other number",
    "old number",
    "home phone",
    "home number",
];

/// An email address as where something goes: a request about it is not about these
/// texts ("stop sending the reminder to my work email").
pub(super) const AN_EMAIL: &[&str] = &[
    "to my email",
    "to my work email",
    "to my personal email",
    "to my inbox",
];

/// Words that open a noun phrase of its own after a verb.
const DETERMINERS: &[&str] = &["the", "my", "his", "her", "our", "their", "a", "an"];

/// "revoking my parking permit", "quitting the team": the stop word at `span` is one
/// word in "-ing" and a noun phrase follows it.
pub(super) fn gerund_with_own_object(words: &[String], span: Span) -> bool {
    span.end == span.start + 1
        && words[span.start].ends_with("ing")
        && words
            .get(span.end)
            .is_some_and(|w| DETERMINERS.contains(&w.as_str()))
        && words.get(span.end + 1).is_some_and(|w| !w.is_empty())
}

/// What a stop phrase says of the phone number or its owner: "wrong number", "número
/// equivocado", "mauvais numéro", "الرقم غلط", "wrong person".
const WRONG: &[&str] = &["wrong", "equivocado", "errado", "mauvais", "غلط"];

/// Whether the stop phrase is said of the number or the person we text (it names them
/// as wrong), not aimed at a thing: what else the clause names does not turn it away.
pub(super) fn said_of_the_number(phrase: &Phrase) -> bool {
    phrase.words.iter().any(|w| WRONG.contains(&w.as_str()))
}

/// Channels other than SMS whose name may qualify a word of the texts.
const CHANNELS: &[&str] = &[
    "email",
    "e-mail",
    "voicemail",
    "call",
    "whatsapp",
    "messenger",
    "wechat",
    "zoom",
    "app",
    "inbox",
    "mail",
];

/// "the voicemail reminders", "Zoom notifications": the word of the texts at `at`
/// follows another channel's name, so it names that channel's messages.
pub(super) fn after_another_channel(words: &[String], at: usize) -> bool {
    at > 0 && CHANNELS.contains(&words[at - 1].as_str())
}

/// Words that say by which channel a thing comes.
const BY_CHANNEL: &[&str] = &[
    "on",
    "in",
    "to",
    "by",
    "via",
    "through",
    "thru",
    "over",
    "qua",
    "por",
    "par",
    "pelo",
    "через",
];

/// "the reminders in my inbox", "messaging me on WhatsApp", "reminders to my old work
/// email": the word of the texts at `at` comes by another channel, named (at a position
/// in `other`) within a few words after it, so it names that channel's messages, not
/// our texts.
pub(super) fn by_another_channel(words: &[String], at: usize, other: &[usize]) -> bool {
    (at + 1..(at + 5).min(words.len())).any(|k| {
        BY_CHANNEL.contains(&words[k].as_str())
            && (other.contains(&(k + 1))
                || (words
                    .get(k + 1)
                    .is_some_and(|w| matches!(w.as_str(), "my" | "the" | "your"))
                    && (k + 2..=k + 4).any(|o| other.contains(&o))))
    })
}
