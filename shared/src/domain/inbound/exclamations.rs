//! A stop word said as an exclamation, not as a request: the rest of the text says what
//! it meant.
//!
//! - A keyword that opens a text of delight ("Stop! I'm so excited, see you Tuesday",
//!   "Stop it, you're too kind 😂"), with no anger and nothing aimed at the texts.
//! - A stop word alone as a clause, in any language, in a text that laughs ("¡Para! No
//!   puedo creer que ya sea mañana 😂 Confirmo.", "Arrête, j'avais complètement oublié
//!   😅"), with no anger and no stop in words.
//!
//! Both get the one clarifying reply, never an opt-out: a person who meant it replies
//! STOP.

/// What a delighted "Stop!" is followed by.
const DELIGHT: &[&str] = &[
    "so excited",
    "im excited",
    "cant wait",
    "see you",
    "see ya",
    "so happy",
    "amazing",
    "too kind",
    "too sweet",
    "so sweet",
    "so nice",
    "killing me",
    "lol",
    "haha",
    "hahaha",
    "lmao",
    "omg",
    "no way",
    "just about to",
    "on my way",
    "no rush",
    "youre fine",
    "great news",
    "love it",
    "love you",
    "too nice",
    "yes confirmed",
    "anyway confirmed",
    "ill be there",
    "too good",
    "too generous",
    "so kind",
    "so generous",
    "so thoughtful",
    "youre the best",
    "ur the best",
    "you are the best",
    "youre awesome",
    "so cute",
];

/// Words that make a "see you" a threat ("STOP. See you in court.").
const ANGER: &[&str] = &[
    "court",
    "lawyer",
    "attorney",
    "sue",
    "suing",
    "report",
    "reporting",
    "fcc",
    "complaint",
    "never",
    "harassment",
    "police",
];

/// Emoji of laughter and affection.
const DELIGHT_EMOJI: &[char] = &['😂', '🤣', '😄', '😆', '😅', '😍', '🥰', '❤', '😊', '🥳'];

/// Words that would aim the keyword at the texts ("stop texting me lol").
const AT_THE_TEXTS: &[&str] = &[
    "text", "txt", "messag", "msg", "sms", "remind", "send", "contact",
];

/// "Stop! I'm so excited for this, see you Tuesday", "stop it you're too kind 😂": the
/// keyword opens the text (`clauses[0]`'s first `taken` words), what follows it in its
/// clause aims it at nothing, the text shows delight and no anger, and no later
/// clause asks a stop (`later_stops`).
pub fn delighted_exclamation(
    own: &str,
    clauses: &[String],
    taken: usize,
    later_stops: bool,
) -> bool {
    let Some(first) = clauses.first() else {
        return false;
    };
    let after: Vec<&str> = first.split(' ').skip(taken).collect();
    let aimed = after
        .iter()
        .any(|w| AT_THE_TEXTS.iter().any(|t| w.starts_with(t)));
    let text = format!(" {} ", clauses.join(" "));
    !aimed
        && !later_stops
        && !shows_anger(clauses)
        && (DELIGHT.iter().any(|d| text.contains(&format!(" {d} "))) || own.contains(DELIGHT_EMOJI))
}

/// Sounds that open an exclamation: "Oh stop, you're too kind".
const INTERJECTIONS: &[&str] = &["oh", "aw", "aww", "awww", "omg", "ah", "ahh", "lol", "haha"];

/// "Oh stop, you're too kind 😊": a stop word after an interjection, and the text
/// delighted as in [`delighted_exclamation`].
pub fn interjected_exclamation(own: &str, clauses: &[String], later_stops: bool) -> bool {
    let Some(first) = clauses.first() else {
        return false;
    };
    let words: Vec<&str> = first.split(' ').collect();
    words.len() == 2
        && INTERJECTIONS.contains(&words[0])
        && matches!(words[1], "stop" | "stahp" | "quit" | "enough")
        && delighted_exclamation(own, clauses, 2, later_stops)
}

/// Emoji of laughter: a stop word beside them is an exclamation.
const LAUGHTER: &[char] = &['😂', '🤣', '😅', '😆', '😄'];

fn shows_anger(clauses: &[String]) -> bool {
    let text = format!(" {} ", clauses.join(" "));
    ANGER.iter().any(|a| text.contains(&format!(" {a} ")))
}

/// "¡Para! No puedo creer que ya sea mañana 😂": the text laughs, shows no anger, and
/// each clause that asks a stop (`stops`) is the stop word alone.
pub fn laughed_off(own: &str, clauses: &[String], stops: &[bool]) -> bool {
    own.contains(LAUGHTER)
        && !shows_anger(clauses)
        && clauses.len() > 1
        && clauses
            .iter()
            .zip(stops)
            .all(|(c, &stop)| !stop || c.split(' ').filter(|w| !w.is_empty()).count() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(t: &str) -> Vec<String> {
        t.split(',').map(|c| c.trim().to_owned()).collect()
    }

    #[test]
    fn delight_after_a_keyword() {
        let delighted = |t: &str, later| delighted_exclamation(t, &clauses(t), 1, later);
        assert!(delighted(
            "stop, im so excited for this, see you tuesday",
            false
        ));
        assert!(delighted("stop it youre too kind 😂", false));
        assert!(!delighted("stop, see you never, stop texting", true));
        assert!(!delighted("stop, i mean it", false));
        assert!(!delighted("stop texting me lol", false));
        assert!(!delighted("stop, see you in court", false));
    }

    #[test]
    fn a_lone_stop_word_laughed_off() {
        let laughed = |t: &str, stops: &[bool]| laughed_off(t, &clauses(t), stops);
        assert!(laughed(
            "para, no puedo creer 😂, confirmo",
            &[true, false, false]
        ));
        assert!(!laughed(
            "para, no puedo creer, confirmo",
            &[true, false, false]
        ));
        assert!(!laughed("stop texting me 😂, please", &[true, false]));
        assert!(!laughed("stop, see you in court 😂", &[true, false]));
        assert!(!laughed("stop 😂", &[true]));
    }
}
