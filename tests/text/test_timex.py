import datetime as dt

from pipelines.text.claims import hedges
from pipelines.text.timex import find_time_expressions


def found(text, published=None):
    return [(text[t.start:t.end], t.kind, t.year, t.month, t.anchor) for t in find_time_expressions(text, published)]


def test_years_and_dates():
    assert found("In 2005 talks began; from 2016 on they stalled. In April 2004 and on Sept. 11, 2001.") == [
        ("2005", "year", 2005, None, None), ("2016", "year", 2016, None, None),
        ("April 2004", "date", 2004, 4, None), ("Sept. 11, 2001", "date", 2001, 9, None)]


def test_relative_resolved_from_previous_year():
    assert found("In 2010, it detained him, and released him eight years later.")[-1] == (
        "eight years later", "relative", 2018, None, "2010")


def test_last_year_needs_publication_date():
    assert found("Last year it signed a deal.")[0][2] is None
    assert found("Last year it signed a deal.", dt.date(2021, 8, 14))[0][2:] == (2020, None, "publication")


def test_event_anchor_and_duration():
    assert found("Eight days after 9/11 he spoke. For twenty years they waited.") == [
        ("Eight days after", "relative", 2001, 9, "9/11"),
        ("9/11", "event", 2001, 9, "9/11"), ("For twenty years", "duration", None, None, None)]


def test_numbers_that_are_not_years():
    assert found("It cost $2000 and 1,999 people came; 3000% growth.") == []


LOCAL_NEWS = ("Councillors met on Tuesday and will vote again on Monday. The scheme began in March and closes in "
              "September. Work starts next spring, after a summer of surveys, and should finish by the end of the "
              "year. The consultation ended on 14 May.")


def test_local_news_dates_are_all_found_and_resolved():
    published = dt.date(2025, 5, 21)  # a Wednesday
    found = {LOCAL_NEWS[t.start:t.end]: t for t in find_time_expressions(LOCAL_NEWS, published)}
    expected = {"Tuesday", "Monday", "March", "September", "next spring", "summer", "the end of the year", "14 May"}
    assert expected <= set(found)
    assert all(found[s].resolved_start is not None for s in expected)
    assert found["14 May"].resolved_start == dt.date(2025, 5, 14)
    assert found["Monday"].resolved_start == dt.date(2025, 5, 26)  # "will vote": the coming Monday


def test_month_may_is_not_a_hedge_but_the_verb_is():
    assert hedges("The consultation ended on 14 May.") == []
    assert hedges("In May the council met, and by May 2026 it closes.") == []
    assert hedges("The council may close the library.") == ["may"]


def test_a_trigger_of_plain_words_is_found_as_its_pattern_finds_it():
    import re

    from pipelines.text.timex_patterns import _trigger_spans

    trigger = re.compile(r"tonight|night|today|day")
    text = "tonight, not last night: today is the day (midday, daylong) and tonightnight"
    assert list(_trigger_spans(text, trigger)) == [m.span() for m in trigger.finditer(text)]
    assert list(_trigger_spans("no such words here", trigger)) == []


def test_windows_are_skipped_only_without_a_needed_word_and_never_with_a_case_blind_letter():
    from pipelines.text.timex_patterns import _needed_words, find_candidates

    text = "Prices rose over the past few weeks, the Coming Months will tell, and the report is weeks late."
    assert _needed_words("vague", text, text.lower())[0] == ("few", "recent", "coming", "several")
    assert _needed_words("duration", text, text.lower()) is None
    assert _needed_words("vague", "ſeveral weeks", "ſeveral weeks") is None  # a case-blind `s`
    found = [(c.form, text[c.start:c.end]) for c in find_candidates(text)]
    assert found == [("span_n", "the past few weeks"), ("vague", "the Coming Months")]
