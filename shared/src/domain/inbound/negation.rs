//! What undoes or turns a request inside one clause: a negation before it ("don't
//! stop"), a question why ("why do you keep texting me"), a condition ("if you keep
//! texting me"), a keep phrase that is part of a longer stop, and a negated request to
//! go on ("could you not send me any more of these"). Read by `clause.rs`.
use super::lexicon::{Lang, Match};
use super::matching::{Compiled, Phrase, Span, View};

/// Whether a negation of the same language ends just before `span` (at most one word,
/// or two characters, between): "don't stop", "don't ever unsubscribe me", "不要停止".
/// A negation that opens a request of its own ("not interested", "don't text me") is
/// that request, not a negation of the next one.
pub(super) fn negated(view: &View, c: &Compiled, span: Span) -> bool {
    let matching = c.lexicon.matching;
    let reach = match matching {
        Match::Words => 1,
        Match::Chars => 2,
    };
    let opens_a_request = |at: usize| {
        c.stop
            .iter()
            .any(|p| view.find(p, matching).iter().any(|s| s.start == at))
    };
    // "I don't need no more reminders", "ni llamadas ni mensajes": a second negation
    // that opens the stop phrase agrees with the first (negative concord); it does not
    // undo it. English concords only with "no" and "nothing": "I don't not want
    // them" is two negations that cancel.
    let concord = matching == Match::Words
        && view.words.get(span.start).is_some_and(|w| {
            w == "no"
                || w == "nothing"
                || (c.lexicon.lang != Lang::En
                    && c.negations
                        .iter()
                        .any(|n| n.words.len() == 1 && n.words[0] == *w))
        });
    !concord
        && c.negations.iter().any(|n| {
            view.find(n, matching).iter().any(|s| {
                s.end <= span.start
                    && span.start - s.end <= reach
                    && !opens_a_request(s.start)
                    && !(matching == Match::Words && asks_why_not(view, *s))
            })
        })
}

/// "Why do you keep texting me?", "how come I still get these": the keep phrase is
/// asked about, within three words of a "why".
/// Only in languages written in words: `span` counts words there.
pub(super) fn asked_why(view: &View, matching: Match, span: Span) -> bool {
    let from = span.start.saturating_sub(3);
    matching == Match::Words
        && view
            .words
            .get(from..span.start)
            .is_some_and(|before| before.iter().any(|w| w == "why" || w == "come"))
}

/// Who "you" may be written as in English.
const YOU: &[&str] = &["you", "u", "ya", "yall", "they"];

/// "if you keep texting me", "if you don't stop": the phrase at `span` is the condition
/// of a threat or a promise. Only in languages written in words.
pub(super) fn preceded_by_if_you(view: &View, span: Span) -> bool {
    let word = |at: usize| view.words.get(at).map(String::as_str).unwrap_or("");
    span.start > 1 && word(span.start - 2) == "if" && YOU.contains(&word(span.start - 1))
}

/// "Why won't you stop texting me?", "why don't you just stop": a negation in a
/// question of why they don't is a demand that they do; so is "if you don't stop…"
/// ("…I'll report this number"), a threat. Only in languages written in words.
fn asks_why_not(view: &View, negation: Span) -> bool {
    let word = |at: usize| view.words.get(at).map(String::as_str).unwrap_or("");
    preceded_by_if_you(view, negation)
        || (negation.start > 0
            && matches!(word(negation.start - 1), "why" | "y")
            && YOU.contains(&word(negation.end)))
}

/// "no need to keep texting me": the keep phrase is the tail of a stop phrase.
pub(super) fn inside_a_stop(view: &View, c: &Compiled, span: Span) -> bool {
    c.stop.iter().any(|p| {
        view.find(p, c.lexicon.matching)
            .iter()
            .any(|s| s.start < span.start && s.end > span.start)
    })
}

/// "Opt me out of SMS only", "unsubscribe me from the reminder texts only": a keep of
/// "only" the texts, after a stop phrase of the same clause, says what the stop is of.
pub(super) fn only_after_a_stop(view: &View, c: &Compiled, phrase: &Phrase, span: Span) -> bool {
    phrase.words.iter().any(|w| w == "only")
        && c.stop.iter().chain(&c.bare).chain(&c.aimed).any(|p| {
            view.find(p, c.lexicon.matching)
                .iter()
                .any(|s| s.end <= span.start)
        })
}

/// "oubliez mon numéro", "esqueça meu número": a keep phrase that a longer stop phrase
/// of the same language covers.
pub(super) fn within_a_longer_stop(view: &View, c: &Compiled, span: Span) -> bool {
    c.stop.iter().any(|p| {
        view.find(p, c.lexicon.matching).iter().any(|s| {
            s.start <= span.start && s.end >= span.end && s.end - s.start > span.end - span.start
        })
    })
}

/// What a threat's condition says does not stop, in English.
const NOT_STOPPING: &[&str] = &["stop", "stops", "quit", "cease", "end"];

/// What a threat threatens.
const THREATS: &[&str] = &[
    "block",
    "report",
    "reporting",
    "sue",
    "suing",
    "lawsuit",
    "lawyer",
    "attorney",
    "legal",
    "court",
    "police",
    "complaint",
    "fcc",
    "ftc",
    "tcpa",
    "reportar",
    "denunciar",
    "demandar",
    "abogado",
    "advogado",
    "procon",
    "queja",
    "processar",
];

/// "Next text goes straight to my lawyer", "If I get one more of these I'm calling a
/// lawyer", "Every text after this one is $500 under the TCPA": the next text named
/// beside a threat. The next one is one text, not the texts, so this is read whatever
/// the clause names.
pub(super) fn threatens_the_next_one(words: &[String]) -> bool {
    let texty = |w: &str| matches!(w, "text" | "message" | "msg" | "txt" | "reminder");
    words.iter().any(|w| THREATS.contains(&w.as_str()))
        && words.windows(2).any(|w| {
            (matches!(w[0].as_str(), "next" | "another" | "every" | "each") && texty(&w[1]))
                || (w[0] == "one" && w[1] == "more")
        })
}

/// What the texts do, in a threat's condition, when they go on.
const GOING_ON: &[&str] = &[
    "continue",
    "continues",
    "keep",
    "keeps",
    "persist",
    "persists",
    "siguen",
    "sigan",
    "continuan",
    "continuarem",
    "continuam",
    "seguirem",
];

/// "if you don't stop I'll block you", "I'll call my lawyer if these texts don't stop",
/// "unless you stop I will sue", "I'll file a TCPA complaint if these texts continue": a
/// threat whose condition is that the texts go on demands that they stop. Its subject
/// is us or the texts, never the speaker ("if I don't stop at the pharmacy…"); going
/// on ("if you keep texting me…", "si me siguen mandando mensajes los voy a reportar")
/// is a threat only beside what it threatens.
pub(super) fn threatens_unless_stopped(words: &[String]) -> bool {
    let word = |at: usize| words.get(at).map(String::as_str).unwrap_or("");
    let threatens = words.iter().any(|w| THREATS.contains(&w.as_str()));
    (0..words.len()).any(|i| {
        let opener = word(i);
        let subject_ok = !word(i + 1).is_empty() && !SPEAKER.contains(&word(i + 1));
        subject_ok
            && (i + 1..(i + 6).min(words.len())).any(|j| {
                let stops = NOT_STOPPING.contains(&word(j));
                match opener {
                    // "si me siguen mandando…", "se continuarem mandando…"
                    "if" | "si" | "se" if threatens && GOING_ON.contains(&word(j)) => true,
                    "if" => stops && matches!(word(j - 1), "dont" | "doesnt" | "not" | "wont"),
                    "unless" => stops,
                    _ => false,
                }
            })
    })
}

/// The speaker describing themselves ("I don't text anymore"), not asking.
const SPEAKER: &[&str] = &["i", "we", "im", "ive", "yo", "eu", "je", "я"];

/// "I'd appreciate it if you didn't text me anymore", "could you not send me any more of
/// these", "is it possible to not get any further texts": a negation, a word of
/// sending within four words after it, and a word that carries it onward after the
/// negation.
pub(super) fn asks_onward(view: &View, c: &Compiled, sending: &[usize]) -> bool {
    c.negations.iter().any(|n| {
        view.spans(n, Match::Words, false).any(|neg| {
            let by_speaker = neg.start > 0 && SPEAKER.contains(&view.words[neg.start - 1].as_str());
            let sent = sending.iter().any(|&at| at >= neg.end && at <= neg.end + 3);
            !by_speaker
                && sent
                && c.onward.iter().any(|o| {
                    view.spans(o, Match::Words, false)
                        .any(|s| s.start >= neg.end)
                })
        })
    })
}

/// "Don't call or text me", "no me llamen ni me escriban": a negation before a list of
/// verbs joined by "or" or "and", one of them a verb of the texts (at a position in
/// `sending`): the negation reaches every member. What stands between is the list's
/// other members (`other`), its joining words and "me". Not said by the speaker of
/// themselves ("I don't call or text anyone").
pub(super) fn negates_a_list(
    view: &View,
    c: &Compiled,
    sending: &[usize],
    other: &[usize],
) -> bool {
    c.negations.iter().any(|n| {
        view.spans(n, Match::Words, false).any(|neg| {
            let by_speaker = neg.start > 0 && SPEAKER.contains(&view.words[neg.start - 1].as_str());
            !by_speaker
                && sending.iter().any(|&at| {
                    at > neg.end
                        && at <= neg.end + 5
                        && other.iter().any(|o| (neg.end..at).contains(o))
                        && (neg.end..at).any(|k| super::lists::is_coordinator(&view.words[k]))
                        && (neg.end..at).all(|k| {
                            let w = view.words[k].as_str();
                            other.contains(&k)
                                || super::lists::is_coordinator(w)
                                || matches!(w, "me" | "us" | "")
                        })
                })
        })
    })
}

/// What would follow, said after a condition ("…I'll miss them").
const CONSEQUENCE: &[&str] = &["ill", "id", "itll", "will", "would", "gonna"];

/// What makes a condition a polite request ("…I'd appreciate it").
const WELCOME: &[&str] = &[
    "appreciate",
    "appreciated",
    "grateful",
    "thankful",
    "happy",
    "great",
    "glad",
    "nice",
    "thanks",
];

/// "If you stop texting me I will miss it": a stop that opens a condition, with what
/// would follow said after it, asks nothing. Not "if you don't stop…" (a threat; the
/// negation stands between), nor "if you stop texting me I'd be grateful" (a request).
/// Only in languages written in words.
pub(super) fn opens_a_condition(view: &View, span: Span) -> bool {
    let after = view.words.get(span.end..).unwrap_or_default();
    span.start == 2
        && preceded_by_if_you(view, span)
        && after.iter().any(|w| CONSEQUENCE.contains(&w.as_str()))
        && !after.iter().any(|w| WELCOME.contains(&w.as_str()))
}
