//! What the words of each language mean to the reader (`super::reading`): one
//! [`Lexicon`] a language, each phrase written as [`super::text::normalize`] leaves it
//! (lower case; Latin letters without accents, so Vietnamese typed with or without
//! diacritics reads the same; apostrophes dropped; punctuation a space).
//!
//! How a phrase matches depends on the language's [`Match`]: whole words in order
//! (a final `*` on a word matches any ending: `text*` is "texts", "texting"), or, for
//! scripts written without spaces between words (and for Korean and Arabic, whose
//! particles attach to the word), a run of characters with the spaces taken out.
//!
//! The lists hold meaning, not whole sentences: the structure (clauses, negation, the
//! object a request is aimed at) is read in `super::clause`.
mod ar;
mod en;
mod es;
mod fr;
mod ht;
mod ko;
mod pt;
mod ru;
mod tl;
mod vi;
mod zh;

/// The languages read: English and the ten most spoken at home in the US after it
/// (Census ACS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Es,
    Zh,
    Tl,
    Vi,
    Ar,
    Fr,
    Ko,
    Ru,
    Ht,
    Pt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    /// Whole words in order; `*` at the end of a word matches any ending.
    Words,
    /// A run of characters, spaces removed from both the phrase and the clause.
    Chars,
}

pub struct Lexicon {
    pub lang: Lang,
    pub matching: Match,
    /// Ask to stop getting the messages on their own: "unsubscribe", "opt out",
    /// "take me off", "stop texting", "no more texts", "do not contact", "delete my
    /// number". Still undone by a negation just before, and aimed elsewhere when the
    /// clause names another channel or thing and no text.
    pub stop: &'static [&'static str],
    /// Ask to stop when they stand alone in their clause ("Stop.", "please stop",
    /// "basta ya") or are aimed at the messages ("stop sending these"); not with
    /// another object ("stop by the lab", "quit my job").
    pub bare: &'static [&'static str],
    /// Ask to stop only when aimed at the messages: "cancel the texts", "done with
    /// these reminders", "don't want these messages"; "cancel" or "I'm done" alone is
    /// about the appointment.
    pub aimed: &'static [&'static str],
    /// Take an opt-out back or ask to keep the texts: "by mistake", "put me back",
    /// "keep texting me", "texts are fine", "didn't send stop", "never mind".
    pub keep: &'static [&'static str],
    /// May be a revocation but is not clearly one: a complaint ("spam", "why are you
    /// texting me"), a wish with no object ("I don't want this"). One reply says
    /// exactly how to stop.
    pub doubt: &'static [&'static str],
    /// Words that carry a request into the future ("anymore", "again", "any further",
    /// "going forward"): a negation, then a word of sending within four words, with
    /// one of these after it asks to stop ("I'd appreciate it if you didn't text me
    /// anymore", "could you not send me any more of these"). Languages written in
    /// words only.
    pub onward: &'static [&'static str],
    /// Undo a request that follows within a few words: "don't", "never", "no quiero que".
    pub negations: &'static [&'static str],
    /// The texts themselves: "text*", "sms", "reminder*", "this number".
    pub sms: &'static [&'static str],
    /// Contact of any kind, which a reply to a text means as the texts unless the
    /// clause names another channel: "send*", "contact*", "receiv*", "subscription".
    pub general: &'static [&'static str],
    /// Other channels and things a request can be aimed at: email, calls, the
    /// recording, a survey, the appointment, the study.
    pub other: &'static [&'static str],
    /// Uses of a stop word in another sense, taken out before reading: "stop by",
    /// "bus stop", "end of", "cant stop".
    pub false_friends: &'static [&'static str],
    /// Words that add nothing to what a clause asks: pronouns, "please", "now",
    /// "already", "seriously", "i want", "would it be possible".
    pub filler: &'static [&'static str],
}

pub const ALL: &[&Lexicon] = &[
    &en::EN,
    &es::ES,
    &zh::ZH,
    &tl::TL,
    &vi::VI,
    &ar::AR,
    &fr::FR,
    &ko::KO,
    &ru::RU,
    &ht::HT,
    &pt::PT,
];
