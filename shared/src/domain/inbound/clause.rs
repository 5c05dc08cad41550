//! One clause read for its structure: the requests in it (stop, keep, take back), what
//! each is aimed at (the texts, contact in general, or another channel or thing), and
//! whether a negation undoes it.
use std::sync::OnceLock;

use super::lexicon::{self, Lang, Lexicon, Match};

/// What a clause asks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClauseReading {
    /// A request to stop the texts, and the language it was made in.
    pub stop: Option<Lang>,
    /// Asks to keep the texts, or takes a stop back (a negated stop counts).
    pub keep: bool,
    /// A stop aimed at something else (email, calls, the appointment).
    pub elsewhere: bool,
    /// May be a revocation, is not clearly one ("spam", "why are you texting me").
    pub doubt: bool,
}

/// A phrase ready to match: its words, or its characters without spaces.
struct Phrase {
    words: Vec<String>,
    chars: String,
    /// `chars` as characters, to compare with a clause's.
    needle: Vec<char>,
}

impl Phrase {
    fn new(text: &str) -> Self {
        let chars = text.replace(' ', "");
        Phrase {
            words: text.split(' ').map(str::to_owned).collect(),
            needle: chars.chars().collect(),
            chars,
        }
    }
}

struct Compiled {
    lexicon: &'static Lexicon,
    stop: Vec<Phrase>,
    bare: Vec<Phrase>,
    aimed: Vec<Phrase>,
    keep: Vec<Phrase>,
    doubt: Vec<Phrase>,
    onward: Vec<Phrase>,
    negations: Vec<Phrase>,
    sms: Vec<Phrase>,
    general: Vec<Phrase>,
    other: Vec<Phrase>,
    false_friends: Vec<Phrase>,
    filler: Vec<Phrase>,
}

fn compiled() -> &'static [Compiled] {
    static COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let list = |items: &[&str]| items.iter().map(|p| Phrase::new(p)).collect::<Vec<_>>();
        lexicon::ALL
            .iter()
            .map(|l| Compiled {
                lexicon: l,
                stop: list(l.stop),
                bare: list(l.bare),
                aimed: list(l.aimed),
                keep: list(l.keep),
                doubt: list(l.doubt),
                onward: list(l.onward),
                negations: list(l.negations),
                sms: list(l.sms),
                general: list(l.general),
                other: list(l.other),
                false_friends: list(l.false_friends),
                filler: list(l.filler),
            })
            .collect()
    })
}

/// Another phone than the one we text: a request about it is not about these texts.
const ANOTHER_PHONE: &[&str] = &[
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

/// A blanked-out span: matches nothing and is not filler.
const BLANK: &str = "\u{25A1}";

/// A clause in the two forms the lexicons match: its words, and its characters with
/// the spaces taken out.
struct View {
    words: Vec<String>,
    chars: Vec<char>,
}

/// Where a phrase matched: word positions, or character positions.
#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
}

/// How "stop" gets typed: one slip, but none of them a real word.
const STOP_SLIPS: &[&str] = &[
    "stip", "stpo", "sotp", "stopp", "stoop", "stp", "srop", "atop",
];

fn word_matches(pattern: &str, word: &str) -> bool {
    if let Some(stem) = pattern.strip_suffix('*') {
        return word.starts_with(stem);
    }
    pattern == word
}

/// Also a slip of the English words, the language most typed in a hurry: one slip
/// in a long word ("unsubcribe", "remvoe", "mesages"), and "stop" mistyped.
/// Other languages match exactly: a slip of one language's word is often another's
/// ("stoppez", "stopped").
fn slip_matches(pattern: &str, word: &str) -> bool {
    if word_matches(pattern, word) {
        return true;
    }
    if pattern == "stop" && STOP_SLIPS[..7].contains(&word) {
        return true;
    }
    // One slip in a long word ("unsubcribe", "remvoe", "mesages"): the same word.
    // An ending added ("removed", "stops") is another word, not a slip.
    let long = pattern.len() >= 6 && word.len() >= 5;
    long && pattern.is_ascii()
        && word.is_ascii()
        && !word.starts_with(pattern)
        && one_slip(pattern.as_bytes(), word.as_bytes())
}

/// Whether two ASCII words are one insertion, deletion, substitution or swap of
/// neighbours apart (what `typo_distance` ≤ 1 says, without allocating).
fn one_slip(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let same_start = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let rest = |from: usize| short[from..] == long[from..];
        same_start == short.len()
            || rest(same_start + 1)
            || (same_start + 1 < short.len()
                && short[same_start] == long[same_start + 1]
                && short[same_start + 1] == long[same_start]
                && rest(same_start + 2))
    } else {
        short[same_start..] == long[same_start + 1..]
    }
}

impl View {
    fn new(clause: &str) -> Self {
        let words: Vec<String> = clause
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let chars = words.concat().chars().collect();
        View { words, chars }
    }

    fn find(&self, phrase: &Phrase, matching: Match) -> Vec<Span> {
        self.find_in(phrase, matching, false)
    }

    /// Like `find`, forgiving a slip in each word when `slips`.
    fn find_in(&self, phrase: &Phrase, matching: Match, slips: bool) -> Vec<Span> {
        self.spans(phrase, matching, slips).collect()
    }

    /// Every place the phrase matches, lazily.
    fn spans<'a>(
        &'a self,
        phrase: &'a Phrase,
        matching: Match,
        slips: bool,
    ) -> Box<dyn Iterator<Item = Span> + 'a> {
        let matches = if slips { slip_matches } else { word_matches };
        match matching {
            Match::Words => {
                let n = phrase.words.len();
                if n == 0 || n > self.words.len() {
                    return Box::new(std::iter::empty());
                }
                Box::new(
                    (0..=self.words.len() - n)
                        .filter(move |&i| {
                            phrase
                                .words
                                .iter()
                                .zip(&self.words[i..i + n])
                                .all(|(p, w)| matches(p, w))
                        })
                        .map(move |i| Span {
                            start: i,
                            end: i + n,
                        }),
                )
            }
            Match::Chars => {
                let n = phrase.needle.len();
                if n == 0 || n > self.chars.len() {
                    return Box::new(std::iter::empty());
                }
                Box::new(
                    (0..=self.chars.len() - n)
                        .filter(move |&i| self.chars[i..i + n] == phrase.needle[..])
                        .map(move |i| Span {
                            start: i,
                            end: i + n,
                        }),
                )
            }
        }
    }

    fn any(&self, phrases: &[Phrase], matching: Match) -> bool {
        phrases
            .iter()
            .any(|p| self.spans(p, matching, false).next().is_some())
    }

    /// Blanks out every match of the phrases (uses of a stop word in another sense).
    fn blank(&mut self, phrases: &[Phrase], matching: Match) {
        for phrase in phrases {
            for span in self.find(phrase, matching) {
                match matching {
                    Match::Words => {
                        for w in &mut self.words[span.start..span.end] {
                            *w = BLANK.to_owned();
                        }
                    }
                    Match::Chars => {
                        for c in &mut self.chars[span.start..span.end] {
                            *c = '\u{25A1}';
                        }
                    }
                }
            }
        }
    }

    /// Whether everything but `span` is filler or names the messages.
    fn alone(&self, span: Span, matching: Match) -> bool {
        match matching {
            Match::Words => self
                .words
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < span.start || *i >= span.end)
                .all(|(_, w)| is_filler_word(w)),
            Match::Chars => {
                let mut rest: Vec<char> = self.chars.clone();
                for c in &mut rest[span.start..span.end] {
                    *c = ' ';
                }
                let rest: String = rest.into_iter().collect();
                let mut left = rest;
                for c in compiled()
                    .iter()
                    .filter(|c| c.lexicon.matching == Match::Chars)
                {
                    for p in c.filler.iter().chain(&c.sms).chain(&c.general) {
                        left = left.replace(&p.chars, " ");
                    }
                }
                // What is left must be nothing, or Latin filler words ("请stop please").
                left.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .all(is_filler_word)
            }
        }
    }
}

/// Filler, or a word naming the messages, in any language written in words: whole
/// words in a set, `*` stems in a list.
struct FillerIndex {
    exact: std::collections::HashSet<String>,
    stems: Vec<String>,
}

fn filler_index() -> &'static FillerIndex {
    static INDEX: OnceLock<FillerIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = FillerIndex {
            exact: Default::default(),
            stems: Vec::new(),
        };
        for c in compiled()
            .iter()
            .filter(|c| c.lexicon.matching == Match::Words)
        {
            for p in c.filler.iter().chain(&c.sms).chain(&c.general) {
                if let [word] = &p.words[..] {
                    match word.strip_suffix('*') {
                        Some(stem) => index.stems.push(stem.to_owned()),
                        None => {
                            index.exact.insert(word.clone());
                        }
                    }
                }
            }
        }
        index
    })
}

fn is_filler_word(word: &str) -> bool {
    let index = filler_index();
    index.exact.contains(word) || index.stems.iter().any(|s| word.starts_with(s.as_str()))
}

/// Whether a negation of the same language ends just before `span` (at most one word,
/// or two characters, between): "don't stop", "don't ever unsubscribe me", "不要停止".
/// A negation that opens a request of its own ("not interested", "don't text me") is
/// that request, not a negation of the next one.
fn negated(view: &View, c: &Compiled, span: Span) -> bool {
    let matching = c.lexicon.matching;
    let reach = match matching {
        Match::Words => 1,
        Match::Chars => 2,
    };
    let opens_a_request = |at: usize| {
        c.stop
            .iter()
            .any(|p| view.find(p, matching).iter().any(|s| s.start == at))
    };
    c.negations.iter().any(|n| {
        view.find(n, matching).iter().any(|s| {
            s.end <= span.start && span.start - s.end <= reach && !opens_a_request(s.start)
        })
    })
}

/// The speaker describing themselves ("I don't text anymore"), not asking.
const SPEAKER: &[&str] = &["i", "we", "im", "ive", "yo", "eu", "je", "я"];

/// "I'd appreciate it if you didn't text me anymore", "could you not send me any more of
/// these", "is it possible to not get any further texts": a negation, a word of
/// sending within four words after it, and a word that carries it onward after the
/// negation.
fn asks_onward(view: &View, c: &Compiled, sending: &[usize]) -> bool {
    c.negations.iter().any(|n| {
        view.spans(n, Match::Words, false).any(|neg| {
            let by_speaker = neg.start > 0 && SPEAKER.contains(&view.words[neg.start - 1].as_str());
            let sent = sending.iter().any(|&at| at >= neg.end && at <= neg.end + 3);
            !by_speaker
                && sent
                && c.onward.iter().any(|o| {
                    view.spans(o, Match::Words, false)
                        .any(|s| s.start >= neg.end)
                })
        })
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    Stop,
    Bare,
    Aimed,
}

/// Reads one normalized clause.
pub fn read_clause(clause: &str) -> ClauseReading {
    let mut view = View::new(clause);
    let mut reading = ClauseReading::default();
    // Take-backs are read before anything is blanked: "I sent stop by mistake".
    for c in compiled() {
        if view.any(&c.keep, c.lexicon.matching) {
            reading.keep = true;
        }
        if view.any(&c.doubt, c.lexicon.matching) {
            reading.doubt = true;
        }
    }
    // Words first, then the character view is rebuilt from them and blanked in turn,
    // so neither undoes the other's blanks.
    for c in compiled()
        .iter()
        .filter(|c| c.lexicon.matching == Match::Words)
    {
        view.blank(&c.false_friends, Match::Words);
    }
    view.chars = view.words.concat().chars().collect();
    for c in compiled()
        .iter()
        .filter(|c| c.lexicon.matching == Match::Chars)
    {
        view.blank(&c.false_friends, Match::Chars);
    }
    // Where each kind of object is named: word or character positions.
    let named = |list: fn(&Compiled) -> &Vec<Phrase>| -> Vec<(Match, usize)> {
        compiled()
            .iter()
            .flat_map(|c| {
                list(c)
                    .iter()
                    .flat_map(|p| view.find(p, c.lexicon.matching))
                    .map(|s| (c.lexicon.matching, s.start))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // "the 2pm reminder", "the second text": one text, not the texts.
    let one_text = |at: &usize| {
        *at > 0 && {
            let before = view.words.get(at - 1).map(String::as_str).unwrap_or("");
            before.starts_with(|c: char| c.is_ascii_digit())
                || [
                    "first", "second", "next", "other", "extra", "morning", "evening", "1st",
                    "2nd", "3rd",
                ]
                .contains(&before)
        }
    };
    let sms_at: Vec<(Match, usize)> = named(|c| &c.sms)
        .into_iter()
        .filter(|(m, at)| *m == Match::Chars || !one_text(at))
        .collect();
    let one_text_named = named(|c| &c.sms)
        .iter()
        .any(|(m, at)| *m == Match::Words && one_text(at));
    let general_at = named(|c| &c.general);
    // "don't text my work number": a request about another phone, not these texts.
    let another_phone = ANOTHER_PHONE
        .iter()
        .any(|p| !view.find(&Phrase::new(p), Match::Words).is_empty());
    let sms = !sms_at.is_empty() && !another_phone;
    let other = one_text_named || another_phone || !named(|c| &c.other).is_empty();
    // What a verb is aimed at follows it in languages written in words ("cancel the
    // texts", not "text to cancel"); in the others it may come first ("文字 보내지 마").
    let aimed_at = |at: &[(Match, usize)], matching: Match, span: Span| {
        at.iter()
            .any(|(m, start)| *m == matching && (matching == Match::Chars || *start >= span.start))
            || at.iter().any(|(m, _)| *m != matching)
    };
    // A request is aimed at the texts unless the clause names another channel or
    // thing and no text ("no calls please", "unsubscribe me from the newsletter").
    let at_texts = sms || !other;
    let mut negated_stop = false;
    for c in compiled() {
        let matching = c.lexicon.matching;
        for (cue, phrases) in [
            (Cue::Stop, &c.stop),
            (Cue::Bare, &c.bare),
            (Cue::Aimed, &c.aimed),
        ] {
            for phrase in phrases {
                for span in view.find_in(phrase, matching, c.lexicon.lang == Lang::En) {
                    let asks = match cue {
                        Cue::Stop => at_texts,
                        Cue::Bare => {
                            at_texts
                                && (aimed_at(&sms_at, matching, span)
                                    || aimed_at(&general_at, matching, span)
                                    || view.alone(span, matching))
                        }
                        Cue::Aimed => {
                            at_texts
                                && (aimed_at(&sms_at, matching, span)
                                    || aimed_at(&general_at, matching, span))
                        }
                    };
                    if !asks {
                        if !at_texts {
                            reading.elsewhere = true;
                        }
                        continue;
                    }
                    if negated(&view, c, span) {
                        negated_stop = true;
                    } else if reading.stop.is_none() {
                        reading.stop = Some(c.lexicon.lang);
                    }
                }
            }
        }
    }
    if reading.stop.is_none() && !negated_stop && at_texts {
        let sending: Vec<usize> = sms_at
            .iter()
            .chain(&general_at)
            .filter(|(m, _)| *m == Match::Words)
            .map(|(_, at)| *at)
            .collect();
        reading.stop = compiled()
            .iter()
            .filter(|c| c.lexicon.matching == Match::Words)
            .find(|c| asks_onward(&view, c, &sending))
            .map(|c| c.lexicon.lang);
    }
    // "I don't want to stop getting texts": the negated request decides the clause.
    if negated_stop {
        reading.keep = true;
        reading.stop = None;
    }
    reading
}

/// Whether the clause begins with a stop word used in another sense ("stop by the
/// lab", "end of the hall").
pub fn begins_with_other_sense(clause: &str) -> bool {
    let view = View::new(clause);
    compiled().iter().any(|c| {
        c.false_friends.iter().any(|p| {
            view.find(p, c.lexicon.matching)
                .iter()
                .any(|s| s.start == 0)
        })
    })
}

/// The language of a text that is one stop word and nothing else ("Cancelar",
/// "Tumigil", "停止"): as a required keyword alone is an opt-out in English, its
/// translation alone is one in the language it is written in.
pub fn translated_keyword(text: &str) -> Option<Lang> {
    if text.is_empty() {
        return None;
    }
    let spaceless = text.replace(' ', "");
    compiled().iter().find_map(|c| {
        let whole = |p: &Phrase| match c.lexicon.matching {
            Match::Words => p.words.len() == 1 && p.words[0] == text,
            Match::Chars => p.chars == spaceless,
        };
        c.bare
            .iter()
            .chain(&c.aimed)
            .any(whole)
            .then_some(c.lexicon.lang)
    })
}

/// Whether every word is filler or names the messages.
pub fn only_filler(words: &[&str]) -> bool {
    words
        .iter()
        .filter(|w| !w.is_empty())
        .all(|w| is_filler_word(w))
}

#[cfg(test)]
mod tests {
    use super::one_slip;
    use crate::domain::inbound::text::typo_distance;

    #[test]
    fn one_slip_agrees_with_the_full_distance() {
        let words = [
            "unsubscribe",
            "unsubcribe",
            "unsubscirbe",
            "unsubscribed",
            "remove",
            "remvoe",
            "remove",
            "removes",
            "mesages",
            "messages",
            "messagse",
            "texting",
            "textign",
            "tetxing",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    one_slip(a.as_bytes(), b.as_bytes()),
                    typo_distance(a, b, 1) <= 1,
                    "{a} {b}"
                );
            }
        }
    }
}
