"""Organisations named in a claim: gazetteer matches, heuristics for unknown names, rejections.

Heuristic tests use invented organisation names that are not in the company reference, so they
pass only through the general rules.
"""

from __future__ import annotations

import pytest

from pipelines.extraction.entities import EntitySpan, find_entities, short_forms
from pipelines.extraction.reference import company_names


def names(text: str, named_before: tuple[str, ...] = ()) -> list[str]:
    return [entity.name for entity in find_entities(text, named_before=named_before)]


def test_invented_names_are_unknown_to_the_reference() -> None:
    known = {name.lower() for name in company_names()}
    invented = {
        "Quantora",
        "Veltrix",
        "Zorvia",
        "Lumio",
        "Tenvora",
        "Belkam",
        "Kestrel",
        "Orbix",
        "Nexhua",
        "Veltrys",
        "Kestrelton",
        "Orbixia",
        "Orbixus",
    }
    assert not invented & {word for name in known for word in name.split()}


# --- gazetteer -------------------------------------------------------------------------------------


def test_spans_are_offsets_into_the_text() -> None:
    text = "Demand is strong Innolight's revenue rose, and NVIDIA guided higher"
    spans = find_entities(text)
    assert [span.name for span in spans] == ["Innolight", "NVIDIA"]
    assert all(text[span.start : span.end] == span.name for span in spans)
    assert spans[0] == EntitySpan("Innolight", 17, 26)


def test_one_span_per_distinct_name_at_first_mention() -> None:
    text = "BYD delivered 500,000 cars, and BYD's exports rose while Tesla cut prices"
    spans = find_entities(text)
    assert [(s.name, s.start) for s in spans] == [("BYD", 0), ("Tesla", text.index("Tesla"))]


def test_longest_known_name_wins() -> None:
    assert names("Agricultural Bank of China and Bank of China raised dividends") == [
        "Agricultural Bank of China",
        "Bank of China",
    ]


def test_shorter_known_name_matches_when_the_longer_one_is_a_hyphenated_compound() -> None:
    assert names("ALIBABA GROUP HOLDING rose and Alibaba Group-backed startups grew") == [
        "ALIBABA GROUP HOLDING",
        "Alibaba",
    ]


def test_alias_spelling_is_kept_as_written() -> None:
    found = names("Nvidia and Hygon Information both shipped more accelerators")
    assert found == ["Nvidia", "Hygon Information"]


def test_known_names_match_case_insensitively_but_not_as_lower_case_words() -> None:
    assert names("NVIDIA's rival AMD gained share") == ["NVIDIA", "AMD"]
    assert names("the best margins in the sector came from niche producers") == []


def test_lower_case_canonical_spelling_matches() -> None:
    assert names("Kingsoft Office and iFlytek integrated the model") == ["Kingsoft Office", "iFlytek"]


def test_hyphenated_product_names_do_not_count_as_the_company() -> None:
    assert names("The reasoning model DeepSeek-R1 is cheap and a Tesla-style design spreads") == []


def test_regulators_and_state_bodies_are_organisations() -> None:
    assert names("The NDRC and the Ministry of Finance allocated funds while the PBOC cut rates") == [
        "NDRC",
        "Ministry of Finance",
        "PBOC",
    ]


def test_chinese_names_in_the_text_are_found() -> None:
    assert names("贵州茅台 raised prices") == ["贵州茅台"]


# --- heuristics for organisations the reference lacks -------------------------------------------------


def test_capitalised_name_ending_in_an_organisation_word() -> None:
    assert names("Quantora Robotics and Nexhua Pharma signed a supply agreement") == [
        "Quantora Robotics",
        "Nexhua Pharma",
    ]


def test_name_of_place_plus_organisation_head() -> None:
    assert names("Bank of Orbix cut deposit rates") == ["Bank of Orbix"]


def test_institution_words_make_an_organisation_even_when_generic() -> None:
    assert names("The National Data Administration issued new rules") == ["National Data Administration"]


def test_subject_of_a_corporate_verb() -> None:
    assert names("Shipments grew fast Veltrix estimates that the market will double") == ["Veltrix"]


def test_owner_of_a_business_noun() -> None:
    assert names("Zorvia Lumio's 2024 net profit rose 30%") == ["Zorvia Lumio"]


def test_owner_of_a_named_product_but_not_the_product() -> None:
    assert names("Veltrix's Orbix X9 accelerator is in mass production") == ["Veltrix"]


def test_name_after_an_organisation_noun() -> None:
    assert names("Card makers such as Tenvora and Belkam are expanding overseas") == ["Tenvora", "Belkam"]
    assert names("Trading arm Orbix lifted copper volumes") == ["Orbix"]


def test_list_mates_of_an_organisation() -> None:
    assert names("Tenvora, Kestrel Semiconductor and Lumio have integrated the model") == [
        "Tenvora",
        "Kestrel Semiconductor",
        "Lumio",
    ]


def test_place_prefix_extends_a_known_name() -> None:
    assert names("Zhejiang Supcon's revenue grew 15%") == ["Zhejiang Supcon"]


def test_corporate_heads_of_the_vocabulary_table() -> None:
    assert names("Quantora Express, Veltrix Aircraft and Nexhua Lifestyle gained share") == [
        "Quantora Express",
        "Veltrix Aircraft",
        "Nexhua Lifestyle",
    ]


def test_full_name_and_its_short_form_in_one_claim() -> None:
    assert names("Zorvia Lifestyle Holdings grew 28%, and Zorvia's retail arm grew 70%") == [
        "Zorvia Lifestyle Holdings",
        "Zorvia",
    ]


def test_short_form_of_a_name_given_in_an_earlier_claim() -> None:
    text = "Demand for Tenvora stores is rising in lower-tier cities"
    assert names(text) == []
    assert names(text, named_before=("Xiamen Tenvora Technology",)) == ["Tenvora"]


def test_short_forms_drop_corporate_heads_and_leading_places_but_keep_a_distinctive_word() -> None:
    assert short_forms("Xiamen Orbix Lifestyle Holdings") == {"Orbix Lifestyle Holdings", "Orbix Lifestyle", "Orbix"}
    assert short_forms("Li Auto") == set()
    assert short_forms("China Grid Technology") == {"Grid Technology"}


def test_short_form_used_as_a_brand_on_a_product_is_not_the_company() -> None:
    assert names("The Orbix X9 is shipping", named_before=("Orbix Technology",)) == []


def test_single_letter_opens_a_name_but_never_ends_one() -> None:
    assert names("K Lumio Group added 2,400 hotels") == ["K Lumio Group"]
    assert names("Its Series A round closed while Plan B stalled") == []


def test_place_that_ends_a_headline_is_not_part_of_the_next_name() -> None:
    assert names("Volumes grew in Southeast Asia Tenvora's parcel volume rose 58%") == ["Tenvora"]


def test_what_a_place_owns_may_be_an_organisation() -> None:
    assert names("Brazil's Belkam spun off its air taxi unit") == ["Belkam"]


def test_its_after_the_name_rules_out_a_person() -> None:
    assert names("Belkam Lumio raised its wealth management target") == ["Belkam Lumio"]
    assert names("Orbix Threads expects demand to double") == ["Orbix Threads"]


def test_name_described_as_one_of_the_vendors() -> None:
    assert names("Demand is shifting and Kestrel is one of the few vendors with a mature stack") == ["Kestrel"]
    assert names("Veltrix has become a core supplier of accelerators") == ["Veltrix"]


def test_name_followed_by_its_stock_code() -> None:
    assert names("Investors favour Nexhua (2097.HK) and Lumio (NASDAQ: LUMO) on margins") == ["Nexhua", "Lumio"]


def test_counterparty_of_a_licence() -> None:
    assert names("Quantora licensed its antibody to Zorvia for US$100 million upfront") == ["Quantora", "Zorvia"]


def test_ampersand_and_institution_names_with_and() -> None:
    assert names("Tenvora Film & TV is turning its drama library into short series") == ["Tenvora Film & TV"]
    assert names("The Bureau of Mining and Safety tightened the rules") == ["Bureau of Mining and Safety"]


def test_plural_looking_name_after_a_strong_cue_or_before_its() -> None:
    assert names("Module makers such as Veltrys are raising inventories") == ["Veltrys"]
    assert names("Deliveries slipped and Orbixus missed its target") == ["Orbixus"]


def test_takeover_target_and_association() -> None:
    assert names("Kestrel completed its takeover of Belkam") == ["Kestrel", "Belkam"]
    assert names("The China Orbix Industry Association called for quotas") == ["China Orbix Industry Association"]


def test_comma_and_joins_a_list_of_three_not_two_clauses() -> None:
    assert names("Flights between Kestrelton and Orbixia, and Tenvora Technology secured orders") == [
        "Tenvora Technology"
    ]


# --- rejections --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Black Myth: Wukong sold over 20 million copies",
        "Ne Zha 2 grossed over 15 billion yuan",
        "The Siyuan 590 chip is being deployed at scale",
        "GDP growth target was kept at 5% and the CPI target lowered to 2%",
        "UHV approvals accelerated while ASIC and HBM demand grew",
        "NEV sales rose 49.6% in October",
        "China's game market reached a record and Guangdong's average price fell",
        "The Central Economic Work Conference called for a looser monetary policy",
        "The Government Work Report delivered on March 5 kept the target",
        "The CSI 300 surged 25% and the Hang Seng Biotech Index rose",
        "Operators expect capex to fall as investment peaks",
        "Management expects gross margin to recover",
        "Gold has entered a new pricing range",
        "The ethylene project phase II has entered trial operation",
        "Thermal Power and Precious Metals led the sector",
        "Local plants in Thailand, Uzbekistan and Brazil will add capacity",
        "Jensen Huang expects demand to stay strong",
        "Ahead of Valentine's Day, sales rose 150%",
        "The World Artificial Intelligence Conference showed more than 150 robots",
        "The Bureau added 140 entities to the Entity List",
        "We upgrade the sector to Overweight since its valuation is low",
        "Zimbabwe plans to ban exports of lithium concentrate",
    ],
)
def test_products_indicators_places_events_and_people_are_not_organisations(text: str) -> None:
    assert names(text) == []


def test_person_after_a_title_is_not_an_organisation() -> None:
    assert names("Broadcom's CEO Hock Tan predicts demand of 600 billion dollars") == ["Broadcom"]


def test_what_an_organisation_owns_is_not_another_organisation() -> None:
    assert names("ByteDance's Doubao has over 100 million users") == ["ByteDance"]


def test_currency_prefix_is_not_part_of_a_name() -> None:
    assert names("GSK agreed to pay Quantora Pharma US$500 million upfront") == ["GSK", "Quantora Pharma"]
