//! A list that follows "everything" or "all" ("Please stop everything, calls, texts and
//! emails"): its clauses are the object of the clause before them.
use super::lexicon::{Lang, Match};
use super::matching::{compiled, View};

/// Words that join the things of a list.
const LIST_JOINS: &[&str] = &[
    "and", "the", "these", "those", "my", "your", "all", "or", "any",
];

/// Words that join two requests or things of one list, in the languages written in
/// words: "participate or be contacted", "не звоните и не пишите".
const COORDINATORS: &[&str] = &[
    "and", "or", "nor", "y", "o", "ni", "e", "ou", "nem", "et", "at", "и", "или", "ни", "va",
    "hoac", "oswa", "ak",
];

/// Whether `word` joins two members of a list.
pub fn is_coordinator(word: &str) -> bool {
    COORDINATORS.contains(&word)
}

/// Whether a coordinating word stands among `words`: what comes after it is a member
/// of a list of its own, not a modifier of what comes before ("email list").
pub fn coordinated(words: &[String]) -> bool {
    words.iter().any(|w| is_coordinator(w))
}

/// "calls", "texts and emails", "the interview and these messages": a clause that only
/// names things (objects of the texts, contact, other channels), in a language written
/// in words.
fn names_only_things(clause: &str) -> bool {
    let view = View::new(clause);
    let mut named = vec![false; view.words.len()];
    for c in compiled()
        .iter()
        .filter(|c| c.lexicon.matching == Match::Words)
    {
        for phrase in c.sms.iter().chain(&c.general).chain(&c.other) {
            for span in view.find(phrase, Match::Words) {
                named[span.start..span.end]
                    .iter_mut()
                    .for_each(|n| *n = true);
            }
        }
    }
    named.contains(&true)
        && view
            .words
            .iter()
            .zip(&named)
            .all(|(w, &n)| n || LIST_JOINS.contains(&w.as_str()))
}

/// "Please stop everything, calls, texts and emails", "Please stop emails, calls and
/// texts": a clause that ends in "everything", "all" or a thing takes the lists that
/// follow it as its object, so that what it stops is read from them.
pub fn joined_lists(parts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    // Open after "everything" or "all" (every list joins), or after a thing (only a
    // list with a joining word of its own: "calls and texts", not "СМС — норм").
    let mut open = (false, false);
    for part in parts {
        let joins = match open {
            (true, _) => names_only_things(&part),
            (false, true) => names_only_things(&part) && part.split(' ').any(is_coordinator),
            _ => false,
        };
        match out.last_mut() {
            Some(last) if joins => {
                last.push(' ');
                last.push_str(&part);
            }
            _ => {
                let last = part.rsplit(' ').next().unwrap_or("");
                open = (
                    matches!(last, "everything" | "all"),
                    part.contains(' ') && names_only_things(last),
                );
                out.push(part);
            }
        }
    }
    out
}

/// What opens a clause that narrows a request to one thing: "just the texts".
pub(super) const ONLY: &[&str] = &[
    "just",
    "only",
    "but",
    "solo",
    "solamente",
    "apenas",
    "so",
    "seulement",
    "juste",
];

/// "just the texts", "solo los mensajes": a clause of "just" or "only" and the texts
/// alone, and the language of the words naming them.
pub fn only_the_texts(clause: &str) -> Option<Lang> {
    let (first, rest) = clause.split_once(' ')?;
    if !ONLY.contains(&first) {
        return None;
    }
    names_only_the_texts(rest)
}

/// "the texts", "teks", "los mensajes": a clause that names the texts and nothing
/// else, and the language of the words naming them.
pub fn names_only_the_texts(clause: &str) -> Option<Lang> {
    let view = View::new(clause);
    let mut named = vec![false; view.words.len()];
    let mut lang = None;
    for c in compiled()
        .iter()
        .filter(|c| c.lexicon.matching == Match::Words)
    {
        for span in c.sms.iter().flat_map(|p| view.find(p, Match::Words)) {
            named[span.start..span.end]
                .iter_mut()
                .for_each(|n| *n = true);
            lang.get_or_insert(c.lexicon.lang);
        }
    }
    let all_named = view
        .words
        .iter()
        .zip(&named)
        .all(|(w, &n)| n || LIST_JOINS.contains(&w.as_str()));
    lang.filter(|_| all_named)
}
