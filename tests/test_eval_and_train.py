"""`lurewatch eval` and `lurewatch train`: figures on labelled ads, reproducible models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from scoring.model import MODEL_PATH, load_model
from tests.helpers import run_cli

LABELLED = [
    {"id": "l1", "label": "lure", "title": "Typist", "text":
     "Typing job in Sihanoukville, USD 2,500 per month, no experience, free flight and visa, "
     "tourist visa is fine. Contact Telegram @hr_demo_a"},
    {"id": "l2", "label": "lure", "language": "vi", "text":
     "Tuyển gấp nhân viên chăm sóc khách hàng đi Campuchia, việc nhẹ lương cao 2000 USD, bao vé "
     "máy bay, đi bằng visa du lịch, không cần kinh nghiệm. Liên hệ Zalo."},
    {"id": "g1", "label": "legit", "title": "Accountant", "employer": "Mekong Audit Co., Ltd.",
     "text": "Mekong Audit Co., Ltd. in Phnom Penh seeks an accountant with three years of "
     "experience. Salary USD 700-900, NSSF, annual leave. Apply on our careers page."},
    {"id": "g2", "label": "legit", "language": "vi", "text":
     "Cửa hàng cần tuyển nhân viên bán hàng tại Hà Nội, lương 7 triệu, làm việc tại cửa hàng, "
     "phỏng vấn trực tiếp tại cửa hàng, có hợp đồng lao động và bảo hiểm xã hội."},
    {"id": "s1", "label": "scam", "text":
     "Work from home and earn $300 a day liking videos. Pay a $50 registration fee to "
     "activate your account. WhatsApp +1 555 0100."},
]


def test_eval_prints_overall_and_per_language_figures(tmp_path: Path):
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in LABELLED) + "\n{broken\n")
    done = run_cli("eval", str(path), "--json")
    assert done.returncode == 1  # the broken line is reported...
    assert "line 6" in done.stderr
    report = json.loads(done.stdout)  # ...and the rest still measured
    assert report["all"]["count"] == 5
    assert report["all"]["labels"] == {"lure": 2, "legit": 2, "scam": 1}
    assert report["all"]["roc_auc"] == 1.0
    assert {"en", "vi"} <= set(report)
    assert report["all"]["confusion"]["legit"]["high"] == 0
    table = run_cli("eval", str(path))
    assert "auc" in table.stdout and "confusion" in table.stdout


def test_train_is_reproducible_and_matches_the_shipped_model(tmp_path: Path):
    output = tmp_path / "model.npz"
    done = run_cli("train", "-o", str(output), timeout=600)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["seconds"] < 300
    fresh, shipped = load_model(output), load_model(MODEL_PATH)
    assert fresh.version == shipped.version
    assert fresh.vocabulary == shipped.vocabulary
    assert np.allclose(fresh.signal_weights, shipped.signal_weights, atol=1e-6)
    assert np.allclose(fresh.text_weights, shipped.text_weights, atol=1e-5)
