//! What an inbound text asks, read by its structure.
//!
//! 1. What is not the person's own words goes: a quotation of one of our texts (a
//!    phone's reaction, `Liked “Rally: Reminder: …”`) and our STOP/HELP line pasted
//!    back ([`super::quotes`]).
//! 2. The required keywords stay deterministic ([`super::keywords`]). A text that is
//!    one (any case, spacing, punctuation) is always an opt-out: that is AWS's rule
//!    for the required keywords, and the FCC 24-24 order deems "stop, quit, end,
//!    revoke, opt out, cancel, unsubscribe" sent as a reply a revocation. A text
//!    that begins with one is an opt-out too, as AWS reads a message that begins with a
//!    keyword, unless the rest of its first clause plainly gives the word another
//!    sense: a place ("stop by the lab"), the appointment ("cancel my interview",
//!    "end time?"), another channel ("stop calling me"); or the same text takes it
//!    back ("STOP. Sorry, wrong chat"). Those get the one clarifying reply. The
//!    number uses self-managed opt-outs (the carrier answers STOP itself only on a
//!    US toll-free number), so this reading is the only one that happens.
//! 3. The rest is cut into clauses ([`super::text::clauses`]), and each is read for
//!    its request, the object it is aimed at and negation ([`super::clause`]) with the
//!    words of eleven languages ([`super::lexicon`]).
//! 4. Combined: a stop of the texts anywhere is an opt-out, unless the same text takes
//!    it back or asks to keep them (then: unclear, one clarifying reply); a stop aimed
//!    only at another channel or thing, or an appointment cancelled, is not one.
use super::clause::{read_clause, ClauseReading};
use super::keywords::{first_keyword, text_words, Intent, HELP, OPT_IN, OPT_IN_REST, STRONG, WEAK};
use super::lexicon::Lang;
use super::quotes::own_words;
use super::text::squeezed;
use super::text::{clauses, normalize};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    pub intent: Intent,
    /// What the reading rests on: a keyword, a clause's words, or the model.
    pub basis: Basis,
    /// The language the request was made in: the confirmation goes out in it.
    pub lang: Lang,
}

fn reading(intent: Intent, lang: Lang) -> Reading {
    Reading {
        intent,
        lang,
        basis: Basis::Rest,
    }
}

/// The language of a keyword: ARRET is the French one.
fn keyword_lang(keyword: &str) -> Lang {
    if keyword == "ARRET" {
        Lang::Fr
    } else {
        Lang::En
    }
}

/// What the structured reading rests on: how far the model may move it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// A keyword (required, translated, HELP, START): deterministic, never moved.
    Keyword,
    /// A stop phrase in a clause's words.
    Clause,
    /// A clause that is itself a stop request, opened by its stop phrase ("I'll be
    /// there at 3:30. Stop sending reminders."): the model does not veto it, as it
    /// does not overrule a keyword. So is a stop said after the person says they changed
    /// their mind ("never mind what I said before, I do want to opt out").
    Imperative,
    /// A take-back or a negated stop and nothing else ("I don't want to stop getting
    /// these"): the person asked to keep the texts, which the model never overrules.
    Kept,
    /// No request found, or only a doubt or a stop aimed elsewhere.
    Rest,
    /// A reaction to one of our texts and nothing more (`强调了“Rally: …”`, `Liked
    /// “…”`): the person's own words are a word or two that ask nothing, and the model,
    /// which has seen the quoted STOP line's neighbours, is not asked.
    Reaction,
}

/// The structured reading of a text, before the model is asked.
#[derive(Clone, Debug)]
pub struct Structured {
    pub reading: Reading,
    pub basis: Basis,
    /// The person's own words, normalized: what the model reads.
    pub normalized: String,
}

/// Where the model's probability moves a reading (docs/reliability.md: chosen with each
/// of five independently written sets held out of training in turn).
#[derive(Clone, Copy, Debug)]
pub struct Thresholds {
    /// A text with no request found is an opt-out at or above this (a doubt the
    /// structured reading found, "spam", keeps its one clarifying reply).
    pub stop: f32,
    /// A text with no request found gets the one clarifying reply at or above this.
    pub ask: f32,
    /// A stop found in a clause's words (never a keyword) is only unclear below this.
    pub veto: f32,
}

pub const THRESHOLDS: Thresholds = Thresholds {
    stop: 0.8,
    ask: 0.7,
    veto: 0.05,
};

/// Reads a text sent to us in reply to the texts of `product`: the structured reading,
/// then the model where the structured reading rests on no keyword.
pub fn read(body: &str, product: &str) -> Reading {
    let structured = structured(body, product);
    if structured.basis == Basis::Keyword {
        return structured.reading;
    }
    let p = if says_too_little(&structured.normalized) {
        0.0
    } else {
        super::model::probability(&structured.normalized)
    };
    combine(&structured, p, THRESHOLDS)
}

/// "R", "ok", "C": a letter or two of Latin script, which the model has too little of
/// to read (our reminders ask for "C" or "R"); what the structured reading found stands.
fn says_too_little(normalized: &str) -> bool {
    normalized.is_ascii()
        && normalized
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .count()
            < 3
}

/// The reading once the model's probability `p` is weighed in.
pub fn combine(structured: &Structured, p: f32, at: Thresholds) -> Reading {
    let Structured {
        reading: r,
        basis,
        normalized,
    } = structured;
    match (basis, r.intent) {
        (Basis::Keyword, _) => *r,
        (Basis::Clause, Intent::OptOut) if p < at.veto => reading(Intent::Unclear, r.lang),
        (Basis::Clause | Basis::Imperative, _) => *r,
        (Basis::Rest, Intent::Other) if p >= at.stop => {
            reading(Intent::OptOut, super::language::language(normalized))
        }
        (Basis::Rest, Intent::Other) if p >= at.ask => reading(Intent::Unclear, r.lang),
        (Basis::Rest | Basis::Kept | Basis::Reaction, _) => *r,
    }
}

/// The structured reading alone.
pub fn structured(body: &str, product: &str) -> Structured {
    let own = own_words(body, product);
    let normalized = normalize(&own);
    let (mut reading, mut basis) = read_own(&own);
    let quoted = own.trim() != body.trim();
    if quoted
        && basis == Basis::Rest
        && reading.intent == Intent::Other
        && normalized.split(' ').filter(|w| !w.is_empty()).count() <= 2
    {
        basis = Basis::Reaction;
    }
    reading.basis = basis;
    Structured {
        reading,
        basis,
        normalized,
    }
}

/// A polite no, which answers whatever the text is about.
const NO_THANKS: &[&str] = &[
    "no thanks",
    "no thank you",
    "nah thanks",
    "no thx",
    "no ty",
    "no thank u",
];

fn read_own(own: &str) -> (Reading, Basis) {
    let by_keyword = |r: Reading| (r, Basis::Keyword);
    let clause = |r: Reading| (r, Basis::Clause);
    let rest = |r: Reading| (r, Basis::Rest);
    let own = own.to_owned();
    let whole = squeezed(&own);
    if STRONG.contains(&whole.as_str()) || WEAK.contains(&whole.as_str()) {
        return by_keyword(reading(Intent::OptOut, keyword_lang(&whole)));
    }
    // "END END", "CANCEL STOP": nothing but required keywords.
    let words_upper: Vec<String> = text_words(&own)
        .iter()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let is_keyword = |w: &String| STRONG.contains(&w.as_str()) || WEAK.contains(&w.as_str());
    if let Some(first) = words_upper.first().filter(|_| words_upper.len() > 1) {
        if words_upper.iter().all(is_keyword) {
            return by_keyword(reading(Intent::OptOut, keyword_lang(first)));
        }
    }
    if HELP.contains(&whole.as_str()) {
        return by_keyword(reading(Intent::Help, Lang::En));
    }
    if OPT_IN.contains(&whole.as_str()) {
        return by_keyword(reading(Intent::OptIn, Lang::En));
    }
    let parts = super::lists::joined_lists(clauses(&own));
    let mut read: Vec<ClauseReading> = parts.iter().map(|c| read_clause(c)).collect();
    // What the first clause asks on its own words, before its neighbours are read.
    let first_alone = read.first().copied().unwrap_or_default();
    super::neighbours::stop_moved_onto_texts(&parts, &mut read);
    super::neighbours::keep_undone_by_not(&parts, &mut read);
    super::neighbours::stop_excepted_from_keep(&parts, &mut read);
    super::neighbours::stop_said_as_wait(&own, &parts, &mut read);
    super::neighbours::texts_then_no_thanks(&parts, &mut read);
    let changed_mind = super::neighbours::stop_after_change_of_mind(&own, &read);
    let stop = read.iter().find_map(|r| r.stop);
    // "Yeah sure, keep texting me, I love it 🙄 STOP": a keep said with a roll of the
    // eyes, beside a stop, is sarcasm.
    let sarcastic = stop.is_some()
        && (own.contains(['🙄', '😒']) || super::neighbours::stop_asked_again(&parts, &read));
    let keep = read.iter().any(|r| r.keep) && !changed_mind && !sarcastic;
    let elsewhere = read.iter().any(|r| r.elsewhere);
    let doubt = read.iter().any(|r| r.doubt);
    if let Some(lang) = super::keyword_senses::translated_keyword(&normalize(&own)) {
        return by_keyword(reading(Intent::OptOut, lang));
    }
    let words = text_words(&own);
    let first_reading = read.first().copied().unwrap_or_default();
    // The refusal itself ("No thanks") is no stop after it.
    if super::asked_back::keyword_asked_and_refused(&own, &first_alone)
        && read
            .iter()
            .zip(&parts)
            .skip(1)
            .all(|(r, c)| r.stop.is_none() || NO_THANKS.contains(&c.as_str()))
    {
        return (reading(Intent::Other, Lang::En), Basis::Kept);
    }
    // "Wrong number? I think you mean my daughter, she's the one in the study": a short
    // stop phrase asked back, and no stop after it: the one clarifying reply. Never a
    // required keyword, which stays deterministic.
    if first_keyword(&words).is_none()
        && super::asked_back::stop_asked_back(&own, &first_reading, parts.first())
        && read.iter().skip(1).all(|r| r.stop.is_none())
    {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    if let Some((keyword, taken, false)) = first_keyword(&words) {
        let first = read.first().copied().unwrap_or_default();
        let first_clause = parts.first().map(String::as_str).unwrap_or("");
        let rest: Vec<&str> = first_clause.split(' ').skip(taken).collect();
        let other_sense = first.elsewhere
            || super::keyword_senses::begins_with_other_sense(first_clause)
            || (WEAK.contains(&keyword)
                && first.stop.is_none()
                && !super::keyword_senses::only_filler(&rest));
        // "STOP이라고 답하면 어떻게 되나요?", "What does REVOKE do?": asked about.
        if super::asks_nothing::asks_what_a_keyword_does(
            &first_clause
                .split(' ')
                .map(str::to_owned)
                .collect::<Vec<_>>(),
        ) {
            return by_keyword(reading(Intent::Unclear, Lang::En));
        }
        // "Stop! I'm so excited, see you Tuesday": the one clarifying reply, never an
        // opt-out by a keyword the rest of the text shows was an exclamation.
        if super::exclamations::delighted_exclamation(
            &own,
            &parts,
            taken,
            read.iter().skip(1).any(|r| r.stop.is_some() || r.doubt),
        ) {
            return by_keyword(reading(Intent::Unclear, Lang::En));
        }
        // "Quit smoking, and now quitting these texts too": the keyword meant something
        // else, and a clause asks the stop in its own words; that clause decides.
        let keep = keep || super::neighbours::keyword_taken_back(&parts, keyword);
        let stop_in_words = other_sense && !keep && stop.is_some();
        if !stop_in_words {
            let intent = if other_sense || keep {
                Intent::Unclear
            } else {
                Intent::OptOut
            };
            let lang = first.stop.unwrap_or_else(|| keyword_lang(keyword));
            return by_keyword(reading(intent, lang));
        }
    }
    // "No thanks, I already have a ride": a polite no that answers the rest of the
    // text, not our texts; alone, or beside a stop, it still stops them.
    let polite_no = |c: &String| NO_THANKS.contains(&c.as_str());
    let only_polite_no_stops = read
        .iter()
        .zip(&parts)
        .all(|(r, c)| r.stop.is_none() || polite_no(c));
    let says_more = parts
        .iter()
        .zip(&read)
        .any(|(c, r)| !polite_no(c) && r.stop.is_none() && c.split(' ').count() >= 3);
    if stop.is_some() && only_polite_no_stops && says_more {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    // "sry wrong # meant 2 txt my sis": a text sent to us by mistake; its "wrong
    // number" is the sender's own. The one clarifying reply covers a person who meant it.
    let normalized_own = normalize(&own);
    if stop.is_some()
        && (super::neighbours::passes_it_on(&normalized_own)
            || (!read.iter().any(|r| r.stop.is_some() && r.imperative)
                && super::neighbours::sent_here_by_mistake(&normalized_own)))
    {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    // "How do I opt out if I ever need to? Not now, just asking": the one clarifying
    // reply says how.
    if stop.is_some() && super::asks_nothing::only_asking(&normalize(&own)) {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    // "Oh stop, you're too kind 😊": an exclamation of delight.
    if stop.is_some()
        && super::exclamations::interjected_exclamation(
            &own,
            &parts,
            read.iter().skip(1).any(|r| r.stop.is_some() || r.doubt),
        )
    {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    // "¡Para! No puedo creer que ya sea mañana 😂 Confirmo.": a stop word laughed off.
    let stops: Vec<bool> = read.iter().map(|r| r.stop.is_some()).collect();
    if stop.is_some() && !keep && super::exclamations::laughed_off(&own, &parts, &stops) {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    if let Some(lang) = stop {
        let imperative = changed_mind || read.iter().any(|r| r.stop.is_some() && r.imperative);
        let by_stop = |r: Reading| {
            if imperative && !keep {
                (r, Basis::Imperative)
            } else {
                clause(r)
            }
        };
        return by_stop(reading(
            if keep {
                Intent::Unclear
            } else {
                Intent::OptOut
            },
            lang,
        ));
    }
    if let Some(head) = words.first() {
        let head = head.to_ascii_uppercase();
        if HELP.contains(&head.as_str()) || head == "AYUDA" {
            return by_keyword(reading(Intent::Help, Lang::En));
        }
        if OPT_IN.contains(&head.as_str())
            && words[1..].iter().all(|w| OPT_IN_REST.contains(&w.as_str()))
        {
            return by_keyword(reading(Intent::OptIn, Lang::En));
        }
    }
    // Only emoji: a stop sign or a raised hand may mean "stop".
    if normalize(&own).is_empty() && own.contains(['🛑', '✋', '⛔', '🚫']) {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    // A stop aimed at something else, or a complaint: one reply says how to stop texts.
    if elsewhere || doubt {
        return rest(reading(Intent::Unclear, Lang::En));
    }
    if keep {
        return (reading(Intent::Other, Lang::En), Basis::Kept);
    }
    rest(reading(Intent::Other, Lang::En))
}

/// Each clause of a text's own words and how it was read, for the explain tool.
pub fn clause_readings(body: &str, product: &str) -> Vec<(String, String)> {
    let own = own_words(body, product);
    super::lists::joined_lists(clauses(&own))
        .into_iter()
        .map(|c| {
            let r = read_clause(&c);
            (c, format!("{r:?}"))
        })
        .collect()
}

/// The intent alone, for a reply to texts that name no product.
pub fn classify(body: &str) -> Intent {
    read(body, "").intent
}
