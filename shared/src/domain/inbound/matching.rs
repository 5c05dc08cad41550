//! How the lexicons are matched against a clause: each phrase compiled once, a clause
//! seen as words and as characters, blanks where a stop word has another sense, and the
//! filler test. What a match means is read in `super::clause`.
use std::sync::OnceLock;

use super::lexicon::{self, Lexicon, Match};

/// A phrase ready to match: its words, or its characters without spaces.
pub(super) struct Phrase {
    pub(super) words: Vec<String>,
    pub(super) chars: String,
    /// `chars` as characters, to compare with a clause's.
    pub(super) needle: Vec<char>,
}

impl Phrase {
    pub(super) fn new(text: &str) -> Self {
        let chars = text.replace(' ', "");
        Phrase {
            words: text.split(' ').map(str::to_owned).collect(),
            needle: chars.chars().collect(),
            chars,
        }
    }
}

pub(super) struct Compiled {
    pub(super) lexicon: &'static Lexicon,
    pub(super) stop: Vec<Phrase>,
    pub(super) bare: Vec<Phrase>,
    pub(super) aimed: Vec<Phrase>,
    pub(super) keep: Vec<Phrase>,
    pub(super) doubt: Vec<Phrase>,
    pub(super) onward: Vec<Phrase>,
    pub(super) negations: Vec<Phrase>,
    pub(super) sms: Vec<Phrase>,
    pub(super) general: Vec<Phrase>,
    pub(super) other: Vec<Phrase>,
    pub(super) false_friends: Vec<Phrase>,
    pub(super) filler: Vec<Phrase>,
}

pub(super) fn compiled() -> &'static [Compiled] {
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

/// A blanked-out span: matches nothing and is not filler.
pub(super) const BLANK: &str = "\u{25A1}";

/// A clause in the two forms the lexicons match: its words, and its characters with
/// the spaces taken out.
pub(super) struct View {
    pub(super) words: Vec<String>,
    pub(super) chars: Vec<char>,
}

/// Where a phrase matched: word positions, or character positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: usize,
    pub(super) end: usize,
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
    pub(super) fn new(clause: &str) -> Self {
        let words: Vec<String> = clause
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let chars = words.concat().chars().collect();
        View { words, chars }
    }

    pub(super) fn find(&self, phrase: &Phrase, matching: Match) -> Vec<Span> {
        self.find_in(phrase, matching, false)
    }

    /// Like `find`, forgiving a slip in each word when `slips`.
    pub(super) fn find_in(&self, phrase: &Phrase, matching: Match, slips: bool) -> Vec<Span> {
        self.spans(phrase, matching, slips).collect()
    }

    /// Every place the phrase matches, lazily.
    pub(super) fn spans<'a>(
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

    pub(super) fn any(&self, phrases: &[Phrase], matching: Match) -> bool {
        phrases
            .iter()
            .any(|p| self.spans(p, matching, false).next().is_some())
    }

    /// Blanks out every match of the phrases (uses of a stop word in another sense).
    pub(super) fn blank(&mut self, phrases: &[Phrase], matching: Match) {
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
    pub(super) fn alone(&self, span: Span, matching: Match) -> bool {
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

pub(super) fn is_filler_word(word: &str) -> bool {
    let index = filler_index();
    index.exact.contains(word) || index.stems.iter().any(|s| word.starts_with(s.as_str()))
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
