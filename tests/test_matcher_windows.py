"""The matcher runs lexicon regexes only in windows around their trigger words; it must still
find every match a search of the whole text finds."""

from __future__ import annotations

from scoring.corpus import load_corpus
from scoring.language import detect_language
from scoring.matcher import default_matcher
from scoring.normalize import clean, phrase_view


def test_windowed_regexes_find_every_match_of_a_whole_text_search():
    matcher = default_matcher()
    checked = 0
    for example in load_corpus():
        joined = f"{example.ad.title}\n{example.ad.text}"
        language = detect_language(joined)
        phrase = phrase_view(clean(joined)).text
        files = matcher.regex_files(joined, language)
        found = {(hit.key, hit.start, hit.end) for hit in matcher.find(phrase, language, files)}
        for index, (signal_id, pattern) in enumerate(matcher.regexes):
            if matcher.regex_file[index] not in files:
                continue
            for match in pattern.finditer(phrase):
                if match.end() > match.start():
                    checked += 1
                    assert (signal_id, match.start(), match.end()) in found, (
                        example.ad.id, signal_id, match.group())
    assert checked > 800  # the corpus exercises the regexes
