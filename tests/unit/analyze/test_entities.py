"""Entities: gazetteer matching with clitics, variant merging, ambiguous names, patterns, aliases.

The texts are written for these tests (news-style sentences); names are real public figures,
places and bodies, as the shipped gazetteers list them.
"""

from __future__ import annotations

import dataclasses

import pytest

from khabar.analyze.entities import Entity, EntityExtractor, extract_entities
from khabar.analyze.entity_data import (
    AMBIGUOUS_MARK,
    Gazetteer,
    Row,
    hand_rows,
    shipped_gazetteer,
)
from khabar.analyze.entity_patterns import NameRules
from khabar.analyze.entity_text import entity_key, tokens_of


def by_key(entities: list[Entity]) -> dict[str, Entity]:
    return {e.key: e for e in entities}


def names(entities: list[Entity]) -> set[tuple[str, str]]:
    return {(e.type, e.name) for e in entities}


# --- variants and clitics


def test_spelling_variants_merge_into_one_entity_and_keep_the_spellings() -> None:
    text = "قال ترامب إن ترمب لن يتراجع. وقال نتنياهو ثم نتانياهو، وأردوغان وإردوغان."
    found = by_key(extract_entities("", text))
    trump = found[entity_key("دونالد ترامب")]
    assert trump.type == "person" and trump.count == 2
    assert set(trump.variants) == {"ترامب", "ترمب"}
    assert found[entity_key("بنيامين نتنياهو")].count == 2
    assert set(found[entity_key("بنيامين نتنياهو")].variants) == {"نتنياهو", "نتانياهو"}
    assert found[entity_key("رجب طيب أردوغان")].count == 2


def test_ta_marbuta_and_proclitics_do_not_split_an_entity() -> None:
    text = "قصف على غزة وفي غزه، ومن قطاع غزة. وصل إلى القاهرة ثم بالقاهرة وللقاهرة والقاهرة."
    found = by_key(extract_entities("", text))
    gaza = found[entity_key("غزة")]
    assert gaza.type == "place" and gaza.count == 3
    cairo = found[entity_key("القاهرة")]
    assert cairo.count == 4
    assert set(cairo.variants) == {"القاهرة"}  # the clitics are not part of the spelling


def test_clitics_are_stripped_before_non_definite_names() -> None:
    text = "رسالة لترامب ووفد من بغداد وصل وبغداد تستعد، ووزير من للأمم المتحدة."
    found = by_key(extract_entities("", text))
    assert entity_key("دونالد ترامب") in found
    assert found[entity_key("بغداد")].count == 2
    assert entity_key("الأمم المتحدة") in found


def test_the_article_is_never_added_or_dropped() -> None:
    text = "أبدى الجمهور الحماس الكبير. وظهرت جزيرة صغيرة في البحر."
    found = names(extract_entities("", text))
    assert ("organization", "حماس") not in found
    assert not any(name == "قناة الجزيرة" for _, name in found)


def test_names_never_cross_punctuation() -> None:
    found = names(extract_entities("", "فاز ريال. مدريد مدينة جميلة"))
    assert ("organization", "ريال مدريد") not in found
    assert ("place", "مدريد") in found


def test_hashtags_and_glued_abd_are_read_as_names() -> None:
    text = "استقبل #محمد_بن_سلمان الملك عبدالله الثاني"
    found = by_key(extract_entities("", text))
    assert entity_key("محمد بن سلمان") in found
    assert entity_key("عبد الله الثاني") in found
    assert entity_key("عبدالله الثاني") == entity_key("عبد الله الثاني")


# --- ambiguous names


def test_an_ambiguous_name_alone_is_not_an_entity() -> None:
    found = names(extract_entities("", "طلب عون من الجيران وتحدث عن صور قديمة"))
    assert not any(name == "ميشال عون" for _, name in found)
    assert ("place", "صور") not in found


def test_an_ambiguous_name_counts_once_the_article_confirms_it() -> None:
    text = "التقى الرئيس اللبناني ميشال عون وفدا. وقال عون إن الحوار مستمر."
    aoun = by_key(extract_entities("", text))[entity_key("ميشال عون")]
    assert aoun.count == 2 and "عون" in aoun.variants


def test_a_title_or_head_word_confirms_an_ambiguous_name() -> None:
    text = "وقال الرئيس عون إن نادي الهلال سيلعب في مدينة صور."
    found = names(extract_entities("", text))
    assert {("person", "ميشال عون"), ("organization", "الهلال"), ("place", "صور")} <= found


# --- patterns


def test_a_title_introduces_an_unknown_person() -> None:
    text = "اختار المدرب هيمير هالغريمسون التخلي عن مهامه، وأشرف هالغريمسون على الفريق."
    person = by_key(extract_entities("", text))[entity_key("هيمير هالغريمسون")]
    assert person.type == "person" and person.count == 2  # the surname alone is an alias
    assert person.variants == ("هيمير هالغريمسون", "هالغريمسون")


def test_a_title_chain_with_a_comma_before_the_name() -> None:
    text = "قالت المتحدثة باسم الخارجية الماليزية، نور زاهرة عبد الرزاق، إن الوفد وصل."
    found = names(extract_entities("", text))
    assert any(t == "person" and n.startswith("نور زاهرة") for t, n in found)


def test_a_given_name_and_a_rare_word_make_a_person_without_a_title() -> None:
    text = "نجا الجاسوس الروسي سيرغي سكريبال من التسميم، وما زال سكريبال في المستشفى."
    person = by_key(extract_entities("", text))[entity_key("سيرغي سكريبال")]
    assert person.type == "person" and person.count == 2


def test_organization_heads() -> None:
    text = (
        "أعلنت وزارة الخارجية الماليزية أن شركة كامبريدج أناليتيكا وصحيفة «الصباح الجديد» "
        "والبرلمان الماليزي والحكومة الماليزية ناقشوا الأمر."
    )
    found = names(extract_entities("", text))
    assert ("organization", "وزارة الخارجية الماليزية") in found
    assert ("organization", "كامبريدج أناليتيكا") in found  # head word dropped from the name
    assert ("organization", "الصباح الجديد") in found
    assert ("organization", "البرلمان الماليزي") in found
    assert ("organization", "الحكومة الماليزية") in found


def test_generic_heads_need_a_name() -> None:
    text = "قالت قوات الأمن إن الأمن الوطني والحكومة الجديدة تتابع حركة المرور."
    found = names(extract_entities("", text))
    assert not any(t == "organization" for t, _ in found)


def test_a_place_word_introduces_an_unknown_place() -> None:
    text = "سقطت قذائف على بلدة كفرنبودة وقرب مخيم الزعتري."
    found = names(extract_entities("", text))
    assert ("place", "كفرنبودة") in found  # مدينة/بلدة are not part of the name
    assert ("place", "مخيم الزعتري") in found  # a camp keeps its head word


def test_a_verb_after_a_title_is_not_a_name() -> None:
    found = extract_entities("", "وقال الرئيس يستبعد أي حل. وصرح المدرب يتحدث.")
    assert not any(e.type == "person" for e in found)


# --- the baseline and the interface


def test_the_gazetteer_only_baseline_finds_no_pattern_names() -> None:
    baseline = EntityExtractor(shipped_gazetteer(learned=False), None)
    text = "اختار المدرب هيمير هالغريمسون التخلي عن مهامه في أيسلندا."
    assert [(e.type, e.key) for e in baseline.extract("", text)] == [
        ("place", entity_key("آيسلندا"))
    ]


def test_entities_are_frozen_and_ordered_by_mentions() -> None:
    found = extract_entities("ماكرون في برلين", "قال ماكرون في باريس إن ماكرون سيزور برلين.")
    assert [e.name for e in found][:2] == ["إيمانويل ماكرون", "برلين"]
    assert found[0].count == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].count = 1  # type: ignore[misc]


def test_empty_text_has_no_entities() -> None:
    assert extract_entities("", "") == []
    assert extract_entities("", "123 ، . http://example.com") == []


# --- data integrity


def test_no_unambiguous_name_belongs_to_two_entities() -> None:
    gazetteer = shipped_gazetteer()
    clashes = [
        (words, [gazetteer.entities[a.entity].name for a in aliases])
        for words, aliases in gazetteer.index.items()
        if sum(not a.ambiguous for a in aliases) > 1
    ]
    assert clashes == []


def test_every_hand_row_has_a_kind_and_a_unique_key() -> None:
    rows = hand_rows()
    assert len(rows) > 1200
    keys = [entity_key(r.name.removeprefix(AMBIGUOUS_MARK)) for r in rows]
    assert len(keys) == len(set(keys))
    assert all(r.kind and r.name for r in rows)


def test_a_gazetteer_built_from_rows_matches_with_clitics() -> None:
    gazetteer = Gazetteer.from_rows(
        [Row("place", "city", "سيدي بوزيد", ("?بوزيد",)), Row("person", "x", "زيد عمرو", ())]
    )
    tokens = tokens_of("وصل وسيدي بوزيد ثم بوزيد")
    hit = gazetteer.match_at(tokens, 1)
    assert hit is not None and (hit.start, hit.end) == (1, 3) and not hit.ambiguous
    assert gazetteer.match_at(tokens, 4) is None
    ambiguous = gazetteer.match_at(tokens, 4, ambiguous=True)
    assert ambiguous is not None and ambiguous.ambiguous


def test_rules_load_and_have_the_issue_titles_and_heads() -> None:
    rules = NameRules.shipped()
    for title in ("الرءيس", "الملك", "الامير", "الشيخ", "وزير", "رءيس"):
        assert title in rules.titles
    for head in ("حركه", "حزب", "وزاره", "مجلس", "وكاله", "جامعه", "منظمه", "جبهه"):
        assert head in rules.org_heads


def test_corpus_mining_keeps_names_seen_in_several_articles() -> None:
    from khabar.analyze.entity_corpus import MIN_DOCS, Article, learn_names

    often = [
        Article(str(i), "", f"قال المدرب هيمير هالغريمسون إن الفريق جاهز {i}.")
        for i in range(MIN_DOCS)
    ]
    once = [Article("x", "", "قال المدرب يوران فالتسون إن الفريق جاهز.")]
    rows = learn_names(often + once, shipped_gazetteer(learned=False), NameRules.shipped())
    assert [(t, n, name) for t, n, name, _ in rows] == [("person", MIN_DOCS, "هيمير هالغريمسون")]


def test_near_copies_of_held_out_articles_are_found() -> None:
    from khabar.analyze.entity_corpus import Article, near_copies

    text = " ".join(f"كلمة{i}" for i in range(60))
    held = [Article("held", "", text)]
    others = [
        Article("copy", "", "مقدمة قصيرة " + text),
        Article("other", "", " ".join(f"لفظ{i}" for i in range(60))),
    ]
    assert near_copies(others, held) == {"copy"}
