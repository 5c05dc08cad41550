//! The opt-out confirmation in the language the person wrote in: the product name,
//! that no more messages will come, and how to start again (START, the keyword we
//! read in every language).
use super::lexicon::Lang;

pub fn opt_out_text(lang: Lang, product: &str) -> String {
    match lang {
        Lang::En => format!("{product}: You are unsubscribed and will get no more messages. Reply START to resubscribe."),
        Lang::Es => format!("{product}: Se canceló su suscripción y no recibirá más mensajes. Responda START para volver a suscribirse."),
        Lang::Pt => format!("{product}: Sua inscrição foi cancelada e você não receberá mais mensagens. Responda START para voltar a receber."),
        Lang::Fr => format!("{product}: Vous êtes désabonné(e) et ne recevrez plus de messages. Répondez START pour vous réabonner."),
        Lang::Zh => format!("{product}：您已退订，将不再收到任何短信。回复 START 可重新订阅。"),
        Lang::Tl => format!("{product}: Naka-unsubscribe ka na at hindi ka na makakatanggap ng mga mensahe. Mag-reply ng START para mag-subscribe muli."),
        Lang::Vi => format!("{product}: Bạn đã hủy đăng ký và sẽ không nhận thêm tin nhắn nào. Trả lời START để đăng ký lại."),
        Lang::Ar => format!("{product}: تم إلغاء اشتراكك ولن تصلك رسائل أخرى. أرسل START لإعادة الاشتراك."),
        Lang::Ko => format!("{product}: 수신 거부가 완료되어 더 이상 메시지를 받지 않습니다. 다시 받으시려면 START라고 답장하세요."),
        Lang::Ru => format!("{product}: Вы отписались и больше не будете получать сообщения. Чтобы подписаться снова, ответьте START."),
        Lang::Ht => format!("{product}: Ou dezabòne, ou p ap resevwa lòt mesaj ankò. Reponn START pou w abòne ankò."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_confirmation_names_the_product_and_how_to_start_again() {
        for lang in [
            Lang::En,
            Lang::Es,
            Lang::Zh,
            Lang::Tl,
            Lang::Vi,
            Lang::Ar,
            Lang::Fr,
            Lang::Ko,
            Lang::Ru,
            Lang::Ht,
            Lang::Pt,
        ] {
            let text = opt_out_text(lang, "Rally");
            assert!(text.starts_with("Rally"), "{text}");
            assert!(text.contains("START"), "{text}");
        }
        assert_ne!(
            opt_out_text(Lang::Es, "Rally"),
            opt_out_text(Lang::En, "Rally")
        );
    }
}
