//! A list that follows "everything" or "all" ("Please stop everything, calls, texts and
//! emails"): its clauses are the object of the clause before them.
use super::lexicon::Match;
use super::matching::{compiled, View};

/// Words that join the things of a list.
const LIST_JOINS: &[&str] = &[
    "and", "the", "these", "those", "my", "your", "all", "or", "any",
];

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

/// "Please stop everything, calls, texts and emails": a clause that ends in
/// "everything" or "all" takes the lists that follow it as its object, so that what it
/// stops is read from them.
pub fn joined_lists(parts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut open = false;
    for part in parts {
        match out.last_mut() {
            Some(last) if open && names_only_things(&part) => {
                last.push(' ');
                last.push_str(&part);
            }
            _ => {
                open = matches!(part.rsplit(' ').next(), Some("everything" | "all"));
                out.push(part);
            }
        }
    }
    out
}
