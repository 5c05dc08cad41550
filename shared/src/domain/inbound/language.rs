//! The language a text is written in, for the confirmation of an opt-out that no
//! lexicon phrase named (the model's, [`super::model`]): the script where it tells
//! (Chinese, Korean, Arabic, Russian), else the Latin-script lexicon whose words the
//! text uses most, English on a tie.
use std::collections::BTreeSet;

use super::lexicon::{Lang, Match, ALL};

/// The language of a normalized text.
pub fn language(normalized: &str) -> Lang {
    let mut letters = [0usize; 4];
    for c in normalized.chars() {
        let slot = match c {
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => 0,
            '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' => 1,
            '\u{0600}'..='\u{06FF}' => 2,
            '\u{0400}'..='\u{04FF}' => 3,
            _ => continue,
        };
        letters[slot] += 1;
    }
    if let Some((slot, _)) = letters
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .max_by_key(|(_, n)| **n)
    {
        return [Lang::Zh, Lang::Ko, Lang::Ar, Lang::Ru][slot];
    }
    let words: BTreeSet<&str> = normalized.split(' ').collect();
    let mut best = (0usize, Lang::En);
    for lexicon in ALL.iter().filter(|l| l.matching == Match::Words) {
        if matches!(lexicon.lang, Lang::Ru | Lang::Ar) {
            continue;
        }
        let known: BTreeSet<&str> = [
            lexicon.stop,
            lexicon.bare,
            lexicon.aimed,
            lexicon.keep,
            lexicon.doubt,
            lexicon.onward,
            lexicon.negations,
            lexicon.sms,
            lexicon.general,
            lexicon.other,
            lexicon.filler,
        ]
        .iter()
        .flat_map(|list| list.iter())
        .flat_map(|phrase| phrase.split(' '))
        .map(|w| w.trim_end_matches('*'))
        .filter(|w| w.len() > 1)
        .collect();
        let hits = words.iter().filter(|w| known.contains(*w)).count();
        if hits > best.0 {
            best = (hits, lexicon.lang);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_latin_lexicons_name_the_language() {
        assert_eq!(language("请不要再给我发了"), Lang::Zh);
        assert_eq!(language("이제 그만 보내 주세요"), Lang::Ko);
        assert_eq!(language("больше не пишите мне"), Lang::Ru);
        assert_eq!(language("ya no quiero recibir mensajes"), Lang::Es);
        assert_eq!(language("please leave me alone"), Lang::En);
    }
}
