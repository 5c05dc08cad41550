//! Rules that read a clause by its neighbours in the same text: a stop narrowed to the
//! texts after a keep ("Keep me on the list, just no SMS"), a keep undone by a "…NOT"
//! after it, a stop refused for one thing and moved onto the texts, a keyword taken
//! back by the same person ("Cancel. Wait no, don't cancel").
use super::clause::ClauseReading;
use super::lists::{only_the_texts, ONLY};

/// "I don't want to stop the study, just the texts": after a stop refused for another
/// thing, a clause of "just" and the texts alone moves the stop onto them.
pub fn stop_moved_onto_texts(parts: &[String], read: &mut [ClauseReading]) {
    for i in 1..read.len().min(parts.len()) {
        if read[i - 1].refused_elsewhere && read[i].stop.is_none() {
            if let Some(lang) = only_the_texts(&parts[i]) {
                read[i].stop = Some(lang);
                read[i].keep = false;
            }
        }
    }
}

/// "Keep them coming... NOT": a clause of "not" alone undoes the keep before it.
pub fn keep_undone_by_not(parts: &[String], read: &mut [ClauseReading]) {
    for i in 1..read.len().min(parts.len()) {
        if parts[i] == "not" {
            read[i - 1].keep = false;
        }
    }
}

/// "Keep me on the participant list, just no SMS please": a stop in a clause opened by
/// "just", "but" or "only" after a keep is the exception to what is kept, so the keep
/// takes no stop of the texts back.
pub fn stop_excepted_from_keep(parts: &[String], read: &mut [ClauseReading]) {
    let excepted = (1..read.len().min(parts.len())).find(|&i| {
        read[i].stop.is_some()
            && parts[i]
                .split(' ')
                .next()
                .is_some_and(|w| ONLY.contains(&w))
    });
    if let Some(i) = excepted {
        read[..i].iter_mut().for_each(|r| r.keep = false);
    }
}

/// What says a keyword is not meant, just before it: "don't cancel".
const NOT_MEANT: &[&str] = &["dont", "not", "never", "didnt"];

/// "Cancel. Wait no, don't cancel, I meant to text my sister": the keyword that opens
/// the text is negated in a later clause of it.
pub fn keyword_taken_back(parts: &[String], keyword: &str) -> bool {
    let keyword = keyword.to_lowercase();
    parts.iter().skip(1).any(|p| {
        let words: Vec<&str> = p.split(' ').collect();
        words
            .windows(2)
            .any(|w| NOT_MEANT.contains(&w[0]) && w[1] == keyword)
    })
}
