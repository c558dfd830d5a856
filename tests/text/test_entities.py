"""Entities and mentions on hand-written texts."""

from pipelines.text.entities import entity_id, find_entities
from pipelines.text.normalise import normalise
from pipelines.text.segment import segment


def ents(raw: str):
    text = normalise(raw)
    res = find_entities(text, segment(text))
    by_name = {e.name: e for e in res.entities}
    mentions = [(text[m.start:m.end], res.entities[m.entity].name, m.mention_type) for m in res.mentions]
    return by_name, mentions


def test_titles_make_people_and_are_not_part_of_the_name():
    by_name, mentions = ents("Lieutenant-General Omar Farid met Senator Ruth Adeyemi and Mr Paul Kessler on Monday.")
    assert {n for n, e in by_name.items() if e.entity_type == "person"} == {"Omar Farid", "Ruth Adeyemi", "Paul Kessler"}


def test_surname_links_to_full_name_and_shared_surnames_stay_apart():
    text = ("Omar Farid Mehsud and Karim Mehsud led rival factions. General Omar Farid Mehsud spoke first. "
            "Later, Mehsud left. Farid stayed.")
    by_name, mentions = ents(text)
    assert by_name["Omar Farid Mehsud"].entity_type == "person"
    assert not any(surface == "Mehsud" for surface, _, _ in mentions)  # ambiguous: left unresolved
    assert ("Omar Farid Mehsud", "Omar Farid Mehsud", "name") in mentions


def test_partial_name_links_forward_and_back():
    _, mentions = ents("Dana Whitcombe arrived late. Whitcombe apologised to the board.")
    assert ("Whitcombe", "Dana Whitcombe", "partial_name") in mentions


def test_organisation_words_and_places():
    by_name, _ = ents("Officials from the Haqqani Network and the National Assembly met in Islamabad and Kabul.")
    assert by_name["Haqqani Network"].entity_type == "organisation"
    assert by_name["National Assembly"].entity_type == "organisation"
    assert by_name["Islamabad"].entity_type == "location"
    assert by_name["Kabul"].entity_type == "location"


def test_acronym_defined_in_text_resolves_to_long_form():
    by_name, mentions = ents("The Inter-Services Intelligence (ISI) denied it. Later the ISI issued a statement.")
    assert by_name["Inter-Services Intelligence"].acronym == "ISI"
    assert ("ISI", "Inter-Services Intelligence", "acronym") in mentions
    assert "ISI" not in by_name


def test_or_acronym_definition():
    by_name, mentions = ents("The Tehrik-e-Taliban Pakistan, or TTP, grew. The TTP then split.")
    assert ("TTP", "Tehrik-e-Taliban Pakistan", "acronym") in mentions


def test_role_acronym_is_not_an_organisation():
    by_name, mentions = ents("The National Security Adviser (NSA) spoke. The NSA left.")
    assert not any(e.entity_type == "organisation" and e.acronym == "NSA" for e in by_name.values())


def test_common_acronyms_without_definition():
    by_name, mentions = ents("The FBI and NATO both commented, as did the UN.")
    types = {surface: by_name[name].entity_type for surface, name, _ in mentions}
    assert types == {"FBI": "organisation", "NATO": "organisation", "UN": "organisation"}


def test_demonyms_link_to_their_country():
    _, mentions = ents("Pakistani troops and Afghan police met Chinese officials.")
    assert ("Pakistani", "Pakistan", "name") in mentions
    assert ("Afghan", "Afghanistan", "name") in mentions


def test_hyphenated_and_particle_names():
    by_name, _ = ents("Commander Habib-ur-Rehman met Osama bin Laden, and Jamat-ul-Ahrar grew, as did al-Qaeda.")
    assert "Habib-ur-Rehman" in by_name and by_name["Habib-ur-Rehman"].entity_type == "person"
    assert "Osama bin Laden" in by_name
    assert "al-Qaeda" in by_name


def test_sentence_initial_common_word_is_not_an_entity():
    by_name, _ = ents("Instead, the talks failed. Bravery is rare. Following this, Dana Whitcombe left.")
    assert "Instead" not in by_name and "Bravery" not in by_name and "Following" not in by_name
    assert "Dana Whitcombe" in by_name


def test_town_of_is_a_location():
    by_name, _ = ents("Troops withdrew from the town of Musa Qala in 2006.")
    assert by_name["Musa Qala"].entity_type == "location"


def test_pronoun_mentions_link_to_a_person_of_the_same_gender():
    _, mentions = ents("Diana Whitcombe arrived late. She apologised.")
    assert ("She", "Diana Whitcombe", "pronoun") in mentions


def test_entity_id_stable_across_articles():
    assert entity_id("Dana Whitcombe", "person") == entity_id("dana whitcombe", "person")
    assert entity_id("Dana Whitcombe", "person") != entity_id("Dana Whitcombe", "organisation")


def test_surname_that_is_also_a_town_links_to_the_person():
    by_name, mentions = ents("Ken Livingstone spoke in London. Later Mr Livingstone said he was sorry.")
    assert ("Livingstone", "Ken Livingstone", "partial_name") in mentions
    assert "Livingstone" not in by_name


def test_honorific_gives_gender_for_pronouns():
    _, mentions = ents("Mr Okafor arrived. Later Mrs Adebayo spoke, and he listened.")
    assert ("he", "Okafor", "pronoun") in mentions


def test_participle_opening_a_sentence_is_not_part_of_a_name():
    by_name, _ = ents("Praising Celtic and Rangers for their efforts, the minister left.")
    assert "Praising Celtic" not in by_name and "Celtic" in by_name


def test_one_name_one_type_other_never_wins_over_evidence():
    text = normalise("The crisis in Flint grew. Flint residents were angry. Officials visited Flint.")
    res = find_entities(text, segment(text))
    assert {res.entities[m.entity].entity_type for m in res.mentions} == {"location"}


def test_organisation_names_with_of_the_and_plural_possessives():
    by_name, _ = ents("The Museum of the Moving Image and the Musicians’ Union both objected.")
    assert by_name["Museum of the Moving Image"].entity_type == "organisation"
    assert by_name["Musicians’ Union"].entity_type == "organisation"


def test_kind_noun_beside_a_name_gives_its_type():
    by_name, _ = ents("The story was sold to the Mirror newspaper. He starred in the TV drama Baretta for years.")
    assert by_name["Mirror"].entity_type == "organisation"
    assert by_name["Baretta"].entity_type == "other"


def test_nationality_and_plural_is_a_group_and_party_plural_is_not_part_of_a_name():
    by_name, _ = ents("A complaint came from British Jews in the city. Liberals Elena Kagan and Sonia Sotomayor agreed.")
    assert by_name["British Jews"].entity_type == "group"
    assert by_name["Elena Kagan"].entity_type == "person"


def test_acronym_of_a_common_noun_is_no_entity():
    by_name, mentions = ents("The intermediate level waste (ILW) will stay here. The ILW is safe, officials said.")
    assert not any(surface == "ILW" for surface, _, _ in mentions)


def test_title_after_ordinary_words_names_nobody():
    by_name, _ = ents("Veteran Labour MP and former minister Jack Cunningham said he would stand down.")
    assert "Labour MP" not in by_name and by_name["Jack Cunningham"].entity_type == "person"


def test_lone_unknown_word_is_left_out_of_mentions_unless_it_speaks():
    from tests.text.helpers import Result

    r = Result("The Elect campaign met. Zorblax said the plan was sound.")
    surfaces = {m["surface"] for m in r.rows["mentions"]}
    assert "Elect" not in surfaces
    assert "Zorblax" in surfaces


def test_dateline_town_and_state_are_places():
    by_name, _ = ents("FARGO, N.D. — Ted Cruz won the vote. NATO, the alliance, said nothing.")
    assert by_name["Fargo"].entity_type == "location"
    assert by_name["N.D."].entity_type == "location"
    assert by_name["North Atlantic Treaty Organization"].entity_type == "organisation"


def test_kind_noun_apposition_and_name_of_country():
    by_name, _ = ents("It was cut by America Rising, a conservative research firm. Fabrice Santoro of France lost.")
    assert by_name["America Rising"].entity_type == "organisation"
    assert by_name["Fabrice Santoro"].entity_type == "person"


def test_pronoun_needs_a_person_of_known_matching_gender():
    _, mentions = ents("Zorvan Quillet arrived late. He apologised to the board.")
    assert not any(kind == "pronoun" for _, _, kind in mentions)  # gender unknown: no guess
    _, mentions = ents("While Ms Adler voiced concern over the case of Mr Brandt, she did not ask him to resign.")
    assert ("she", "Adler", "pronoun") in mentions and ("him", "Brandt", "pronoun") in mentions


def test_two_people_the_pronoun_could_mean_give_no_link():
    _, mentions = ents("Mr Croucher said the views of Mr Houston were not party policy. He said the matter was closed.")
    assert not any(kind == "pronoun" for _, _, kind in mentions)
    _, mentions = ents("Mr Okafor passed while Ms Reyes was organising her defence.")
    assert ("her", "Reyes", "pronoun") in mentions


def test_gendered_role_noun_gives_the_gender():
    _, mentions = ents("Pat Lindqvist, the party's spokeswoman, arrived. She spoke first.")
    assert ("She", "Pat Lindqvist", "pronoun") in mentions


def test_a_linked_pronoun_carries_its_person_to_the_next_sentence():
    _, mentions = ents("Mr Brown spoke. In 1979 he lost the seat. But in 1983, he won it back for Ms Ancram's party.")
    assert [p for p in mentions if p[2] == "pronoun"] == [("he", "Brown", "pronoun")] * 2


def test_an_unknown_capitalised_phrase_is_no_mention_but_an_event_is():
    from tests.text.helpers import Result

    r = Result("The Grand Plover Velvet gathered pace. The Harvest Cup final drew crowds.")
    kept = {(m["surface"], e["entity_type"]) for m in r.rows["mentions"] for e in r.rows["entities"]
            if e["entity_id"] == m["entity_id"]}
    assert not any(s == "Grand Plover Velvet" for s, _ in kept)
    assert ("Harvest Cup", "other") in kept


def test_sentence_opening_conjunction_is_not_part_of_a_name():
    by_name, _ = ents("Polls moved. Whereas Clinton had a net negative rating, Mr Trump gained.")
    assert "Whereas Clinton" not in by_name and "Clinton" in by_name


def test_glued_page_furniture_and_line_breaks_end_names():
    by_name, _ = ents("FlagShareLikeReplySara Bondioli posted.\nThe debate on Abortions\nJeb Bush criticized Marco Rubio.")
    assert not any("FlagShare" in n for n in by_name)
    assert "Abortions Jeb Bush" not in by_name and by_name["Jeb Bush"].entity_type == "person"


def test_title_case_heading_line_keeps_only_names_the_body_uses():
    text = "Live coverage\nBush Hits Marco Rubio On Rape Exception For Abortions\nJeb Bush criticized Marco Rubio."
    by_name, _ = ents(text)
    assert "Bush Hits Marco Rubio" not in by_name and "Marco Rubio" in by_name


def test_sports_club_named_by_its_town_is_an_organisation():
    text = ("Leicester wing Austin Hale hopes to win a recall. Madrid want £7m for the striker. Monaco are also "
            "in the race. Chelsea beat Sheffield 2-1 in the league after a penalty. He scored two goals.")
    by_name, _ = ents(text)
    for club in ("Leicester", "Monaco", "Sheffield"):
        assert by_name[club].entity_type == "organisation", club


def test_a_town_outside_sport_stays_a_place():
    by_name, _ = ents("Factories in Leicester are closing, and Monaco has new tax rules.")
    assert by_name["Leicester"].entity_type == "location" and by_name["Monaco"].entity_type == "location"


def test_company_without_organisation_word_from_its_context():
    text = ("Pellworth announced the plant would close. Pellworth's parent, a conglomerate, declined to comment. "
            "Investors bought shares in Quorvane. Brindle said in a statement that it would appeal.")
    by_name, _ = ents(text)
    for company in ("Pellworth", "Quorvane", "Brindle"):
        assert by_name[company].entity_type == "organisation", company


def test_capital_the_inside_a_sentence_names_a_title_not_a_person():
    by_name, _ = ents("Lee Wang of The Intercept asked Clinton on Friday. George Zorn of The Nation wrote back.")
    assert by_name["Intercept"].entity_type == "organisation" and by_name["Nation"].entity_type == "organisation"


def test_title_after_a_company_or_place_names_the_company_or_place():
    by_name, _ = ents("Former Hewlett-Packard CEO Carly Fiorina spoke, and so did former Ohio Governor Ted Strickland.")
    assert by_name["Hewlett-Packard"].entity_type == "organisation"
    assert by_name["Carly Fiorina"].entity_type == "person" and "Hewlett-Packard CEO" not in by_name


def test_sports_titles_and_party_words_inside_institution_names():
    by_name, _ = ents("Coach Stuart Baxter and his squad flew out. He went to the Republican National Convention.")
    assert by_name["Stuart Baxter"].entity_type == "person"
    assert "Republican National Convention" in by_name and "National Convention" not in by_name


def test_possessor_inside_an_apposition_is_not_a_role():
    by_name, _ = ents("He cheered for the Lewisburg Green Dragons, his son's high school track team, all spring.")
    assert by_name["Lewisburg Green Dragons"].entity_type != "person"


def test_acronym_after_an_indefinite_article_is_a_common_noun():
    _, mentions = ents("A super QRX paid for the ads, and an MP asked why. The QRX refused; the FBI looked at it.")
    surfaces = [s for s, _, _ in mentions]
    assert surfaces.count("QRX") == 1 and "MP" not in surfaces and "FBI" in surfaces


def test_pac_is_a_common_noun_like_ceo():
    _, mentions = ents("A super PAC paid for the ads. The PAC refused to comment, its CEO said.")
    assert not any(s in ("PAC", "CEO") for s, _, _ in mentions)


def test_gender_from_the_articles_own_pronouns_in_one_person_sentences():
    text = ("Berhanu Tesfaye said he would return. Later Tesfaye said he was tired. Officials met. "
            "Tesfaye then spoke, and his aides listened.")
    _, mentions = ents(text)
    assert ("his", "Berhanu Tesfaye", "pronoun") in mentions


def test_context_and_words_that_type_names_without_a_type_word():
    by_name, _ = ents("Investors bought shares of Moet & Chandon. John Batter, general manager at Quillbrook Mobile, spoke to "
                      "BBC Sport. Billionaire owner of the club, Roman Abramovich, left; billionaire Roman Abramovich "
                      "returned. Donald Trump and Ivana Trump divorced.")
    assert by_name["Moet & Chandon"].entity_type == "organisation"
    assert by_name["Quillbrook Mobile"].entity_type == "organisation"
    assert by_name["BBC Sport"].entity_type == "organisation"
    assert by_name["Roman Abramovich"].entity_type == "person"
    assert by_name["Ivana Trump"].entity_type == "person"


def test_plural_acronym_is_a_common_noun_and_a_known_acronym_stays_after_an():
    _, mentions = ents("MPs said the report was late. An FBI official agreed.")
    surfaces = [s for s, _, _ in mentions]
    assert "MPs" not in surfaces and "FBI" in surfaces


def test_club_named_without_a_place_word_in_a_sports_article():
    by_name, _ = ents("Barcelona have not played Chelsea since the quarter-final. Chelsea beat them 2-1 after the "
                      "striker scored; Marseille midfielder Alou Diarra watched.")
    assert by_name["Chelsea"].entity_type == "organisation"


def test_kind_noun_right_before_a_name_outweighs_a_given_name():
    by_name, _ = ents("US mortgage company Freddie Mac restated its books. Whitney Houston starred in the film The "
                      "Bodyguard, and Meet The Fockers opened. Yukos' owners went to court.")
    assert by_name["Freddie Mac"].entity_type == "organisation"
    assert by_name["Bodyguard"].entity_type == "other"
    assert "Fockers" not in by_name or by_name["Fockers"].entity_type != "organisation"
    assert by_name["Yukos"].entity_type == "organisation"


def test_gerund_opening_a_sentence_is_not_a_name():
    by_name, _ = ents("Clinching the nomination is out of reach for the senator.")
    assert "Clinching" not in by_name


def test_undefined_acronym_as_a_modifier_or_after_an_adjective_is_no_entity():
    _, mentions = ents("Mr Brown married PR executive Sarah Macaulay. Consistency is not part of his political DNA. "
                       "A BBC reporter asked.")
    surfaces = [s for s, _, _ in mentions]
    assert "PR" not in surfaces and "DNA" not in surfaces and "BBC" in surfaces


def test_lone_given_name_links_to_the_one_person_of_that_name():
    _, mentions = ents("Serena Williams won easily. Later, Hantuchova said: \"I have an advantage over Serena.\"")
    assert ("Serena", "Serena Williams", "partial_name") in mentions


def test_constituency_after_mp_for_is_a_place_and_awol_is_no_entity():
    by_name, mentions = ents("The Tory MP for Sleaford and North Hykeham admitted it. The leadership had gone AWOL.")
    assert by_name["North Hykeham"].entity_type == "location"
    assert "AWOL" not in [s for s, _, _ in mentions]


def test_organisation_word_alone_is_no_short_form_of_a_name_it_only_begins():
    _, mentions = ents("The House Natural Resources Committee met. The bill introduced in the House would fail. "
                       "The Pakistan Army moved; the Army said so.")
    assert ("House", "House Natural Resources Committee", "partial_name") not in mentions
    assert ("Army", "Pakistan Army", "partial_name") in mentions


def test_postal_state_code_after_a_town_and_the_lords_and_a_surname_in_a_statement():
    by_name, mentions = ents("She spoke in Hudson, NH on Monday. The Lords rejected the plea. Barack Obama nominated "
                             "him. \"He is a fine lawyer,\" Obama said in a statement.")
    assert by_name["New Hampshire"].entity_type == "location"
    assert by_name["Lords"].entity_type == "organisation"
    assert ("Obama", "Barack Obama", "partial_name") in mentions


def test_a_place_preposition_before_a_possessive_governs_what_follows():
    by_name, _ = ents("The vote was a blow in Tony Blair's government, said Mr Kennedy.")
    assert by_name["Tony Blair"].entity_type == "person"


def test_to_from_like_and_one_word_at_do_not_make_places():
    by_name, _ = ents("Mr Hale posted the video to Twitter. Data came from Gallup. She works at Zorbex. "
                      "He shops at Quilby Market.")
    assert all(by_name[n].entity_type != "location" for n in ("Twitter", "Gallup", "Zorbex") if n in by_name)
    assert by_name["Quilby Market"].entity_type == "location"  # a run of words after `at` still is


def test_plurals_and_adjectives_of_english_words_are_not_places():
    by_name, _ = ents("Support grew among Millennials and in Hispanic neighbourhoods. The mayor lives in Casper.")
    assert all(by_name[n].entity_type != "location" for n in ("Millennials", "Hispanic") if n in by_name)
    assert by_name["Casper"].entity_type == "location"


def test_a_headline_word_above_a_name_says_nothing_of_it():
    by_name, mentions = ents("Mogul backing new rap band\n\nTony Wilson, the music mogul, is to launch a label. "
                             "Wilson said it was his third band.")
    assert by_name["Tony Wilson"].entity_type == "person"
    assert ("Wilson", "Tony Wilson", "partial_name") in mentions


def test_rare_words_after_the_are_not_a_person_and_a_towns_plural_is_a_team():
    by_name, _ = ents("Bath signed the scrum-half from the Swansea Ospreys. It was quoted by the Vox Populi "
                      "(Voice of the People) column.")
    assert by_name["Swansea Ospreys"].entity_type == "organisation"
    assert "Vox Populi" not in by_name or by_name["Vox Populi"].entity_type == "other"


def test_a_bodys_name_does_not_run_on_into_a_day():
    by_name, _ = ents("Graham told CBS News on Super Tuesday that he would vote. The Council on Monday agreed.")
    assert "CBS News" in by_name and not any(" on " in n for n in by_name)


def test_dotted_initials_joined_by_a_hyphen_are_one_name():
    _, mentions = ents("He was political director of the A.F.L.-C.I.O. for years.")
    assert [s for s, _, _ in mentions] == ["A.F.L.-C.I.O."]


def test_a_title_after_titled_keeps_its_small_words_and_is_a_work():
    by_name, _ = ents("They will front a similar show for ITV, titled Stars on Thin Ice, next winter.")
    assert by_name["Stars on Thin Ice"].entity_type == "other"


def test_a_last_word_stands_for_a_body_only_after_the():
    _, mentions = ents("Officials at the White House were silent, and the Pakistan Army waited. The deal was "
                       "negotiated between House and Senate Republicans. Later the Army withdrew.")
    assert ("House", "House", "name") in mentions  # not the White House
    assert ("Army", "Pakistan Army", "partial_name") in mentions


def test_an_honorific_picks_the_one_of_a_family_of_its_gender():
    _, mentions = ents("Hillary Clinton and Bill Clinton arrived. Mrs. Clinton spoke first; Mr. Clinton waved.")
    assert ("Clinton", "Hillary Clinton", "partial_name") in mentions
    assert ("Clinton", "Bill Clinton", "partial_name") in mentions


def test_a_title_word_inside_a_bodys_name_is_not_a_title():
    by_name, _ = ents("The Justice Department opened an inquiry, and General Motors said it would help.")
    assert by_name["Justice Department"].entity_type == "organisation"
    assert by_name["General Motors"].entity_type == "organisation"


def test_a_named_work_that_speaks_is_a_document_source():
    from pipelines.text.article import analyse
    from pipelines.text.normalise import article_id

    text = normalise("The remark was rough, said the Vox Populi (Voice of the People) column on Monday.\n")
    _, rows = analyse(article_id(text), text)
    assert {(s["name"], s["source_type"]) for s in rows["sources"]} == {("Vox Populi", "document")}


def test_a_word_before_a_weekday_is_no_place():
    by_name, _ = ents("Voters went to the polls in Super Tuesday primaries. Rubio spoke in Quorra on Monday.")
    assert "Super" not in by_name or by_name["Super"].entity_type != "location"
    assert by_name["Quorra"].entity_type == "location"


def test_a_speech_verb_makes_a_person_only_of_a_persons_name():
    by_name, _ = ents("Pershing Square said the stake was sold. Moeed Yusuf said he agreed. Hale said so.")
    assert by_name["Moeed Yusuf"].entity_type == "person"
    assert "Pershing Square" not in by_name or by_name["Pershing Square"].entity_type != "person"


def test_a_team_named_for_a_town_that_is_also_a_given_name_needs_the():
    by_name, _ = ents("He rooted for the Cleveland Cavaliers, and Elizabeth Banks said she did too.")
    assert by_name["Cleveland Cavaliers"].entity_type == "organisation"
    assert by_name["Elizabeth Banks"].entity_type == "person"


def test_an_auxiliary_opening_a_quoted_question_is_not_part_of_a_name():
    _, mentions = ents("Mr Cillizza writes: “Should Rubio win Florida, the race is open.” Rubio agreed.")
    assert "Should Rubio" not in [s for s, _, _ in mentions]


def test_a_two_word_party_label_is_not_part_of_the_name():
    by_name, _ = ents("But Lib Dem Norman Baker accused ministers. Mr Baker said so.")
    assert by_name["Norman Baker"].entity_type == "person"


def test_a_word_after_a_is_no_short_form_of_a_body():
    _, mentions = ents("The Muslim Council of Britain complained. The series portrays a Muslim family.")
    assert not any(s == "Muslim" and e == "Muslim Council of Britain" for s, e, _ in mentions)


def test_a_committee_name_ends_before_its_chairs_name():
    from tests.text.helpers import Result

    r = Result("The Transport Select Committee Mary Quinn chairs met on Monday.")
    names = {e["canonical_name"] for e in r.rows["entities"]}
    assert "Mary Quinn" in names and not any("Committee Mary" in n for n in names)
