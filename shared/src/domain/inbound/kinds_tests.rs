//! The reading, kind by kind (issue #28's seven kinds of error), on examples written
//! here: development data, not the sealed sets (docs/reliability.md).
use super::keywords::Intent;
use super::lexicon::Lang;
use super::quotes::reactions::{REMINDER, WRAPPERS};
use super::reading::{classify, read};

pub(super) fn opts_out(texts: &[&str]) {
    for text in texts {
        assert_eq!(classify(text), Intent::OptOut, "{text:?}");
    }
}

pub(super) fn does_not_opt_out(texts: &[&str]) {
    for text in texts {
        assert_ne!(classify(text), Intent::OptOut, "{text:?}");
    }
}

#[test]
fn a_stop_sentence_beside_another_sentence() {
    opts_out(&[
        "I already did my interview last week. Stop.",
        "Please stop. I moved away and can't take part.",
        "Thanks for everything. Please stop texting now",
        "I'm not in the study anymore! STOP",
        "Got a new job; no more texts please",
    ]);
}

#[test]
fn indirect_and_polite_requests() {
    opts_out(&[
        "Would it be possible not to get these anymore?",
        "I'm finished with these reminders, thank you",
        "I no longer wish to receive them",
        "Please add me to your do-not-contact list",
        "This number is for work only, no texts",
        "Exit",
        "Kindly refrain from messaging me",
        "I'd rather not receive these",
    ]);
}

#[test]
fn typos_and_text_speak() {
    opts_out(&[
        "plz take my # off ur list",
        "stpo txting me",
        "unsubcribe",
        "pls remvoe me",
        "no mor msgs",
        "STOPP",
    ]);
}

#[test]
fn reactions_that_quote_our_text() {
    let ours = REMINDER;
    for wrapper in WRAPPERS {
        let text = wrapper.replace("{}", ours);
        assert_ne!(read(&text, "Rally").intent, Intent::OptOut, "{text:?}");
    }
    // Cut short by the phone, and with straight quotes.
    assert_ne!(
        read(
            "Liked \"Rally: Reminder: your interview starts at 3:00 P…",
            "Rally"
        )
        .intent,
        Intent::OptOut
    );
    assert_eq!(
        read(&format!("Stop texting me “{ours}”"), "Rally").intent,
        Intent::OptOut
    );
}

#[test]
fn requests_about_something_else() {
    does_not_opt_out(&[
        "Please unsubscribe me from your email newsletter",
        "I don't want the audio recorded",
        "No follow-up survey for me, thanks",
        "Please don't publish my recording",
        "No phone calls please, texts are fine",
        "Can you stop calling my office line and text instead?",
        "I need to cancel my appointment",
        "Take me off the waitlist, I found a time",
    ]);
}

#[test]
fn negation_and_taking_it_back() {
    does_not_opt_out(&[
        "Don't unsubscribe me!",
        "I didn't send stop, why did you say I'm unsubscribed?",
        "I opted out of your emails by mistake, put me back",
        "Please don't stop the reminders",
        "Sent STOP by accident, please keep texting me",
        "I don't want to stop getting these",
    ]);
}

#[test]
fn a_wish_that_the_texts_go_on_is_no_stop() {
    does_not_opt_out(&[
        "I don't want these reminders to end",
        "I wouldn't want you to stop texting me",
        "I'd hate for these texts to stop",
        "I'd hate it if the reminders stopped",
        "I'm not unsubscribing, just running late",
        "I did not opt out",
    ]);
    // The same words asking for the stop.
    for text in [
        "I don't want these texts please stop",
        "I don't want you to keep texting me",
        "I don't want these reminders anymore",
        "I'll be there, no need to keep texting me",
    ] {
        assert_eq!(read(text, "Rally").intent, Intent::OptOut, "{text:?}");
    }
}

#[test]
fn ten_languages() {
    for (text, lang) in [
        ("No me manden más mensajes", Lang::Es),
        ("Para", Lang::Es),
        ("Não quero mais receber mensagens", Lang::Pt),
        ("Arrêtez de m'envoyer des SMS", Lang::Fr),
        ("请不要再给我发短信了", Lang::Zh),
        ("請不要再傳簡訊給我", Lang::Zh),
        ("Đừng nhắn tin cho tôi nữa", Lang::Vi),
        ("dung nhan tin cho toi nua", Lang::Vi),
        ("Huwag na po kayong mag-text sa akin", Lang::Tl),
        ("أرجو التوقف عن إرسال الرسائل", Lang::Ar),
        ("문자 그만 보내주세요", Lang::Ko),
        ("Пожалуйста, больше не присылайте мне сообщения", Lang::Ru),
        ("Tanpri sispann voye mesaj ban mwen", Lang::Ht),
    ] {
        let reading = read(text, "Rally");
        assert_eq!(reading.intent, Intent::OptOut, "{text:?}");
        assert_eq!(reading.lang, lang, "{text:?}");
    }
    does_not_opt_out(&[
        "¿Para qué hora es la cita?",
        "Vou passar na parada de ônibus",
        "L'arrêt de bus est où ?",
        "我明天下午三点到，谢谢提醒",
        "Cảm ơn, tôi sẽ đến đúng giờ",
        "Salamat po, darating ako",
        "شكرا، سأحضر في الموعد",
        "감사합니다, 시간 맞춰 갈게요",
        "Спасибо, буду вовремя",
        "Mèsi, m ap la a lè",
    ]);
}

#[test]
fn any_text_is_read_without_a_panic() {
    // A fixed pseudo-random walk over characters that stress folding, quotes and
    // scripts: combining marks, dotless and dotted i, CJK, Hangul, Arabic marks, emoji.
    let pool: Vec<char> = "aZ 09.,!?;:'’\"“”«»「」#-*ıİßẞ\u{301}\u{64B}\u{200b}停止发短信문자보내지마توقفСТОПđĐ😀👍🛑…\n"
        .chars()
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..3000 {
        let len = (state % 24) as usize;
        let text: String = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                pool[(state % pool.len() as u64) as usize]
            })
            .collect();
        let reading = read(&text, "Rally");
        if reading.intent == Intent::OptOut {
            let shouted = format!("  {}  ", text.to_ascii_uppercase());
            assert_eq!(classify(&shouted), Intent::OptOut, "{text:?}");
        }
    }
}

#[test]
fn a_stop_sentence_beside_appointment_talk_is_a_stop() {
    for text in [
        "I'll be there at 3:30. Stop sending reminders.",
        "Thanks, see you Tuesday. Please stop texting me after that.",
    ] {
        assert_eq!(read(text, "Rally").intent, Intent::OptOut, "{text:?}");
    }
}

#[test]
fn a_keyword_asked_back_and_refused_is_no_stop() {
    does_not_opt_out(&[
        "Stop? No way, I'm excited for this.",
        "Unsubscribe? No, I typed stay. Autocorrect.",
        "I never said to stop messaging me.",
        "Cancel the reminder call, the texts are enough",
    ]);
    // Asked back, then asked for.
    for text in ["Stop? no more texts please", "STOP? no. STOP.", "stop?"] {
        assert_eq!(read(text, "Rally").intent, Intent::OptOut, "{text:?}");
    }
}

#[test]
fn a_stop_after_a_change_of_mind_wins_and_a_keep_after_a_stop_still_asks() {
    opts_out(&[
        "I told you to keep the texts coming, but on second thought, stop them.",
        "Never mind my last message, please unsubscribe me",
        "Long day at work. Anyway, please unsubscribe me.",
        "no quiero que sigan enviando recordatorios",
    ]);
    assert_eq!(
        classify("Stop texting me. Actually never mind, keep them"),
        Intent::Unclear
    );
}

#[test]
fn take_backs_refusals_and_other_channels_named_next_to_the_texts() {
    does_not_opt_out(&[
        "Stop? Why would I, I like them",
        "Please retract my opt out",
        "I want to withdraw my stop, sent it by accident",
        "Stop the robocalls please, texts are fine",
        "Unsubscribe me from the email reminders, keep the texts",
        "Drop me a text when the room is ready",
        "I need to update my phone number, this one is old",
        "هل ستتوقف الرسائل بعد المقابلة؟",
        "Titigil ba ang text kapag tapos na ang interview?",
    ]);
    opts_out(&["Drop the reminders please", "我要退出短信提醒"]);
}

#[test]
fn conditional_wishes_and_questions_of_who_sent_stop_keep_the_texts() {
    does_not_opt_out(&[
        "If I ever want the texts to stop I'll tell you",
        "I'll let you know if they should stop",
        "Who said stop?? Not me",
        "Stop the calendar invites, texts are enough",
    ]);
    opts_out(&[
        "Please disable the text reminders",
        "I'm moving away. Please don't reach me again",
        "how can I stop these",
    ]);
}

#[test]
fn a_demand_or_a_threat_is_a_stop() {
    opts_out(&[
        "Why won't you quit texting me? Stop!",
        "If you don't stop sending these I'm reporting this number",
        "Not one more text, please.",
        "Quit drinking last year and now quitting these texts too. Take me off",
        "Third time I ask: STOP",
        "I already said stop last month. Why do I still get these?",
    ]);
}

#[test]
fn a_keyword_asked_back_and_refused_in_any_language_is_no_stop() {
    does_not_opt_out(&[
        "Unsubscribe? No, I only wanted to ask about parking",
        "Отписаться? Нет, просто уточняю адрес",
        "退订？不用，我只是想改个时间",
        "Stop? Hindi, tanong lang po kung anong oras",
        "Opt out? Why, is the study over?",
    ]);
}

#[test]
fn a_condition_or_a_hypothetical_is_no_stop() {
    does_not_opt_out(&[
        "If you keep texting me reminders I'll surely show up on time",
        "I thought about opting out but I'll stay",
        "If I opt out of texts can I still do the interview?",
        "I'd text STOP but honestly these reminders save me",
    ]);
}

#[test]
fn a_complaint_alone_gets_the_one_clarifying_reply_and_with_a_stop_opts_out() {
    assert_eq!(classify("Why do you keep texting me?"), Intent::Unclear);
    opts_out(&["Why do you keep texting me? Stop it."]);
}

#[test]
fn a_reaction_in_another_language_with_a_word_left_asks_nothing() {
    let ours = "Rally: Reminder: your interview starts at 3:00 PM EST. Reply STOP to opt out, HELP for help.";
    for lead in ["强调了", "喜欢", "Curtiu", "A aimé"] {
        let text = format!("{lead}“{ours}”");
        assert_eq!(read(&text, "Rally").intent, Intent::Other, "{text}");
    }
}

#[test]
fn something_kept_other_than_the_texts_keeps_no_texts() {
    opts_out(&[
        "I still want to participate, just stop the SMS reminders",
        "Can you stop the text reminders but keep me enrolled?",
        "oubliez mon numéro svp",
        "esqueçam meu número",
    ]);
    does_not_opt_out(&["Stop the app notifications, the texts are enough"]);
}

#[test]
fn a_preference_for_another_channel_alone_stops_the_texts() {
    opts_out(&[
        "Please only contact me through email.",
        "I want letters only, no need for anything on my phone",
        "Solo por correo de ahora en adelante, por favor",
        "Calls are better for me. Switch me to email?",
        "Можно звонить, только без смс",
    ]);
    does_not_opt_out(&[
        "I only check email on weekends, so text me the address",
        "Unsubscribe me from the survey emails only",
        "Texts only please, no calls",
    ]);
}

#[test]
fn a_stop_that_asks_nothing_of_us() {
    for text in [
        "Will you stop the reminders once my last visit is done?",
        "Vão parar as mensagens quando eu terminar o estudo?",
        "I texted STOP to my bank yesterday, not to you",
    ] {
        assert_ne!(classify(text), Intent::OptOut, "{text:?}");
    }
    // Without a condition, the question is the demand it sounds like.
    opts_out(&["Are you ever going to stop texting me?"]);
}

#[test]
fn a_letter_or_two_is_never_read_as_a_stop_by_the_model() {
    does_not_opt_out(&["R", "C", "ok", "Y", "k"]);
}

#[test]
fn taking_back_the_last_message_in_other_languages() {
    does_not_opt_out(&[
        "Ignora mi último mensaje, me equivoqué de chat",
        "Desconsiderem minha última mensagem por favor",
        "Bliye dènye mesaj mwen an, se pa pou nou",
        "请忽略我上一条信息",
    ]);
}

#[test]
fn a_korean_clause_ends_at_its_connective() {
    assert_eq!(
        read("이사했으니 이제 문자 안 보내셔도 돼요", "Rally").intent,
        Intent::OptOut
    );
    assert_eq!(
        read("이사했으니 이제 문자 안 보내셔도 돼요", "Rally").lang,
        Lang::Ko
    );
}

#[test]
fn a_delighted_stop_gets_the_clarifying_reply_and_an_angry_one_opts_out() {
    for text in [
        "Stop! That's amazing, see you Friday",
        "stop it you're too kind 😂",
        "STOP, no way, I can't wait!",
    ] {
        assert_eq!(classify(text), Intent::Unclear, "{text:?}");
    }
    opts_out(&[
        "STOP. See you in court.",
        "Stop! lol. Stop texting me",
        "Stop, I mean it",
    ]);
}

#[test]
fn dictated_punctuation_negative_concord_and_so() {
    opts_out(&[
        "remove me comma my daughter handles my appointments now",
        "I don't want no more texts from y'all",
        "I moved away from the area so you can stop sending these",
        "I know I said keep them, but please stop the texts now",
    ]);
}

#[test]
fn a_timing_request_or_a_question_back_is_not_an_opt_out() {
    does_not_opt_out(&[
        "Stop texting me so early, anytime after 10 is fine",
        "Unsubscribe what? I only got one text",
        "End the step-count notifications in the app please",
    ]);
}

#[test]
fn a_question_how_a_keyword_works_is_asked_not_sent() {
    for text in [
        "What does UNSUBSCRIBE do exactly?",
        "what happens if i reply stop? do i lose my spot",
        "Would stopping the texts cancel my interview too?",
        "QUIT라고 보내면 어떻게 돼요?",
    ] {
        assert_ne!(classify(text), Intent::OptOut, "{text:?}");
    }
    opts_out(&["What do I have to do to stop these texts?"]);
}

#[test]
fn a_polite_no_answers_what_the_text_is_about() {
    assert_eq!(
        classify("No thanks, my sister is driving me there"),
        Intent::Unclear
    );
    opts_out(&["No thank you", "No thanks, please stop texting me"]);
}

#[test]
fn a_take_back_then_a_stop_is_a_change_of_mind() {
    opts_out(&["Disregard my last text, please do stop the reminders"]);
    does_not_opt_out(&[
        "Stop the Messenger messages please, texts are better",
        "Revoke my consent to share my data with the registry",
    ]);
}
