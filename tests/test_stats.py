"""Yearly totals, the summary, the published totals and the reconciliation, against the seeded facts."""

from fastapi.testclient import TestClient

KI_2024 = "https://kyivindependent.com/ukraine-has-brought-back-1-358-people-from-russian-captivity-in-2024/"


def test_yearly_totals_are_the_sourced_figures(client: TestClient) -> None:
    rows = client.get("/stats/yearly").json()["data"]
    assert [
        (
            r["year"],
            r["returned_to_ukraine"],
            r["exchanges"],
            r["basis"],
            r["change_from_previous_year"],
            r["cumulative_returned_to_ukraine"],
        )
        for r in rows
    ] == [
        (2022, 1596, None, "reported", None, 1596),
        (2023, 1002, 13, "derived", -594, 2598),
        (2024, 1358, 11, "reported", 356, 3956),
        (2025, 2310, None, "reported", 952, 6266),
        (2026, None, None, "no_official_total", None, None),
    ]


def test_each_year_states_what_the_records_hold_and_the_remainder(client: TestClient) -> None:
    rows = client.get("/stats/yearly").json()["data"]
    assert [
        (
            r["year"],
            r["recorded_events"],
            r["events_undisclosed"],
            r["on_record_returned_to_ukraine"],
            r["on_record_released_outside_exchanges"],
            r["unaccounted_remainder"],
        )
        for r in rows
    ] == [
        (2022, 32, 0, 1563, None, 33),
        (2023, 13, 0, 996, None, 6),
        (2024, 12, 0, 1358, None, 0),
        (2025, 22, 10, 2090, 53, 220),
        (2026, 4, 1, 659, None, None),
    ]


def test_remainders_carry_their_documented_explanation(client: TestClient) -> None:
    rows = {r["year"]: r for r in client.get("/stats/yearly").json()["data"]}
    assert "25 before the SBU's 802" in rows[2022]["remainder_note"]
    assert rows[2024]["remainder_note"] is None  # nothing to explain: 1,358 on record
    assert "2,090" in rows[2025]["remainder_note"]


def test_a_year_without_an_official_total_says_so(client: TestClient) -> None:
    row = client.get("/stats/yearly/2026").json()["data"]
    assert (row["returned_to_ukraine"], row["basis"], row["source_urls"]) == (None, "no_official_total", [])
    assert row["derivation"].startswith("No official total for 2026 has been published.")


def test_yearly_totals_mark_2023_as_derived_and_say_how(client: TestClient) -> None:
    row = client.get("/stats/yearly/2023").json()["data"]
    assert row["basis"] == "derived"
    assert "1,358 - 356" in row["derivation"] and "2,598 - 1,596" in row["derivation"]
    assert len(row["source_urls"]) == 10


def test_every_yearly_row_carries_its_own_sources(client: TestClient) -> None:
    rows = client.get("/stats/yearly").json()["data"]
    assert [len(r["source_urls"]) for r in rows] == [9, 10, 3, 3, 0]
    assert rows[2]["source_urls"][0] == KI_2024


def test_yearly_meta_gives_the_as_of_date(client: TestClient) -> None:
    assert client.get("/stats/yearly").json()["meta"] == {"as_of": "2026-05-15"}


def test_year_range_filter_keeps_cumulative_since_2022(client: TestClient) -> None:
    rows = client.get("/stats/yearly", params={"year_from": 2023, "year_to": 2024}).json()["data"]
    assert [(r["year"], r["cumulative_returned_to_ukraine"]) for r in rows] == [(2023, 2598), (2024, 3956)]


def test_reversed_year_range_is_a_400_naming_the_parameter(client: TestClient) -> None:
    response = client.get("/stats/yearly", params={"year_from": 2024, "year_to": 2022})
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "year_to"


def test_one_year_has_its_sources_in_meta(client: TestClient) -> None:
    body = client.get("/stats/yearly/2024").json()
    assert body["data"]["returned_to_ukraine"] == 1358
    assert body["meta"]["source_urls"] == body["data"]["source_urls"]


def test_year_without_figures_is_a_404_naming_the_year(client: TestClient) -> None:
    response = client.get("/stats/yearly/2021")
    assert response.status_code == 404
    assert "2021" in response.json()["detail"] and "2026" in response.json()["detail"]


def test_summary_names_its_headline_and_what_the_records_add_up_to(client: TestClient) -> None:
    body = client.get("/stats/summary").json()
    data = body["data"]
    assert {
        k: v for k, v in data.items() if k not in ("note", "source_urls", "other_publishers_latest", "sentence")
    } == {
        "since": "2022-02-24",
        "as_of": "2026-03-11",
        "returned_to_ukraine": 8050,
        "exchanges": 73,
        "basis": "reported",
        "first_recorded_event_id": "2022-03-01",
        "first_recorded_event_date": "2022-03-01",
        "last_recorded_event_id": "2026-05-15",
        "last_recorded_event_date": "2026-05-15",
        "largest_recorded_event_id": "2025-05-23",
        "largest_recorded_event_returned_to_ukraine": 390,
        "publisher": "coordination_hq",
        "publisher_label": "Coordination Headquarters for the Treatment of Prisoners of War",
        "publisher_label_uk": "Координаційний штаб з питань поводження з військовополоненими",
        "returned_is_lower_bound": False,
        "exchanges_stated": 70,
        "exchanges_stated_is_lower_bound": True,
        "evidence": "single_source",
        "yearly_totals_add_up_to": 6266,
        "yearly_totals_through": 2025,
        "on_record_returned_to_ukraine": 6666,
        "on_record_released_outside_exchanges": 53,
        "recorded_events": 83,
        "events_undisclosed": 11,
        "notes_in_english": [],
        "basis_label_uk": "повідомлено",
        "evidence_label_uk": "одне джерело",
    }
    assert "6,235" in data["note"]  # the scope note says how 8,050 differs from the exchange total
    assert len(data["source_urls"]) == 2
    assert body["meta"] == {"as_of": "2026-05-15", "source_urls": data["source_urls"]}


def test_summary_lists_every_other_body_latest_total(client: TestClient) -> None:
    others = client.get("/stats/summary").json()["data"]["other_publishers_latest"]
    assert [(o["publisher"], o["as_of"], o["returned_to_ukraine"], o["returned_is_lower_bound"]) for o in others] == [
        ("ombudsman", "2026-03-06", 6922, False),
        ("president", "2025-10-02", 7000, True),
        ("unnamed", "2024-09-14", 3672, False),
        ("ministry_reintegration", "2022-12-31", 1596, False),
        ("defence_intelligence", "2022-11-11", 1183, False),
        ("defence_ministry", "2022-10-27", 978, False),
        ("sbu", "2022-09-22", 802, False),
    ]
    assert others[0]["publisher_label_uk"] == "Уповноважений Верховної Ради України з прав людини"


def test_the_44_published_totals_with_their_publishers(client: TestClient) -> None:
    rows = client.get("/stats/totals").json()["data"]
    assert len(rows) == 44
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["publisher"]] = counts.get(row["publisher"], 0) + 1
    assert counts == {
        "coordination_hq": 17,
        "unnamed": 11,
        "president": 6,
        "defence_ministry": 2,
        "ombudsman": 3,
        "ministry_reintegration": 2,
        "defence_intelligence": 2,
        "sbu": 1,
    }
    assert [r["as_of"] for r in rows] == sorted(r["as_of"] for r in rows)


def test_a_published_total_beside_what_the_records_held_by_then(client: TestClient) -> None:
    rows = {r["id"]: r for r in client.get("/stats/totals").json()["data"]}
    sbu = rows["2022-09-22-sbu"]
    assert (sbu["returned_to_ukraine"], sbu["exchanges"], sbu["on_record_by_then"], sbu["difference_from_record"]) == (
        802,
        20,
        777,
        25,
    )
    hq = rows["2025-10-15-coordination_hq"]
    assert (hq["returned_to_ukraine"], hq["exchanges"], hq["on_record_by_then"], hq["evidence"]) == (
        6235,
        69,
        6007,
        "confirmed",
    )
    assert rows["2026-03-11-coordination_hq"]["exchanges_is_lower_bound"] is True
    assert rows["2025-10-02-president"]["returned_is_lower_bound"] is True


def test_totals_filter_by_publisher_and_dates(client: TestClient) -> None:
    rows = client.get("/stats/totals", params={"publisher": "ombudsman", "date_from": "2026-01-01"}).json()["data"]
    assert [(r["as_of"], r["returned_to_ukraine"]) for r in rows] == [("2026-03-02", 6422), ("2026-03-06", 6922)]
    meta = client.get("/stats/totals", params={"date_to": "2022-05-02"}).json()
    assert [r["returned_to_ukraine"] for r in meta["data"]] == [247, 320]
    assert meta["meta"]["publishers"]["sbu"] == {
        "label": "Security Service of Ukraine",
        "label_uk": "Служба безпеки України",
    }


def test_unknown_publisher_is_a_400_listing_the_publishers(client: TestClient) -> None:
    response = client.get("/stats/totals", params={"publisher": "kremlin"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["name"] == "publisher" and "coordination_hq" in error["allowed"] and "ombudsman" in error["allowed"]


def test_reconciliation_serves_every_documented_gap_with_its_size(client: TestClient) -> None:
    rows = client.get("/stats/reconciliation").json()["data"]
    assert [(r["kind"], r["subject"], r["stated"], r["on_record"], r["unaccounted"]) for r in rows] == [
        ("year_total", "2022", 1596, 1563, 33),
        ("running_total", "2022-09-21", 802, 777, 25),
        ("running_total", "2022-10-26", 978, 972, 6),
        ("running_total", "2022-11-03", 1138, 1137, 1),
        ("running_total", "2022-12-31", 1596, 1595, 1),
        ("year_total", "2023", 1002, 996, 6),
        ("running_total", "2023-06-11", 2526, 2525, 1),
        ("running_total", "2023-07-06", 2576, 2571, 5),
        ("year_total", "2025", 2310, 2090, 220),
        ("running_total", "2025-10-02", 6235, 6046, 189),
        ("exchange_ordinal", "66", None, None, None),
        ("exchange_ordinal", "70", None, None, None),
    ]
    assert rows[-1]["year"] == 2026 and rows[-1]["label_uk"] == "номер обміну, якого не має жодна подія"
