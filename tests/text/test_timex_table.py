"""A table of time expressions in context (British and American forms), each with its expected kind
and resolution against a publication date of Wednesday 15 May 2024."""

import datetime as dt

import pytest

from pipelines.text.timex import find_time_expressions

PUB = dt.date(2024, 5, 15)  # a Wednesday
D = dt.date

# sentence, the expression as written, kind, (first day, last day, granularity) or the unresolved reason
CASES = [
    ("The minister resigned on 14 May 2024.", "14 May 2024", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("The vote was held on May 14, 2024.", "May 14, 2024", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("The form was signed on 14/05/2024 in Leeds.", "14/05/2024", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("Filed 05/14/2024, the complaint was dropped.", "05/14/2024", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("Records from 14.05.2024 were lost.", "14.05.2024", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("Mr Hale signed on 04/05/2024.", "04/05/2024", "date", (D(2024, 5, 4), D(2024, 5, 4), "day")),
    ("Mr. Hale signed on 04/05/2024.", "04/05/2024", "date", (D(2024, 4, 5), D(2024, 4, 5), "day")),
    ("Records dated 2024-03-02 were released.", "2024-03-02", "date", (D(2024, 3, 2), D(2024, 3, 2), "day")),
    ("The council met on 3 March and agreed the budget.", "3 March", "date", (D(2024, 3, 3), D(2024, 3, 3), "day")),
    ("Talks resume on June 3 and ministers will attend.", "June 3", "date", (D(2024, 6, 3), D(2024, 6, 3), "day")),
    ("The scheme closed on June 3.", "June 3", "date", (D(2023, 6, 3), D(2023, 6, 3), "day")),
    ("The attack came on Sept. 11, 2001.", "Sept. 11, 2001", "date", (D(2001, 9, 11), D(2001, 9, 11), "day")),
    ("It was agreed on the 14th of May.", "the 14th of May", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("The hearing was on Tuesday, 14 May.", "Tuesday, 14 May", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("The hearing was on Tuesday, May 14.", "Tuesday, May 14", "date", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("The deadline is the 20th, and bids will be opened then.", "the 20th", "date", (D(2024, 5, 20), D(2024, 5, 20), "day")),
    ("It happened on the 2nd, the police said.", "the 2nd", "date", (D(2024, 5, 2), D(2024, 5, 2), "day")),
    ("The firm was founded in April 2004.", "April 2004", "date", (D(2004, 4, 1), D(2004, 4, 30), "month")),
    ("The firm was founded in April of 2004.", "April of 2004", "date", (D(2004, 4, 1), D(2004, 4, 30), "month")),
    ("On Tuesday the mayor announced a review.", "Tuesday", "weekday", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("The bill will be debated on Monday.", "Monday", "weekday", (D(2024, 5, 20), D(2024, 5, 20), "day")),
    ("The show aired on Saturday night.", "Saturday night", "weekday", (D(2024, 5, 11), D(2024, 5, 11), "day")),
    ("Before Friday's vote, nobody spoke.", "Friday", "weekday", (D(2024, 5, 10), D(2024, 5, 10), "day")),
    ("Last Friday a fire broke out.", "Last Friday", "relative", (D(2024, 5, 10), D(2024, 5, 10), "day")),
    ("Last Tuesday's meeting ran late.", "Last Tuesday", "relative", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("Next Thursday the results will be published.", "Next Thursday", "relative", (D(2024, 5, 16), D(2024, 5, 16), "day")),
    ("In March the factory closed.", "March", "month", (D(2024, 3, 1), D(2024, 3, 31), "month")),
    ("Work starts in September, and the firm says it will hire 200.", "September", "month",
     (D(2024, 9, 1), D(2024, 9, 30), "month")),
    ("The scheme ended in September.", "September", "month", (D(2023, 9, 1), D(2023, 9, 30), "month")),
    ("Trading fell in May.", "May", "month", (D(2024, 5, 1), D(2024, 5, 31), "month")),
    ("Sales rose last March.", "last March", "relative", (D(2024, 3, 1), D(2024, 3, 31), "month")),
    ("The plant will reopen next January.", "next January", "relative", (D(2025, 1, 1), D(2025, 1, 31), "month")),
    ("In April 2004 he joined, and in May he left.", "May", "month", (D(2004, 5, 1), D(2004, 5, 31), "month")),
    ("Building begins next spring.", "next spring", "relative", (D(2025, 3, 1), D(2025, 5, 31), "season")),
    ("Prices rose sharply over the summer.", "summer", "season", (D(2023, 6, 1), D(2023, 8, 31), "season")),
    ("The report is due in the autumn.", "autumn", "season", (D(2024, 9, 1), D(2024, 11, 30), "season")),
    ("Last winter was the coldest in years.", "Last winter", "relative", (D(2023, 12, 1), D(2024, 2, 29), "season")),
    ("In the fall of 2015 the campaign began.", "fall of 2015", "season", (D(2015, 9, 1), D(2015, 11, 30), "season")),
    ("Summer 2005 was the wettest on record.", "Summer 2005", "season", (D(2005, 6, 1), D(2005, 8, 31), "season")),
    ("He was born in the spring of 1950.", "spring of 1950", "season", (D(1950, 3, 1), D(1950, 5, 31), "season")),
    ("The firm expects profits by the end of the year.", "the end of the year", "relative",
     (D(2024, 9, 1), D(2024, 12, 31), "year")),
    ("A decision is expected early next month.", "early next month", "relative", (D(2024, 6, 1), D(2024, 6, 10), "month")),
    ("The new rules apply from the end of next month.", "the end of next month", "relative",
     (D(2024, 6, 21), D(2024, 6, 30), "month")),
    ("Sales slowed earlier this year.", "earlier this year", "relative", (D(2024, 1, 1), D(2024, 5, 15), "year")),
    ("The sale should close later this month.", "later this month", "relative", (D(2024, 5, 15), D(2024, 5, 31), "month")),
    ("The plant closed in late 2004.", "late 2004", "year", (D(2004, 9, 1), D(2004, 12, 31), "year")),
    ("By mid-2015 the debt had doubled.", "mid-2015", "year", (D(2015, 5, 1), D(2015, 8, 31), "year")),
    ("Growth returned at the start of 2019.", "the start of 2019", "year", (D(2019, 1, 1), D(2019, 4, 30), "year")),
    ("Unemployment peaked in the 1980s.", "the 1980s", "decade", (D(1980, 1, 1), D(1989, 12, 31), "decade")),
    ("Profits rose in the first quarter.", "the first quarter", "quarter", (D(2024, 1, 1), D(2024, 3, 31), "quarter")),
    ("Sales fell in the third quarter of 2004.", "the third quarter of 2004", "quarter",
     (D(2004, 7, 1), D(2004, 9, 30), "quarter")),
    ("Growth slowed in Q4 2023.", "Q4 2023", "quarter", (D(2023, 10, 1), D(2023, 12, 31), "quarter")),
    ("Growth slowed last quarter.", "last quarter", "relative", (D(2024, 1, 1), D(2024, 3, 31), "quarter")),
    ("Turnover rose last year.", "last year", "relative", (D(2023, 1, 1), D(2023, 12, 31), "year")),
    ("The law changes next year.", "next year", "relative", (D(2025, 1, 1), D(2025, 12, 31), "year")),
    ("Inflation is high this year.", "this year", "relative", (D(2024, 1, 1), D(2024, 12, 31), "year")),
    ("The strike ended last week.", "last week", "relative", (D(2024, 5, 6), D(2024, 5, 12), "week")),
    ("The inquiry opens next week.", "next week", "relative", (D(2024, 5, 20), D(2024, 5, 26), "week")),
    ("Talks continue this week.", "this week", "relative", (D(2024, 5, 13), D(2024, 5, 19), "week")),
    ("Rates rose last month.", "last month", "relative", (D(2024, 4, 1), D(2024, 4, 30), "month")),
    ("The vote is next month.", "next month", "relative", (D(2024, 6, 1), D(2024, 6, 30), "month")),
    ("The shop opened two years ago.", "two years ago", "relative", (D(2022, 1, 1), D(2022, 12, 31), "year")),
    ("She was elected three months ago.", "three months ago", "relative", (D(2024, 2, 1), D(2024, 2, 29), "month")),
    ("He was released eight days ago.", "eight days ago", "relative", (D(2024, 5, 7), D(2024, 5, 7), "day")),
    ("The mill shut a decade ago.", "a decade ago", "relative", (D(2014, 1, 1), D(2014, 12, 31), "year")),
    ("The company will list in three months.", "in three months", "relative", (D(2024, 8, 1), D(2024, 8, 31), "month")),
    ("Results are due in two weeks' time.", "in two weeks' time", "relative", (D(2024, 5, 27), D(2024, 6, 2), "week")),
    ("Yesterday the court ruled.", "Yesterday", "relative", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("The verdict is expected tomorrow.", "tomorrow", "relative", (D(2024, 5, 16), D(2024, 5, 16), "day")),
    ("Ministers meet today.", "today", "relative", (D(2024, 5, 15), D(2024, 5, 15), "day")),
    ("Police were called last night.", "last night", "relative", (D(2024, 5, 14), D(2024, 5, 14), "day")),
    ("In 2010 the firm was sold, and it was sold again eight years later.", "eight years later", "relative",
     (D(2018, 1, 1), D(2018, 12, 31), "year")),
    ("On 3 March 2020 the mine flooded; a week later it closed.", "a week later", "relative",
     (D(2020, 3, 9), D(2020, 3, 15), "week")),
    ("On 3 March 2020 the mine flooded. The previous day, rain fell.", "The previous day", "relative",
     (D(2020, 3, 2), D(2020, 3, 2), "day")),
    ("In 2010 the firm moved, and the following year it closed.", "the following year", "relative",
     (D(2011, 1, 1), D(2011, 12, 31), "year")),
    ("Eight days after 9/11, the talks began.", "Eight days after", "relative", (D(2001, 9, 19), D(2001, 9, 19), "day")),
    ("Two years before 2016, the deal collapsed.", "Two years before", "relative", (D(2014, 1, 1), D(2014, 12, 31), "year")),
    ("Ten years after the 9/11 attacks, he spoke.", "Ten years after", "relative", (D(2011, 1, 1), D(2011, 12, 31), "year")),
    ("The museum was shut from 2010 to 2015.", "from 2010 to 2015", "range", (D(2010, 1, 1), D(2015, 12, 31), "year")),
    ("Between 2001 and 2004 the unit shrank.", "Between 2001 and 2004", "range", (D(2001, 1, 1), D(2004, 12, 31), "year")),
    ("The 2010-15 parliament passed it.", "2010-15", "range", (D(2010, 1, 1), D(2015, 12, 31), "year")),
    ("In the 2004/05 season he scored 20 goals.", "2004/05", "range", (D(2004, 1, 1), D(2005, 12, 31), "year")),
    ("The festival runs 14-16 May.", "14-16 May", "range", (D(2024, 5, 14), D(2024, 5, 16), "day")),
    ("The festival runs May 14-16, 2025.", "May 14-16, 2025", "range", (D(2025, 5, 14), D(2025, 5, 16), "day")),
    ("Roadworks last from March to May 2025.", "from March to May 2025", "range", (D(2025, 3, 1), D(2025, 5, 31), "month")),
    ("Over the past five years, costs doubled.", "the past five years", "duration",
     (D(2019, 5, 15), D(2024, 5, 15), "year")),
    ("The next two weeks are crucial, officials said.", "The next two weeks", "duration",
     (D(2024, 5, 15), D(2024, 5, 29), "week")),
    ("He was jailed for twenty years.", "for twenty years", "duration", "duration"),
    ("The five-year plan was dropped.", "five-year", "duration", "duration"),
    ("It was the biggest fall in five years.", "in five years", "duration", "duration"),
    ("House prices have risen in recent years.", "in recent years", "relative", "vague"),
    ("Talks will continue in the coming weeks.", "in the coming weeks", "relative", "vague"),
    ("In 2010 the firm moved; two months later it closed.", "two months later", "relative", "anchor_too_coarse"),
    ("Polls closed (Jan. 27-Feb. 1) early.", "Jan. 27-Feb. 1", "range", (D(2024, 1, 27), D(2024, 2, 1), "day")),
    ("Sales rose in the first quarter of the year.", "the first quarter of the year", "quarter",
     (D(2024, 1, 1), D(2024, 3, 31), "quarter")),
    ("Shares fell over the past week.", "the past week", "relative", (D(2024, 5, 8), D(2024, 5, 15), "week")),
    ("The minister said Wednesday that talks had failed.", "Wednesday", "weekday", (D(2024, 5, 15), D(2024, 5, 15), "day")),
    ("In 2009 the duty was raised.\n\nIn March a new tariff came.", "March", "month", (D(2024, 3, 1), D(2024, 3, 31), "month")),
    ("WEDNESDAY’S NEWS: the council met.", "WEDNESDAY", "weekday", (D(2024, 5, 15), D(2024, 5, 15), "day")),
    ("The weeks-long strike ended.", "weeks-long", "duration", "duration"),
]


@pytest.mark.parametrize(("sentence", "surface", "kind", "expected"), CASES, ids=[c[1] for c in CASES])
def test_expression_in_context(sentence, surface, kind, expected):
    found = {sentence[t.start:t.end]: t for t in find_time_expressions(sentence, PUB)}
    assert surface in found, f"{surface!r} not found; got {list(found)}"
    t = found[surface]
    assert t.kind == kind
    if isinstance(expected, str):
        assert (t.resolved_start, t.unresolved_reason) == (None, expected)
    else:
        assert (t.resolved_start, t.resolved_end, t.granularity, t.unresolved_reason) == (*expected, None)


NOT_TIME = [
    "Theresa May said the plan was sound.",
    "The march began at noon.",
    "March organisers said turnout was high.",
    "May I ask a question?",
    "The Arab Spring changed the region.",
    "The 26-year-old striker scored.",
    "It cost £2000 and 1,999 people came.",
    "The 20th century was violent.",
    "April Ryan asked the question.",
    "Shops open on Sundays.",
]


@pytest.mark.parametrize("sentence", NOT_TIME)
def test_words_that_are_not_time(sentence):
    assert [sentence[t.start:t.end] for t in find_time_expressions(sentence, PUB)] == []


def test_table_is_large_enough():
    assert len(CASES) >= 80


WITHOUT_PUBLICATION = [
    ("Last year it signed a deal.", "Last year", "no_publication_date"),
    ("On Tuesday the mayor spoke.", "Tuesday", "no_publication_date"),
    ("A week later it closed.", "A week later", "no_earlier_date"),
]


@pytest.mark.parametrize(("sentence", "surface", "reason"), WITHOUT_PUBLICATION)
def test_unresolved_without_an_anchor_says_why(sentence, surface, reason):
    found = {sentence[t.start:t.end]: t for t in find_time_expressions(sentence)}
    assert found[surface].resolved_start is None
    assert found[surface].unresolved_reason == reason
