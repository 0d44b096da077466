"""Names of private messaging apps, as posters write them (including disguised spellings)."""

from __future__ import annotations

# App -> names. Latin names are also matched spelled out letter by letter ("t e l e g r a m",
# "t.e.l.e.g.r.a.m"), which normalisation turns into single-spaced letters.
APP_NAMES: dict[str, list[str]] = {
    "telegram": ["telegram", "telegramm", "telegrame", "tele gram", "telgram", "telegran", "tg",
                 "tele", "t me", "телеграм*", "телега", "тг", "텔레그램", "텔레", "텔그", "飞机",
                 "纸飞机", "飛機", "紙飛機", "电报", "電報", "小飞机", "เทเลแกรม", "เทเลแกรมส์",
                 "တယ်လီဂရမ်", "តេឡេក្រាម", "टेलीग्राम", "टेलिग्राम", "تلگرام", "ٹیلی گرام",
                 "টেলিগ্রাম", "ටෙලිග්රෑම්", "ໂທລະແກຣມ", "ቴሌግራም"],
    "whatsapp": ["whatsapp", "whats app", "whatapp", "watsapp", "wasap", "wassap", "whatsap",
                 "wa me", "ватсап*", "вацап*", "вотсап*", "واتساب", "व्हाट्सएप", "व्हाट्सऐप",
                 "वॉट्सऐप", "왓츠앱", "วอทส์แอป", "วอทแอพ", "ဝက်ဆပ်", "واٹس ایپ", "وٹس ایپ",
                 "হোয়াটসঅ্যাপ", "হোয়াটসঅ্যাপ", "වට්ස්ඇප්", "ວອດແອັບ", "ዋትስአፕ"],
    "line": ["line id", "id line", "line me", "ไลน์", "แอดไลน์", "แอดไลน", "ไอดีไลน์", "라인"],
    "wechat": ["wechat", "we chat", "weixin", "vx", "v信", "微信", "威信", "薇信", "wx", "微訊",
               "위챗"],
    "viber": ["viber", "vibe r", "ဗိုင်ဘာ", "вайбер", "ভাইবার", "वाइबर"],
    "zalo": ["zalo", "za lo", "dalo"],
    "qq": ["qq", "扣扣"],
    "kakaotalk": ["kakaotalk", "kakao talk", "kakao", "카톡", "카카오톡", "카카오", "오픈채팅",
                  "오픈카톡"],
    "signal": ["signal app"],
    "imo": ["imo app", "ইমো"],
}


def spelled_out(name: str) -> str | None:
    """"t e l e g r a m" for "telegram" (Latin names of five letters or more only)."""
    letters = name.replace(" ", "")
    if len(letters) < 5 or not letters.isascii() or not letters.isalpha():
        return None
    return " ".join(letters)
