//! A wish about the texts said with the texts as its subject, in English: "I don't want
//! these texts to end" keeps them, "I just want the texts to stop" stops them. The stop
//! word is inside the wish, so the wish, not the word, decides the clause.

/// A wish that the texts go on, in English: "I don't want these texts to end", "I'd
/// hate for the reminders to stop", "I'd hate it if they stopped". Its stop word asks
/// nothing; the clause keeps the texts. A head, then within five words an ending: one
/// with "to" after any head, a bare one ("stopped") only after an "if" head, so that "I
/// don't want these texts please stop" stays a stop.
const WISH_HEADS: &[(&str, bool)] = &[
    ("dont want", false),
    ("do not want", false),
    ("didnt want", false),
    ("did not want", false),
    ("wouldnt want", false),
    ("would not want", false),
    ("never want", false),
    ("dont wanna", false),
    ("wouldnt like", false),
    ("would not like", false),
    ("hate for", false),
    ("hate it if", true),
    ("sad if", true),
    ("upset if", true),
    ("if i ever want", false),
    ("let you know if", true),
    ("not that i want", false),
];
const ENDING_WITH_TO: &[&str] = &[
    "to stop",
    "to end",
    "to cease",
    "to go away",
    "to leave",
    "to quit",
    "to withdraw",
    "to drop out",
    "to be stopped",
    "to be removed",
    "to be cancelled",
    "to be canceled",
    "to be unsubscribed",
];
const ENDING_BARE: &[&str] = &["stop", "stopped", "stopping", "end", "ended", "ending"];

pub(super) fn wishes_they_go_on(words: &[String]) -> bool {
    let at = |i: usize, phrase: &str| phrase_at(words, i, phrase);
    (0..words.len()).any(|i| {
        WISH_HEADS.iter().any(|(head, bare)| {
            at(i, head) && {
                let from = i + head.split(' ').count();
                (from..(from + 5).min(words.len())).any(|j| {
                    ENDING_WITH_TO.iter().any(|e| at(j, e))
                        || (*bare && ENDING_BARE.contains(&words[j].as_str()))
                })
            }
        })
    })
}

/// Whether `phrase` (words joined by spaces) stands at word `i`.
fn phrase_at(words: &[String], i: usize, phrase: &str) -> bool {
    phrase
        .split(' ')
        .enumerate()
        .all(|(k, w)| words.get(i + k).is_some_and(|x| x == w))
}

/// Who wishes: the person writing ("I just want", "I'd like", "we still want").
const WISHERS: &[&str] = &["i", "id", "we", "wed", "im"];

/// Words that ask for a thing in the person's own name.
const WANTS: &[&str] = &["want", "wanna", "like", "need", "wish", "prefer"];

/// What a wanted end of the texts ends on, beside the endings with "to": "I want the
/// text messages cut off too", "I'd like them gone".
const ENDING_DONE: &[&str] = &[
    "stopped",
    "gone",
    "cut off",
    "turned off",
    "shut off",
    "ended",
];

/// "I just want the texts to stop", "honestly I'd like these reminders gone", "I still
/// want these texts to stop": the person wants the end of the texts. Not after "if"
/// ("if you want the reminders to stop, reply STOP" is our own line), and not when the
/// wish is one to go on ([`wishes_they_go_on`]).
pub(super) fn wants_them_stopped(words: &[String]) -> bool {
    let at = |i: usize, phrase: &str| phrase_at(words, i, phrase);
    if words.iter().any(|w| w == "if") || wishes_they_go_on(words) {
        return false;
    }
    (0..words.len()).any(|i| {
        WANTS.contains(&words[i].as_str())
            && words[i.saturating_sub(3)..i]
                .iter()
                .any(|w| WISHERS.contains(&w.as_str()))
            // Someone or something between the wish and its end: "I need to stop
            // eating" is the person's own stop, not the texts'.
            && (i + 2..(i + 7).min(words.len())).any(|j| {
                ENDING_WITH_TO.iter().any(|e| at(j, e)) || ENDING_DONE.iter().any(|e| at(j, e))
            })
    })
}

/// What the texts are said not to be: "Texts aren't ok with me anymore".
const WELCOME: &[&str] = &["ok", "okay", "fine", "good", "welcome", "wanted", "needed"];

/// "Texts aren't ok with me anymore", "these messages are not welcome": the texts (at a
/// position in `texts_at`) said not to be welcome, within a few words.
pub(super) fn texts_not_welcome(words: &[String], texts_at: &[usize]) -> bool {
    if words.first().is_some_and(|w| ASKING.contains(&w.as_str())) {
        return false;
    }
    // "I'm not okay with getting texts": not welcome, then the texts within a few words.
    let not_ok_with = (0..words.len()).any(|n| {
        matches!(words[n].as_str(), "not" | "arent" | "isnt")
            && words
                .get(n + 1)
                .is_some_and(|w| WELCOME.contains(&w.as_str()))
            && words.get(n + 2).is_some_and(|w| w == "with")
            && texts_at.iter().any(|&t| t > n + 2 && t <= n + 5)
    });
    not_ok_with
        || texts_at.iter().any(|&t| {
            (t + 1..(t + 4).min(words.len())).any(|n| {
                matches!(words[n].as_str(), "arent" | "isnt" | "not")
                    && words
                        .get(n + 1)
                        .is_some_and(|w| WELCOME.contains(&w.as_str()))
            })
        })
}

/// A no after the texts: "SMS no", "mas mensagem de texto não", "а вот смски не надо".
const NO_AFTER: &[&[&str]] = &[
    &["no"],
    &["nao"],
    &["non"],
    &["нет"],
    &["не", "надо"],
    &["не", "нужно"],
    &["hindi"],
    &["khong"],
];

/// Words around a no that add nothing: "but", "please", "thanks".
const AROUND_A_NO: &[&str] = &[
    "but", "mas", "pero", "mais", "а", "вот", "just", "please", "pls", "por", "favor", "thanks",
    "merci", "obrigado", "obrigada", "gracias", "po",
];

/// "SMS no, email yes", "Podem me ligar, mas mensagem de texto não": the texts (at a
/// position in `texts_at`), then a no, and nothing else but "but" and "please".
pub(super) fn texts_answered_no(words: &[String], texts_at: &[usize]) -> bool {
    let content: Vec<usize> = (0..words.len())
        .filter(|&i| !words[i].is_empty() && !AROUND_A_NO.contains(&words[i].as_str()))
        .collect();
    NO_AFTER.iter().any(|no| {
        content.len() > no.len()
            && content.len() <= no.len() + 4
            && content[content.len() - no.len()..]
                .iter()
                .zip(no.iter())
                .all(|(&i, w)| words[i] == *w)
            && content[..content.len() - no.len()]
                .iter()
                .any(|i| texts_at.contains(i))
    })
}

/// How a text says something must happen: "the texts need to stop".
const MUST: &[&str] = &[
    "need", "needs", "must", "have", "has", "should", "gotta", "got",
];

/// Words that open a question rather than a statement.
const ASKING: &[&str] = &[
    "do", "does", "will", "would", "should", "can", "could", "if", "when", "why", "how",
];

/// "Texts to this number need to stop", "these reminders have got to end": the texts
/// (named at a position in `texts_at`) as the subject of a must and a stop. Not asked
/// ("Do the texts need to stop after the visit?").
pub(super) fn texts_must_stop(words: &[String], texts_at: &[usize]) -> bool {
    if words.first().is_some_and(|w| ASKING.contains(&w.as_str())) {
        return false;
    }
    texts_at.iter().any(|&t| {
        (t + 1..(t + 5).min(words.len())).any(|m| {
            MUST.contains(&words[m].as_str())
                && (m + 1..(m + 3).min(words.len())).any(|j| {
                    ENDING_WITH_TO.iter().any(|e| phrase_at(words, j, e))
                        || ENDING_BARE.contains(&words[j].as_str())
                })
        })
    })
}
