//! What a keyword at the head of a text means: a stop word in another sense at the
//! start of a clause, a translated keyword alone, a rest of nothing but filler.
use super::lexicon::{Lang, Match};
use super::matching::{compiled, is_filler_word, Phrase, View};

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
