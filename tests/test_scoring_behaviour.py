"""The scorer's behaviour on the cases domain.md names: lures, look-alikes, warnings, evasion."""

from __future__ import annotations

import pytest

from scoring.ad import Ad, AdError
from scoring.engine import default_scorer


def score(text: str, title: str = "", lang: str = "", **fields: str):
    return default_scorer().score(Ad(id="t", title=title, text=text, **fields), lang)


def fired(result) -> set[str]:
    return {signal.id for signal in result.signals}


def assert_spans_point_at_original(ad_fields: dict[str, str], result) -> None:
    for signal in result.signals:
        for evidence in signal.evidence:
            original = ad_fields[evidence["field"]]
            assert original[evidence["start"]:evidence["end"]] == evidence["text"]


LURE = ("URGENT!! Customer service staff needed in Sihanoukville, Cambodia. Salary USD 2,500 per "
        "month + commission on top. No experience needed, only basic typing. Free flight ticket, "
        "visa and accommodation. Tourist visa is fine, the company converts it later. Interview "
        "by Telegram only: @hr_demo_mina")


def test_classic_compound_lure_is_high_with_reasons_from_several_groups():
    result = score(LURE, title="Customer service – Cambodia")
    assert result.level == "high"
    assert result.category == "compound_lure"
    groups = {signal.group for signal in result.signals if signal.contribution > 0}
    assert {"visa_route", "channel", "offer"} <= groups
    assert_spans_point_at_original({"text": LURE, "title": "Customer service – Cambodia"},
                                   result)


def test_tourist_visa_for_work_raises_risk():
    base = ("Hotel receptionist wanted in Dubai. Salary AED 3,000. Send your CV on WhatsApp "
            "+971 50 000 0012.")
    with_visa = base + " You will travel on a visit visa and the company changes it later."
    assert score(with_visa).score > score(base).score
    assert "visa_route.tourist_visa_work" in fired(score(with_visa))


def test_licensed_agency_with_no_fees_is_low():
    text = ("DMW-licensed agency (License No. DMW-000-LB-00000-R) is hiring staff nurses for a "
            "government hospital in Riyadh. No placement fee. Employer pays visa and airfare. "
            "Written contract verified by the DMW. Apply at our office in Manila or on our "
            "careers page.")
    result = score(text, title="Staff nurses – Saudi Arabia", employer="Example Manpower Inc.")
    assert result.level == "low"
    assert {"legit.licensed_agency", "legit.no_fees"} & fired(result)


def test_police_warning_quoting_lure_phrases_is_low():
    text = ("WARNING from the police: beware of online job ads offering US$2,000 a month for "
            "typing in Cambodia with free flights and tourist visas. These are scams that lead to "
            "forced labour in scam compounds. Do not apply and do not send your passport. Report "
            "such ads to the hotline.")
    result = score(text, title="Scam alert")
    assert result.level in ("low", "medium")
    assert "warning.awareness" in fired(result)


def test_ordinary_local_ad_with_age_and_no_experience_is_not_high():
    text = ("Shop assistant wanted for our mobile phone shop in Mandalay. Age 18-30, no "
            "experience needed, we train you. Salary 350,000 kyat plus lunch. Interview "
            "immediately, call 09 000 000 123 (Viber).")
    assert score(text, title="Shop assistant").level != "high"


def test_advance_fee_scam_without_travel_is_an_employment_scam():
    text = ("Work from home data entry! Earn $300 per day, no experience. To activate your "
            "account pay a one-time registration fee of $45 by gift card. WhatsApp +1 555 0100 "
            "now, only 10 places left.")
    result = score(text, title="Data entry from home")
    assert result.level in ("medium", "high")
    assert result.category == "employment_scam"


@pytest.mark.parametrize("disguised", [
    "contact t e l e g r a m @hr_demo_mina",
    "contact tele\u200bgram @hr_demo_mina",
    "contact ｔｅｌｅｇｒａｍ @hr_demo_mina",
    "contact 𝐓𝐞𝐥𝐞𝐠𝐫𝐚𝐦 @hr_demo_mina",
    "contact Теlеgrаm @hr_demo_mina",
])
def test_disguised_messenger_names_are_found_and_spans_stay_on_the_original(disguised: str):
    text = f"Typing job abroad, good salary. {disguised}"
    result = score(text)
    assert "channel.messenger_contact" in fired(result)
    assert_spans_point_at_original({"text": text}, result)


@pytest.mark.parametrize(("language", "text"), [
    ("vi", "Tuyển gấp nhân viên chăm sóc khách hàng đi Campuchia, việc nhẹ lương cao 2000 USD, "
           "bao vé máy bay, bao ăn ở, không cần kinh nghiệm. Liên hệ Zalo 0900 000 111."),
    ("zh", "高薪招聘打字员，地点柬埔寨西港，月薪两万起，包吃包住，报销机票，无需经验，"
           "联系飞机 @hr_demo_zh"),
    ("th", "รับสมัครพนักงานแอดมิน ทำงานที่เมียวดี เงินเดือน 50,000 บาท งานสบาย "
           "ไม่ต้องมีประสบการณ์ มีที่พักฟรี ติดต่อไลน์ demo_th"),
    ("id", "Lowongan kerja di Kamboja, gaji fantastis 25 juta per bulan, tanpa pengalaman, "
           "tiket pesawat dan visa gratis, berangkat pakai visa turis. Hubungi WhatsApp."),
])
def test_lures_in_other_languages_are_flagged(language: str, text: str):
    result = score(text)
    assert result.language == language
    assert result.level in ("medium", "high")
    assert_spans_point_at_original({"text": text}, result)


def test_messages_follow_the_requested_language():
    english = {s.id: s.message for s in score(LURE).signals}
    spanish = {s.id: s.message for s in score(LURE, lang="es").signals}
    assert english.keys() == spanish.keys()
    assert any(english[k] != spanish[k] for k in english)


def test_reasons_are_ordered_by_contribution():
    contributions = [signal.contribution for signal in score(LURE).signals]
    assert contributions == sorted(contributions, reverse=True)


@pytest.mark.parametrize("text", [
    LURE,
    "Registered nurses wanted for an NHS trust in Leeds. Health and Care visa sponsored, no "
    "fees to workers. Apply on our careers site.",
    "Bên anh làm ở một khu nghỉ dưỡng phía bắc Lào, cần người biết tiếng Trung hỗ trợ khách "
    "hàng online. Bay ra Viêng Chăn có xe đón, bao ăn ở, đừng nói với ai nhé.",
])
def test_contributions_add_up_to_the_score(text: str):
    """Signals, combinations and the wording's share together give the score: nothing hidden."""
    import math

    scorer = default_scorer()
    result = score(text)
    model = scorer.model
    total = sum(signal.contribution for signal in result.signals)
    logit = total + model.platt_a * model.intercept + model.platt_b
    assert abs(100 / (1 + math.exp(-logit)) - result.score) <= 1.0
    wording = [s for s in result.signals if s.id == "wording.text_model"]
    assert len(wording) <= 1 and all(s.group == "wording" for s in wording)
    assert_spans_point_at_original({"text": text, "title": ""}, result)


def test_too_little_text_is_insufficient():
    assert score("Hiring now").level == "insufficient"
    assert score("").level == "insufficient"


def test_html_instead_of_text_keeps_offsets_on_the_original():
    html = ("<div><p>Typing job in <b>Cambodia</b>, $2000/month, free visa and flight.</p>"
            "<p>Contact <a href='https://t.me/hr_demo_x'>Telegram</a></p></div>")
    result = score(html)
    assert result.level in ("medium", "high")
    assert_spans_point_at_original({"text": html}, result)


def test_huge_and_binary_looking_text_gives_an_answer():
    huge = ("Normal text about an office job in Lisbon. " * 30000)[:1_000_000]
    assert score(huge).level in ("low", "medium", "high", "insufficient")
    binaryish = "".join(chr(c) for c in range(1, 2000)) + "\udcff\ufffd"
    assert score(binaryish).score >= 0


def test_bad_ad_objects_raise_ad_error_with_the_field_name():
    with pytest.raises(AdError, match="id"):
        Ad.from_dict({"title": "x"})
    with pytest.raises(AdError, match="text"):
        Ad.from_dict({"id": "1", "text": ["not", "a", "string"]})
    with pytest.raises(AdError):
        Ad.from_dict("not an object")


def test_control_characters_do_not_shift_evidence_offsets():
    text = "Typing\x01 job\x00 in Cambodia,\x07 free visa. Contact Telegram @hr_demo_ctl"
    result = score(text)
    assert "channel.messenger_contact" in fired(result)
    assert_spans_point_at_original({"text": text}, result)


@pytest.mark.parametrize("text, language", [
    ("Manila mein kaam hai, koi scam nahi hai yaar, company sab set karti hai", "hi"),
    ("यह धोखा नहीं है, कंपनी सब इंतज़ाम करती है", "hi"),
])
def test_a_denial_after_the_warning_word_reads_as_reassurance(text: str, language: str):
    from scoring.signals import detect

    found = detect(Ad(id="d", title="", text=text, language=language))
    assert "warning.awareness" not in found.evidence
    assert "process.reassurance" in found.evidence


def test_a_warning_word_without_a_denial_stays_a_warning():
    from scoring.signals import detect

    found = detect(Ad(id="w", title="", text="Naukri scam se bacho, police ko report karo",
                      language="hi"))
    assert "warning.awareness" in found.evidence


@pytest.mark.parametrize("text, language, signal", [
    ("Sabi ni boss tourist visa muna, tapos ayos na lahat", "tl", "visa_route.tourist_visa_work"),
    ("Bila sampai, kena bayar processing fee dulu", "ms", "fees.worker_pays"),
    ("Non-refundable registration fee of $50 before the interview", "en", "fees.worker_pays"),
])
def test_words_that_negate_only_in_another_language_do_not_cancel_a_signal(
        text: str, language: str, signal: str):
    from scoring.signals import detect

    assert signal in detect(Ad(id="n", title="", text=text, language=language)).evidence


@pytest.mark.parametrize("text, language", [
    ("Hindi po kami naniningil ng placement fee", "tl"),
    ("Hatuombi ada yoyote, si lazima kulipa registration fee", "sw"),
])
def test_a_negation_of_the_ads_own_language_still_cancels_a_fee(text: str, language: str):
    from scoring.signals import detect

    assert "fees.worker_pays" not in detect(Ad(id="n", title="", text=text,
                                               language=language)).evidence


def test_a_batch_scores_each_ad_as_if_it_were_alone():
    """Batches are analysed stage by stage; nothing of one ad may leak into another's answer."""
    ads = [
        Ad(id="lure", title="Customer service", text=LURE),
        Ad(id="empty", title="", text=""),
        Ad(id="local", title="Cashier", text="Supermarket in Leeds needs a cashier, 18+, no "
           "experience needed. Apply in store.", employer="Example Foods Ltd"),
        Ad(id="warning", title="", text="Beware: fake jobs in Myawaddy promise free visa and "
           "flights. Report recruiters to the hotline 1234."),
        Ad(id="thai", title="", text="รับสมัครพนักงาน แอดมิน ทำงานที่กัมพูชา เงินเดือน 40,000 บาท "
           "บินฟรี ติดต่อทาง Telegram"),
    ]
    scorer = default_scorer()
    alone = [scorer.score(ad).to_dict() for ad in ads]
    together = [result.to_dict() for result in scorer.score_many(ads)]
    assert together == alone
    assert together[0]["level"] == "high"
    assert together[1]["level"] == "insufficient"


def test_an_employer_field_that_only_describes_names_nobody():
    text = ("Customer service staff for our office abroad, apply at jobs@example.com. "
            "Interview on Telegram.")
    described = fired(score(text, employer="Online game company"))
    assert "legit.named_employer" not in described
    assert "employer.opaque" in described
    named = fired(score(text, employer="Harbourline Services Ltd"))
    assert "legit.named_employer" in named
    assert "employer.opaque" not in named


@pytest.mark.parametrize(("text", "named"), [
    ("รับสมัครพนักงาน บริษัทคู่ค้าในต่างประเทศ ติดต่อทางไลน์", False),
    ("รับสมัครพนักงาน บริษัท สยามตัวอย่าง จำกัด ติดต่อฝ่ายบุคคล", True),
    ("Требуются операторы, компания за рубежом, пишите в Telegram", False),
    ("Требуются операторы в ООО Пример, пишите на hr@example.com", True),
])
def test_the_plain_word_for_company_is_not_a_legal_entity(text: str, named: bool):
    found = fired(score(text, employer="HR"))
    assert ("legit.named_employer" in found) == named
