//! English, as people text it: text-speak ("plz", "ur", "txts"), "#" for number, and
//! the indirect ways of asking (the FCC 24-24 order's "any reasonable means").
//!
//! The lists are in [`requests`], [`keeping`], [`objects`] and [`senses`].
mod keeping;
mod objects;
mod requests;
mod senses;

use super::{Lang, Lexicon, Match};

pub const EN: Lexicon = Lexicon {
    lang: Lang::En,
    matching: Match::Words,
    stop: requests::STOP,
    bare: requests::BARE,
    aimed: requests::AIMED,
    keep: keeping::KEEP,
    doubt: keeping::DOUBT,
    onward: keeping::ONWARD,
    negations: keeping::NEGATIONS,
    sms: objects::SMS,
    general: objects::GENERAL,
    other: objects::OTHER,
    false_friends: senses::FALSE_FRIENDS,
    filler: senses::FILLER,
};
