"""Language detection: CLD2, with a shortcut for scripts only one language is written in."""

from __future__ import annotations

import pytest

from scoring.language import detect_language


@pytest.mark.parametrize(("text", "language"), [
    ("รับสมัครพนักงานแอดมินออนไลน์ ทำงานที่บริษัทในกรุงเทพฯ เงินเดือนตามโครงสร้าง", "th"),
    ("ស្វែងរកបុគ្គលិកផ្នែកលក់ នៅភ្នំពេញ ប្រាក់ខែសមរម្យ ទាក់ទងការិយាល័យ", "km"),
    ("ဝန်ထမ်းခေါ်ယူခြင်း ရန်ကုန်မြို့ ကုမ္ပဏီ ရုံးချိန် လစာညှိနှိုင်း", "my"),
    ("고객 상담 직원을 모집합니다 서울 본사 근무 경력 무관 급여 협의", "ko"),
    ("Customer service staff wanted for our Bangkok office, apply on our careers page.", "en"),
])
def test_languages_are_told(text: str, language: str):
    assert detect_language(text) == language


def test_a_few_words_of_thai_in_an_english_ad_do_not_make_it_thai():
    text = ("We are hiring a customer service officer for our hotel in Chiang Mai. You will "
            "welcome guests, answer calls and e-mails and help with bookings. Thai and English "
            "required. Apply through our website. ติดต่อ ฝ่ายบุคคล")
    assert detect_language(text) == "en"
