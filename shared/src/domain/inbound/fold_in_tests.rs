//! What each sealed set's fold-in fixed, on examples written here after the set was
//! read (development data; the sets' own texts are in the corpus test).
use super::kinds_tests::{does_not_opt_out, opts_out};

#[test]
fn set_r_folded_in_wrong_numbers_late_changes_of_mind_and_questions_of_when_to_send() {
    opts_out(&[
        // A wrong number is said of the number, whatever the study beside it.
        "wrong number, never been in a study",
        "Wrong # not part of any research study",
        "الرقم غلط",
        // A stop after "actually no" is the change of mind.
        "Keep them coming... actually no, stop texting me",
        "本人不再同意接收提醒短信",
    ]);
    does_not_opt_out(&[
        "It's not that I want these reminders to stop, I just can't do Friday",
        "Should I reply STOP if I get a new phone?",
        "Stop, you're the best, thank you so much",
        "I have a new phone, please use this number from now on",
        "중단하라고 한 적 없어요",
    ]);
}

#[test]
fn set_s_folded_in_conditions_slips_sarcasm_and_laughter() {
    opts_out(&[
        "Sure, more reminders, just what I wanted 😒 STOP",
        "y dont u stop sending these",
        "rmv me pls",
        "Make this the last one, thanks",
        "If you stop texting me I'd be grateful",
        "If you don't stop texting me I'm blocking you",
    ]);
    does_not_opt_out(&[
        "I didn't mean to unsubscribe, I tapped the wrong thing",
        "If you stop the reminders I'll forget for sure, so keep them",
        "I'd be lost without the reminders tbh",
        "Stop playing, is it really Monday already?",
        "Stop, you're too generous, thank you!",
        "¡Para, qué vergüenza! Se me olvidó 😂 Confirmo",
        "Arrête, j'avais oublié 😂 c'est noté",
    ]);
}

#[test]
fn set_w_folded_in_lists_after_everything_and_an_email_destination() {
    opts_out(&[
        "stop everything please, texts, calls, all of it",
        "I would like the reminders to stop now",
    ]);
    does_not_opt_out(&[
        "Please stop sending the reminders to my work email, texts are fine",
        "I like the texts, can you just stop the emails",
    ]);
}

#[test]
fn set_x_folded_in_questions_of_what_sending_does_and_stops_asked_again() {
    opts_out(&[
        "Didn't I say stop already?",
        "why haven't you stopped sending these",
        "I want zero texts from now on",
        "Nada de ligação nem mensagem, por favor",
    ]);
    does_not_opt_out(&[
        "Will replying STOP also cancel my visit?",
        "Can I still text stop later if it gets to be a lot?",
        "Stop! I was just about to call you. Yes confirmed",
    ]);
}

#[test]
fn set_y_folded_in_wishes_threats_concord_lists_and_contrasts() {
    opts_out(&[
        // A wish with the texts as its subject, after a long first sentence.
        "The parking was fine last time and the staff were lovely, but honestly I'd like these reminders to stop",
        "I still want the reminder texts to end, please",
        "We're leaving the area next month and I want the texts turned off",
        // A threat whose condition is that the texts go on.
        "if u dont stop i'm reporting this number",
        "I'll file a complaint unless these texts stop",
        // Contact in general, the last member of a list.
        "I'm done with the survey and don't want to be contacted",
        "Не звоните и не пишите мне",
        // Negative concord: a list of "ni … ni …", "nem … nem …".
        "ni llamadas ni mensajes de texto",
        "nem ligação nem mensagem",
        "walang text please",
        // This phone named beside another.
        "stop texting this number and my work number",
        // A stop refused for another thing, then moved onto the texts.
        "I don't want to leave the study, just the texts",
        // A negated request to go on, anywhere in the phrase.
        "Não quero continuar recebendo mensagens",
    ]);
    does_not_opt_out(&[
        "I need to stop eating after 8 pm before the blood test?",
        "Why would I want to stop? These help a lot",
        "If I don't stop at the pharmacy first I'll be late",
        "Quitting my second job was the best decision, so I'm free Tuesday",
        "Stop right there, is the study on the second floor?",
        "Stop. Wait no, I meant stay on the list",
        "Take me off the email list, keep the texts",
        "I don't not want the texts, keep them",
    ]);
}

#[test]
fn set_aa_folded_in_verb_lists_subjects_threats_and_neighbours() {
    opts_out(&[
        // A negation reaches every verb of its list.
        "please don't call me or text me",
        // The texts as the subject of a must.
        "these reminders have got to stop",
        // Going on, in a threat's condition, beside what it threatens.
        "I'll report this number to the FCC if the texts continue",
        // A "…NOT" undoes the keep before it.
        "Love these reminders... NOT. Unsubscribe me",
        // A stop after "just", after a keep, is what the keep excepts.
        "Keep me in the study, just no more texts",
        // Verbs that cut a thing off, aimed at the texts.
        "ditch the text reminders please",
        // "No more texts" as the whole clause, after a take-back.
        "I sent YES by mistake. No more texts.",
        // What does not stop is another activity; the stop after it stands.
        "my phone won't stop ringing with these alerts. no more texts",
    ]);
    does_not_opt_out(&[
        "Remove. Wait no, don't remove, wrong chat",
        "How do I unsubscribe if I ever need to? Just curious",
        "Do the reminders stop after my last visit?",
        "هل ستتوقف الرسائل بعد الزيارة؟",
        "Wrong number? My son is the one in the study, I'll tell him",
        "If you keep sending reminders I'll never be late again",
        "I don't call or text anyone after 9 so morning is better",
    ]);
}

#[test]
fn set_ab_folded_in_repeated_keywords_channels_own_steps_and_interjections() {
    opts_out(&[
        // Nothing but a required keyword, said again.
        "STOP STOP",
        "quit quit",
        // The next text, named beside a threat.
        "another text and I'm calling my attorney",
        // A stop said to have been asked before, beside a keep: sarcasm.
        "Sure, keep texting me. I only asked you to stop twice already.",
        // Contact in general: "hear from".
        "I don't want to hear from you ever again",
        // The texts said not to be welcome.
        "these texts are not welcome on my phone",
        // A verb that loses the texts.
        "lose the reminder texts",
        "no reminders please",
        // Russian without "ни" as a negation; Arabizi.
        "Ни звонков, ни смс не надо",
        "ma tb3atli msgs",
    ]);
    does_not_opt_out(&[
        "Should I remove my glasses before the scan?",
        "Aw stop, you're the sweetest 😊 see you Monday",
        "Stop the reminders in my inbox please, texts are what I need",
        "Please stop messaging me on Messenger, SMS here is fine",
        "Стоп, а где парковка?",
        "لأ متوقفوش الرسايل",
    ]);
}

#[test]
fn set_ac_folded_in_one_reading_of_the_same_words_and_without_the_texts() {
    opts_out(&[
        // English reads the words first; Spanish "no" does not undo an English stop.
        "no seriously stop texting me",
        "No no stop the texts",
        // Without the texts.
        "Je viendrai, mais sans les SMS svp",
        "Voy a ir, pero sin mensajes por favor",
        "I'll do the interview without the texts, thanks",
    ]);
    does_not_opt_out(&["I asked you to stop last week, I take that back. Keep sending them"]);
}

#[test]
fn set_ae_folded_in_keyword_runs_phones_mistakes_and_changes_of_mind() {
    opts_out(&[
        // Nothing but required keywords.
        "QUIT STOP",
        "unsubscribe cancel",
        // A reply comes from the phone we text: a phone named with the texts is it.
        "stop texting my work cell",
        // A change of mind towards the stop, and a self-correction.
        "don't stop them... actually yes, stop them",
        "Stop by- sorry autocorrect. I meant stop texting me",
        "nada de mensajes, llámenme",
        "хорош спамить",
        "只要电话，不要短信",
    ]);
    does_not_opt_out(&[
        "sorry wrong # meant to text my brother",
        "How do I turn these off after the study ends? Keep them till then",
        "STOP sorry autocorrect, I meant SHOP, is there one nearby?",
        "I won't need to opt out, these are helpful",
        "stop calling my work number please",
        "بلاش مكالمات، الرسائل كفاية",
    ]);
}

#[test]
fn set_af_folded_in_channel_names_questions_of_a_keyword_and_negations_after_the_verb() {
    opts_out(&[
        "I'm not ok with getting these texts",
        "my 'stop' yesterday was meant for my bank. But I do want the texts from you to stop.",
    ]);
    does_not_opt_out(&[
        "Please stop the email reminders",
        "Does UNSUBSCRIBE take me out of the study?",
        "Hindi ako nag-u-unsubscribe, tanong lang po",
        "수신거부 하려는 게 아니에요",
        "전화는 그만 주시고 문자로만 연락 주세요",
        "Отписываться не буду, просто вопрос",
        "Anile randevou a men kontinye voye mesaj",
    ]);
}

#[test]
fn set_ag_folded_in_texts_answered_no_labels_and_questions_of_sending() {
    opts_out(&[
        // The texts, then a no.
        "SMS no, calls yes",
        "Pueden llamarme, pero mensajes no",
        "Звонки можно, а смс не надо",
        "Mesaj tèks, non mèsi",
        // A separable verb: "turn those off".
        "the reminder texts, please turn them off",
        "merci d'arrêter les envois",
        "赶紧把我号码删了",
    ]);
    does_not_opt_out(&[
        // "Email: please stop" is said of the email.
        "Texts: fine. Email: please stop.",
        "Calls only if it's urgent",
        "If I text STOP does that cancel my visit?",
        "Se eu mandar PARAR eu saio do estudo?",
        "Wrong number, this is for my son. I'll pass it on to him",
        "Em chỉ hỏi thôi, nếu không muốn nhận tin thì sao?",
        "Đừng gửi thư giấy nữa, nhắn tin thôi",
    ]);
}

#[test]
fn set_ah_folded_in_threats_of_one_more_lists_after_a_thing_and_relative_clauses() {
    opts_out(&[
        // One more, or every text, beside a threat.
        "one more text and I'm reporting you",
        "every message after this goes to my lawyer",
        "Ещё одно смс и пишу жалобу",
        // A clause that ends in a thing goes on as a list with a joining word.
        "Please stop the emails, calls and texts",
        // Russian orders its words freely.
        "смс-напоминания отключите пожалуйста",
        // Any stop phrase that opens the clause makes it an imperative.
        "I'm slammed this week, just take me off the texting list please",
    ]);
    does_not_opt_out(&[
        "Opt out? No thanks, I'm staying",
        "¿Quién me escribe?",
        "Annulez le rappel téléphonique svp",
        "Cancela o táxi que vocês iam mandar",
        "Stop the emails, texts: fine",
    ]);
}

#[test]
fn set_z_and_ad_folded_in_only_the_texts_threats_in_spanish_and_portuguese_and_addresses() {
    opts_out(&[
        // "only" after a stop says what the stop is of.
        "Unsubscribe me from SMS only, I'm staying in the study",
        "Remove me from the reminder texts only please",
        "Si siguen mandando mensajes los voy a denunciar",
        "Se continuarem mandando mensagem vou no Procon",
        "Làm ơn để tôi yên",
        "msh 3ayez rasayel, email bas",
    ]);
    does_not_opt_out(&[
        "Texts only please, no calls",
        "Can I unsubscribe later if I want to?",
        "Stop sending the reminders to my old work email",
    ]);
}
