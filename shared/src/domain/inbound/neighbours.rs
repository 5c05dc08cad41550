//! Rules that read a clause by its neighbours in the same text: a stop narrowed to the
//! texts after a keep ("Keep me on the list, just no SMS"), a keep undone by a "…NOT"
//! after it, a stop refused for one thing and moved onto the texts, a keyword taken
//! back by the same person ("Cancel. Wait no, don't cancel").
use super::clause::ClauseReading;
use super::lists::{only_the_texts, ONLY};
use super::text::{normalize, says_any};

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

/// What goes on after a stop word said as "wait": Russian "а" ("Стоп, а во сколько?").
const GOING_ON_ASKING: &[&str] = &["а", "wait"];

/// "Стоп, а во сколько точно?": a stop word alone, then a clause that goes on with "а"
/// in a text that asks a question: "wait", said to oneself. It asks nothing of us, and
/// the one clarifying reply covers a person who meant it.
pub fn stop_said_as_wait(own: &str, parts: &[String], read: &mut [ClauseReading]) {
    if !own.contains(['?', '？']) {
        return;
    }
    for i in 0..read.len().min(parts.len()).saturating_sub(1) {
        let alone = !parts[i].contains(' ');
        let goes_on = parts[i + 1]
            .split(' ')
            .next()
            .is_some_and(|w| GOING_ON_ASKING.contains(&w));
        if alone && goes_on && read[i].stop.is_some() {
            read[i].stop = None;
            read[i].imperative = false;
            read[i].doubt = true;
        }
    }
}

/// A polite no, in the languages written in words.
const POLITE_NO: &[&str] = &[
    "no thanks",
    "no thank you",
    "non mesi",
    "non merci",
    "nao obrigado",
    "nao obrigada",
    "no gracias",
    "нет спасибо",
];

/// "Tèks, non mèsi": a clause that names only the texts, answered by a polite no in the
/// next: a stop of the texts.
pub fn texts_then_no_thanks(parts: &[String], read: &mut [ClauseReading]) {
    for i in 0..read.len().min(parts.len()).saturating_sub(1) {
        if POLITE_NO.contains(&parts[i + 1].as_str()) {
            if let Some(lang) = super::lists::names_only_the_texts(&parts[i]) {
                read[i].stop = Some(lang);
                read[i].imperative = true;
            }
        }
    }
}

/// What says a stop was asked before.
const AGAIN: &[&str] = &["already", "again", "times", "twice"];

/// "Keep texting me every day. It's not like I've asked you to stop three times
/// already": a stop said to have been asked before, beside a keep, is the person
/// repeating it; the keep is sarcasm.
pub fn stop_asked_again(parts: &[String], read: &[ClauseReading]) -> bool {
    parts
        .iter()
        .zip(read)
        .any(|(p, r)| r.stop.is_some() && p.split(' ').any(|w| AGAIN.contains(&w)))
}

/// What says the texts will be passed on to the person they are for.
const PASSED_ON: &[&str] = &[
    "pass it on",
    "pass it along",
    "pass this on",
    "pass this along",
    "pass it to",
    "let her know",
    "let him know",
    "ill tell her",
    "ill tell him",
];

/// "Wrong person I think, this might be for my roommate. I'll pass it along": the
/// person will pass our text on, so it reaches who it is for (`text` normalized).
pub fn passes_it_on(text: &str) -> bool {
    says_any(text, PASSED_ON)
}

/// What says a text was meant for someone else.
const MEANT_FOR_SOMEONE_ELSE: &[&str] = &[
    "meant to text",
    "meant 2 txt",
    "meant 2 text",
    "meant to txt",
    "meant to send this to",
    "meant to send that to",
    "meant for my",
    "sent to the wrong",
];

/// "sry wrong # meant 2 txt my sis": the person says the text was meant for someone
/// else (`text` normalized).
pub fn sent_here_by_mistake(text: &str) -> bool {
    says_any(text, MEANT_FOR_SOMEONE_ELSE)
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

/// Words that say the person changed their mind: the request after them decides.
const CHANGED_MIND: &[&str] = &[
    "changed my mind",
    "change of mind",
    "on second thought",
    "on second thoughts",
    "never mind",
    "nevermind",
    "scratch that",
    "cambie de opinion",
    "cambie de idea",
    "jai change davis",
    "mudei de ideia",
    "передумал",
    "передумала",
    "earlier i said",
    "ignore my last",
    "disregard my last",
    "forget my last",
    "i said earlier",
    "i know i said",
    "actually no",
    "actually yes",
    "i meant",
    "wait no",
    "no wait",
];

/// "Earlier I said keep texting, but I've changed my mind: stop the texts": a stop after
/// a keep, in a text that says the mind changed. Only this direction is read by order; a
/// keep after a stop still gets the clarifying reply.
pub fn stop_after_change_of_mind(own: &str, read: &[ClauseReading]) -> bool {
    let last_stop = read.iter().rposition(|r| r.stop.is_some());
    let last_keep = read.iter().rposition(|r| r.keep);
    says_any(&normalize(own), CHANGED_MIND)
        && matches!((last_stop, last_keep), (Some(s), Some(k)) if s > k)
}
