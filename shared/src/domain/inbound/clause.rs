//! One clause read for its structure: the requests in it (stop, keep, take back), what
//! each is aimed at (the texts, contact in general, or another channel or thing), and
//! whether a negation undoes it.
use super::lexicon::{Lang, Match};
use super::matching::{compiled, is_filler_word, Compiled, Phrase, Span, View};
use super::negation::{
    asked_why, asks_onward, inside_a_stop, negated, negates_a_list, only_after_a_stop,
    opens_a_condition, preceded_by_if_you, threatens_the_next_one, threatens_unless_stopped,
    within_a_longer_stop,
};
use super::objects::{
    after_an_event, after_another_channel, by_another_channel, gerund_with_own_object,
    said_of_the_number, AN_EMAIL, A_PHONE, THIS_PHONE,
};
use super::wishes::{
    texts_answered_no, texts_must_stop, texts_not_welcome, wants_them_stopped, wishes_they_go_on,
};

/// What a clause asks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClauseReading {
    /// A request to stop the texts, and the language it was made in.
    pub stop: Option<Lang>,
    /// Asks to keep the texts, or takes a stop back (a negated stop counts).
    pub keep: bool,
    /// A stop aimed at something else (email, calls, the appointment).
    pub elsewhere: bool,
    /// May be a revocation, is not clearly one ("spam", "why are you texting me").
    pub doubt: bool,
    /// The stop is the clause itself, an imperative: its phrase opens the clause after
    /// nothing but filler ("Stop sending reminders.", "Please remove my number"); or a
    /// request to go on, negated ("no quiero que sigan enviando recordatorios").
    pub imperative: bool,
    /// A stop of another thing, refused: "I don't want to stop the study" (what
    /// follows may say what is to stop instead: "…, just the texts").
    pub refused_elsewhere: bool,
}

/// What may come before a stop phrase that still opens its clause as an imperative.
const IMPERATIVE_OPENERS: &[&str] = &[
    "please",
    "pls",
    "plz",
    "kindly",
    "just",
    "now",
    "ok",
    "okay",
    "so",
    "and",
    "then",
    "por",
    "favor",
    "svp",
    "po",
    "anyway",
    "anyways",
    "also",
    "btw",
    "hey",
    "hi",
    "hello",
    "oh",
    "well",
    // "you can stop sending these", "agora pode parar de me mandar mensagem"
    "you",
    "u",
    "can",
    "agora",
    "pode",
    "podem",
    "ahora",
    "ya",
    "puede",
    "pueden",
    "vous",
    "pouvez",
    // "только без смс": "only" before the request.
    "только",
];

/// Words that open a relative clause: what follows is not the verb's object.
const RELATIVES: &[&str] = &["que", "that", "which", "qui", "who"];

/// The first word of a phrase that asks the texts to go on ("keep texting", "sigan
/// mandando"): negated ("no quiero que me sigan mandando mensajes"), it asks the opposite.
const GO_ON: &[&str] = &[
    "keep",
    "sigan",
    "seguir",
    "sigue",
    "siga",
    "continue",
    "continuar",
    "continuem",
    "continuez",
    "continuer",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    Stop,
    Bare,
    Aimed,
}

/// Reads one normalized clause.
pub fn read_clause(clause: &str) -> ClauseReading {
    let mut view = View::new(clause);
    let mut reading = ClauseReading::default();
    // Take-backs are read before anything is blanked: "I sent stop by mistake". A
    // negated "keep texting" asks the opposite ("I don't want you to keep texting me").
    let mut unkept = None;
    // Where each keep phrase ends, to see what it is aimed at once objects are found.
    let mut kept_at: Vec<(Match, usize)> = Vec::new();
    for c in compiled() {
        for phrase in &c.keep {
            for span in view.find(phrase, c.lexicon.matching) {
                // "quero continuar recebendo": a request to go on anywhere in the phrase.
                let go_on = phrase.words.iter().any(|w| GO_ON.contains(&w.as_str()));
                if go_on && (negated(&view, c, span) || inside_a_stop(&view, c, span)) {
                    unkept.get_or_insert(c.lexicon.lang);
                } else if c.lexicon.matching == Match::Words
                    && negated(&view, c, span)
                    && after_an_event(&view, span)
                {
                    // "Please don't text me after that": no time to text later but a
                    // stop from then on, so no keep; the timing phrase's blank leaves
                    // the rest to the model.
                } else if within_a_longer_stop(&view, c, span)
                    || only_after_a_stop(&view, c, phrase, span)
                {
                    // "oubliez mon numéro": the take-back "oubliez" is the head of a stop.
                } else if go_on
                    && c.lexicon.matching == Match::Words
                    && preceded_by_if_you(&view, span)
                {
                    // "I'll block this number if you keep texting me": a condition,
                    // not a wish; the rest of the clause decides.
                } else if asked_why(&view, c.lexicon.matching, span) {
                    // "Why do you keep texting me?", "why do I still get these?": a
                    // complaint, not a wish.
                    reading.doubt = true;
                } else {
                    reading.keep = true;
                    kept_at.push((c.lexicon.matching, span.end));
                }
            }
        }
        if view.any(&c.doubt, c.lexicon.matching) {
            reading.doubt = true;
        }
    }
    // "I don't want to leave the study": read before "leave the" is blanked as a
    // stop word in another sense.
    let wished_before_blanking = wishes_they_go_on(&view.words);
    // Words first, then the character view is rebuilt from them and blanked in turn,
    // so neither undoes the other's blanks.
    for c in compiled()
        .iter()
        .filter(|c| c.lexicon.matching == Match::Words)
    {
        view.blank(&c.false_friends, Match::Words);
    }
    view.chars = view.words.concat().chars().collect();
    for c in compiled()
        .iter()
        .filter(|c| c.lexicon.matching == Match::Chars)
    {
        view.blank(&c.false_friends, Match::Chars);
    }
    // Where each kind of object is named: word or character positions.
    let named = |list: fn(&Compiled) -> &Vec<Phrase>| -> Vec<(Match, usize)> {
        compiled()
            .iter()
            .flat_map(|c| {
                list(c)
                    .iter()
                    .flat_map(|p| view.find(p, c.lexicon.matching))
                    .map(|s| (c.lexicon.matching, s.start))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // "the 2pm reminder", "the second text": one text, not the texts.
    let one_text = |at: &usize| {
        *at > 0 && {
            let before = view.words.get(at - 1).map(String::as_str).unwrap_or("");
            before.starts_with(|c: char| c.is_ascii_digit())
                || [
                    "first", "second", "next", "other", "extra", "morning", "evening", "1st",
                    "2nd", "3rd",
                ]
                .contains(&before)
        }
    };
    // "the reminder call": a word of the texts inside a phrase naming something else.
    // The spans are found once per clause, not once per word of the texts.
    let other_phrases: Vec<Span> = compiled()
        .iter()
        .filter(|c| c.lexicon.matching == Match::Words)
        .flat_map(|c| c.other.iter().flat_map(|p| view.find(p, Match::Words)))
        .filter(|s| s.end - s.start > 1)
        .collect();
    let inside_other = |at: usize| other_phrases.iter().any(|s| s.start <= at && at < s.end);
    let other_at = named(|c| &c.other);
    let other_words: Vec<usize> = other_at
        .iter()
        .filter(|(m, _)| *m == Match::Words)
        .map(|(_, at)| *at)
        .collect();
    let sms_at: Vec<(Match, usize)> = named(|c| &c.sms)
        .into_iter()
        .filter(|(m, at)| *m == Match::Chars || !one_text(at))
        .filter(|(m, at)| *m == Match::Chars || !inside_other(*at))
        .filter(|(m, at)| *m == Match::Chars || !by_another_channel(&view.words, *at, &other_words))
        .filter(|(m, at)| *m == Match::Chars || !after_another_channel(&view.words, *at))
        .collect();
    let one_text_named = named(|c| &c.sms)
        .iter()
        .any(|(m, at)| *m == Match::Words && one_text(at));
    let general_at = named(|c| &c.general);
    // "stop sending the reminder to my work email", "stop calling my work number": a
    // request about another channel's address, not these texts. A reply comes from the
    // phone we text, so a phone named with the texts ("stop texting my work phone") is
    // that phone; "on this number and on my other number too" is about both.
    let names = |list: &[&str]| {
        list.iter()
            .any(|p| !view.find(&Phrase::new(p), Match::Words).is_empty())
    };
    let another_phone =
        (names(AN_EMAIL) || (names(A_PHONE) && sms_at.is_empty())) && !names(THIS_PHONE);
    let sms = !sms_at.is_empty() && !another_phone;
    let other = one_text_named || another_phone || !other_at.is_empty();
    // "keep me in the study", "calls are okay": kept is something else, which takes
    // back no stop of the texts.
    if other && !sms {
        reading.keep = false;
    }
    // "I still want to participate, just stop the SMS reminders": each keep phrase is
    // followed first by another thing than the texts.
    let next_after = |at: &[(Match, usize)], end: usize| {
        at.iter()
            .filter(|(m, start)| *m == Match::Words && *start >= end)
            .map(|(_, start)| *start)
            .min()
    };
    if !kept_at.is_empty()
        && kept_at.iter().all(|(m, end)| {
            *m == Match::Words
                && match (next_after(&other_at, *end), next_after(&sms_at, *end)) {
                    (Some(o), Some(t)) => o < t,
                    (Some(_), None) => true,
                    _ => false,
                }
        })
    {
        reading.keep = false;
    }
    // What a verb is aimed at follows it in languages written in words ("cancel the
    // texts", not "text to cancel"); in the others it may come first ("文字 보내지 마").
    // Up to a relative clause after its object: "Cancela o Uber que vocês iam mandar"
    // cancels the Uber. Russian orders its words freely ("смс-напоминания отключите").
    let relative_after = |from: usize| {
        (from..view.words.len())
            .find(|&i| RELATIVES.contains(&view.words[i].as_str()))
            .unwrap_or(usize::MAX)
    };
    let aimed_at = |at: &[(Match, usize)], matching: Match, span: Span, lang: Lang| {
        at.iter().any(|(m, start)| {
            *m == matching
                && (matching == Match::Chars
                    || lang == Lang::Ru
                    || (*start >= span.start && *start < relative_after(span.end + 1)))
        }) || at.iter().any(|(m, _)| *m != matching)
    };
    // "I no longer wish to participate or be contacted", "не звоните и не пишите":
    // contact in general, joined as a list's last member after every other thing, is
    // where the request ends ("the email list" names one thing, and joins nothing).
    let last_other = other_at
        .iter()
        .map(|(m, o)| (*m == Match::Words).then_some(*o))
        .collect::<Option<Vec<usize>>>()
        .and_then(|at| at.into_iter().max());
    let general_last = !another_phone
        && last_other.is_some_and(|o| {
            general_at.iter().any(|(m, g)| {
                *m == Match::Words
                    && *g > o
                    && !inside_other(*g)
                    && super::lists::coordinated(&view.words[o..*g])
            })
        });
    // A request is aimed at the texts unless the clause names another channel or
    // thing and no text ("no calls please", "unsubscribe me from the newsletter").
    let at_texts = sms || !other || general_last;
    let mut negated_stop = false;
    // Spans a lexicon has read, in words: English reads first ([`super::lexicon::ALL`]),
    // and another language's "stop" ("No seriously stop texting me": Spanish "no" would
    // negate it) or the like does not read the same words again.
    let mut settled: Vec<(Lang, Span)> = Vec::new();
    for c in compiled() {
        let matching = c.lexicon.matching;
        for (cue, phrases) in [
            (Cue::Stop, &c.stop),
            (Cue::Bare, &c.bare),
            (Cue::Aimed, &c.aimed),
        ] {
            for phrase in phrases {
                for span in view.find_in(phrase, matching, c.lexicon.lang == Lang::En) {
                    let asks = match cue {
                        // "Wrong number, I'm not in any study": said of the number, not
                        // aimed at the thing named beside it.
                        Cue::Stop if said_of_the_number(phrase) => !another_phone,
                        Cue::Stop => at_texts,
                        Cue::Bare => {
                            at_texts
                                && (aimed_at(&sms_at, matching, span, c.lexicon.lang)
                                    || aimed_at(&general_at, matching, span, c.lexicon.lang)
                                    || view.alone(span, matching))
                        }
                        Cue::Aimed => {
                            at_texts
                                && (aimed_at(&sms_at, matching, span, c.lexicon.lang)
                                    || aimed_at(&general_at, matching, span, c.lexicon.lang))
                        }
                    };
                    // "Revoking my parking permit was their mistake": a stop word as a
                    // gerund with an object of its own names an activity, not a request.
                    if matching == Match::Words
                        && !sms
                        && general_at.is_empty()
                        && gerund_with_own_object(&view.words, span)
                    {
                        continue;
                    }
                    if !asks {
                        if !at_texts {
                            reading.elsewhere = true;
                            reading.refused_elsewhere |= negated(&view, c, span);
                        }
                        continue;
                    }
                    if matching == Match::Words && opens_a_condition(&view, span) {
                        continue;
                    }
                    let lang = c.lexicon.lang;
                    if matching == Match::Words
                        && settled
                            .iter()
                            .any(|(l, s)| *l != lang && s.start < span.end && span.start < s.end)
                    {
                        continue;
                    }
                    if matching == Match::Words {
                        settled.push((lang, span));
                    }
                    if negated(&view, c, span) {
                        // "my phone won't stop buzzing with your reminders": what does
                        // not stop is another activity, which keeps nothing.
                        let activity = matching == Match::Words
                            && view.words.get(span.end).is_some_and(|w| {
                                w.ends_with("ing")
                                    && !sms_at.contains(&(Match::Words, span.end))
                                    && !general_at.contains(&(Match::Words, span.end))
                            });
                        negated_stop |= !activity;
                    } else {
                        // The first stop found names the language; any stop phrase that
                        // opens the clause makes it an imperative ("take me off the
                        // texting list", where "texting list" is found first).
                        reading.stop.get_or_insert(c.lexicon.lang);
                        // "не надо прекращать…", "no more…": a phrase that opens with a
                        // negation may be one undone, so the model keeps its veto there.
                        // "No more texts." is the whole clause and names the texts in
                        // its own words: nothing is left to undo it.
                        let whole_and_named = matching == Match::Words
                            && view
                                .words
                                .get(span.end..)
                                .is_some_and(|rest| rest.iter().all(|w| is_filler_word(w)))
                            && sms_at.iter().any(|(m, at)| {
                                *m == Match::Words && (span.start..span.end).contains(at)
                            });
                        let opens_negated = (phrase.words[0] == "no"
                            || c.negations.iter().any(|n| n.words[0] == phrase.words[0]))
                            && !whole_and_named;
                        reading.imperative |= matching == Match::Words
                            && !other
                            && !opens_negated
                            && view.words[..span.start]
                                .iter()
                                .all(|w| IMPERATIVE_OPENERS.contains(&w.as_str()));
                    }
                }
            }
        }
    }
    if let Some(lang) = unkept.filter(|_| !negated_stop && at_texts) {
        // A negated request to go on is as plain as an imperative: the model's veto,
        // there for phrases that may be undone, does not apply.
        reading.stop.get_or_insert(lang);
        reading.imperative = true;
    }
    if reading.stop.is_none() && !negated_stop && at_texts {
        let sending: Vec<usize> = sms_at
            .iter()
            .chain(&general_at)
            .filter(|(m, _)| *m == Match::Words)
            .map(|(_, at)| *at)
            .collect();
        reading.stop = compiled()
            .iter()
            .filter(|c| c.lexicon.matching == Match::Words)
            .find(|c| asks_onward(&view, c, &sending))
            .map(|c| c.lexicon.lang);
        if let Some(c) = compiled()
            .iter()
            .filter(|c| c.lexicon.matching == Match::Words && reading.stop.is_none())
            .find(|c| negates_a_list(&view, c, &sending, &other_words))
        {
            // "Don't call or text me": as plain as an imperative.
            reading.stop = Some(c.lexicon.lang);
            reading.imperative = true;
        }
    }
    let texts_named_at: Vec<usize> = sms_at
        .iter()
        .filter(|(m, _)| *m == Match::Words)
        .map(|(_, at)| *at)
        .collect();
    // "I don't want to stop getting texts": the negated request decides the clause.
    // "I don't want to stop the study": a wish aimed at another thing keeps no text.
    reading.refused_elsewhere |= !at_texts && wished_before_blanking;
    if negated_stop || (at_texts && wishes_they_go_on(&view.words)) {
        reading.keep = true;
        reading.stop = None;
    } else if threatens_the_next_one(&view.words)
        || (at_texts
            && (wants_them_stopped(&view.words)
                || threatens_unless_stopped(&view.words)
                || texts_must_stop(&view.words, &texts_named_at)
                || texts_not_welcome(&view.words, &texts_named_at)
                || texts_answered_no(&view.words, &texts_named_at)))
    {
        // "I still want these texts to stop", "if you don't stop I'll block you": the
        // wish or the threat is the request, as plain as an imperative, and its "still
        // want" keeps nothing.
        reading.keep = false;
        reading.stop.get_or_insert(Lang::En);
        reading.imperative = true;
    }
    super::asks_nothing::what_the_words_ask(&view.words, sms, negated_stop, &mut reading);
    reading
}
