"""Storage on SQLite and PostgreSQL: migrations, the db and keys commands, reviews as training
data, and listings stored the way the crawler stores them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from lurewatch.storage.db import create_tables, make_engine
from lurewatch.storage.keys import hash_key
from lurewatch.storage.listings import store_listing
from lurewatch.storage.migrate import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    head_revision,
)
from lurewatch.storage.models import ApiKey, Listing
from lurewatch.storage.reviews import add_review, reviewed_examples
from tests.api_fixtures import seed_listings
from tests.helpers import run_cli


def test_db_upgrade_command_migrates_an_empty_database(database_url: str):
    done = run_cli("db", "upgrade", env={"LUREWATCH_DATABASE_URL": database_url})
    assert done.returncode == 0, done.stderr
    assert "upgraded from empty" in done.stderr
    engine = make_engine(database_url)
    assert current_revision(engine) == head_revision()
    again = run_cli("db", "upgrade", env={"LUREWATCH_DATABASE_URL": database_url})
    assert again.returncode == 0 and "up to date" in again.stderr
    engine.dispose()


def test_head_revision_constant_matches_the_scripts():
    assert head_revision() == HEAD_REVISION


def test_database_made_before_migrations_is_stamped_and_upgraded(database_url: str):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(sa.text("DROP TABLE alembic_version"))
        connection.execute(sa.text("INSERT INTO listing (url, source, title, text, employer, "
                                   "location, location_country, salary, date_posted_raw, "
                                   "fetched_at, rendered, extraction, raw, language, score, "
                                   "level, category, signals, model_version, content_hash, "
                                   "cluster, review_status) VALUES ('u', 's', 't', 'x', '', '', "
                                   "'', '', '', '2026-01-01', false, '', '{}', 'en', 5, 'low', "
                                   "'none', '[]', 'm', '', '', 'unreviewed')"))
        connection.commit()
    assert current_revision(engine) is None
    create_tables(engine)
    assert current_revision(engine) == head_revision()
    with Session(engine) as session:
        assert [row.title for row in session.exec(select(Listing))] == ["t"]
    engine.dispose()


def test_keys_create_prints_the_key_alone_and_stores_only_its_hash(database_url: str):
    done = run_cli("keys", "create", "--role", "platform", "--name", "board",
                   env={"LUREWATCH_DATABASE_URL": database_url})
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    assert done.stdout == key + "\n" and key.startswith("lw_") and len(key) > 40
    engine = make_engine(database_url)
    with Session(engine) as session:
        [row] = session.exec(select(ApiKey)).all()
    assert row.key_hash == hash_key(key) and row.role == "platform" and key not in row.key_hash
    engine.dispose()
    bad = run_cli("keys", "create", "--role", "root", env={"LUREWATCH_DATABASE_URL": database_url})
    assert bad.returncode == 2
    env = {"LUREWATCH_DATABASE_URL": database_url}
    listed = run_cli("keys", "list", env=env)
    assert listed.returncode == 0 and listed.stdout.split("\t")[:4] == [
        str(row.id), key[:10], "platform", "active"] and key not in listed.stdout
    revoked = run_cli("keys", "revoke", key[:10], env=env)
    assert revoked.returncode == 0, revoked.stderr
    assert "\trevoked\t" in run_cli("keys", "list", env=env).stdout
    missing = run_cli("keys", "revoke", "lw_nothere", env=env)
    assert missing.returncode == 2 and "no single key" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_reviewed_examples_follow_the_latest_decision(database_url: str):
    ids = seed_listings(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        def review(name: str, decision: str) -> None:
            add_review(session, session.get(Listing, ids[name]), decision, "", "tester")

        review("typist", "needs_follow_up")
        review("typist", "confirmed_lure")
        review("nurse", "confirmed_lure")
        review("nurse", "false_positive")
        review("game", "confirmed_lure")
        review("game", "escalated")
    engine.dispose()
    examples = reviewed_examples(database_url)
    labels = {example.ad.id: example.label for example in examples}
    assert labels == {f"review-{ids['typist']}": "lure", f"review-{ids['nurse']}": "legit"}
    typist = next(e for e in examples if e.label == "lure")
    assert "Sihanoukville" in typist.ad.text


def test_store_listing_reads_iso_dates_and_shares_handles(database_url: str):
    engine = make_engine(database_url)
    create_tables(engine)
    with Session(engine) as session:
        first = store_listing(session, {"url": "a", "title": "A", "text": "x",
                                        "date_posted": "2026-11-30T08:00:00Z",
                                        "fetched_at": "2026-12-01T09:30:00"},
                              [{"channel": "telegram", "value": "hr_x"}])
        second = store_listing(session, {"url": "b", "title": "B", "text": "y",
                                         "date_posted": "not a date"},
                               [{"channel": "telegram", "value": "hr_x"},
                                {"channel": "telegram", "value": "hr_x"}])
        session.commit()
        assert first.date_posted is not None and first.date_posted.day == 30
        assert first.fetched_at.hour == 9 and second.date_posted is None
    engine.dispose()
