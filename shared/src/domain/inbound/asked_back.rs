//! A stop asked back as a question: refused by the same person ("Stop? No way, I'm
//! excited"), or a short stop phrase asked back with nothing after it ("Wrong number?
//! I think you mean my daughter").
use super::clause::ClauseReading;
use super::keywords::{STRONG, WEAK};
use super::text::{normalize, squeezed};

/// "Stop? No way, I'm excited", "Отписаться? Нет, я просто спросить", "退订？不用啊": a
/// keyword or a short stop phrase asked back as a question and refused by the same
/// person, with no stop after it.
///
/// `first_reading` is the reading of the text's first clause, which is what was asked.
pub(super) fn keyword_asked_and_refused(own: &str, first_reading: &ClauseReading) -> bool {
    let Some(at) = own.find(['?', '？', '؟']) else {
        return false;
    };
    let (asked, answer) = (&own[..at], &own[at..]);
    let answer = answer.trim_start_matches(['?', '？', '؟']);
    let squeezed_asked = squeezed(asked);
    let asked_words = normalize(asked);
    let is_stop = STRONG.contains(&squeezed_asked.as_str())
        || WEAK.contains(&squeezed_asked.as_str())
        || (asked_words.split(' ').count() <= 3 && first_reading.stop.is_some());
    let answer = format!("{} ", normalize(answer));
    is_stop
        && (REFUSALS
            .iter()
            .any(|r| answer.starts_with(&format!("{r} ")))
            || REFUSALS_UNSPACED.iter().any(|r| answer.starts_with(r)))
}

/// Whether the text opens with its first clause, of at most three words and a stop,
/// asked as a question ("Wrong number?", "No more texts?").
pub(super) fn stop_asked_back(
    own: &str,
    first_reading: &ClauseReading,
    first: Option<&String>,
) -> bool {
    let Some(at) = own.find(['?', '？', '؟']) else {
        return false;
    };
    let asked = normalize(&own[..at]);
    // A request asked politely ("Can I unsubscribe?", "怎么取消这些短信？") is no
    // phrase asked back.
    const REQUESTING: &[&str] = &["can", "could", "how", "will", "would", "may", "please"];
    first_reading.stop.is_some()
        && first.is_some_and(|f| *f == asked)
        && asked.is_ascii()
        && asked.split(' ').count() <= 3
        && !asked
            .split(' ')
            .next()
            .is_some_and(|w| REQUESTING.contains(&w))
}

/// How an answer to a keyword asked back refuses it ("Stop? Why would I"), in the
/// languages written in words.
const REFUSALS: &[&str] = &[
    "no",
    "nope",
    "nah",
    "never",
    "why",
    "why would i",
    "of course not",
    "absolutely not",
    "not at all",
    "not a chance",
    "hell no",
    "non",
    "nao",
    "hindi",
    "di",
    "нет",
    "не",
    "لا",
    "khong",
    "아니",
    "아니요",
    "아뇨",
    "pa",
];

/// The same, in scripts written without spaces.
const REFUSALS_UNSPACED: &[&str] = &["不", "唔使", "唔係", "没有", "沒有"];
