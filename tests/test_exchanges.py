"""Return events and their breakdowns, against the seeded facts."""

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_dec_30_exchange_is_exact(client: TestClient) -> None:
    data = client.get("/exchanges/2024-12-30").json()["data"]
    assert {k: v for k, v in data.items() if k != "source_urls"} == {
        "id": "2024-12-30",
        "date": "2024-12-30",
        "exchange_ordinal": 59,
        "exchange_stage": None,
        "returned_to_ukraine": 189,
        "returned_to_russia": 150,
        "returned_to_russia_note": (
            "Russian MoD figure; the Russian MoD said 150 for 150, against Ukraine's 189 (unexplained)"
        ),
        "mediator": "UAE",
        "running_total_after": 3956,
        "note": "One outlet (Al Jazeera) counts it as the 60th exchange; Ukrainian official sources say the 59th.",
        "kind": "exchange",
        "kind_label_uk": "обмін",
        "agreement": None,
        "agreement_label_uk": None,
        "evidence": "confirmed",
        "evidence_label_uk": "підтверджено",
        "breakdown_note": None,
        "exchange_stages": None,
        "notes_in_english": [],
        "sentence": "Ukraine brought back 189 people from Russian captivity in the 59th exchange of 30 December "
        "2024, Ukraine's official figure.",
    }
    assert len(data["source_urls"]) == 8


def test_oct_18_exchange_returned_95_not_190(client: TestClient) -> None:
    data = client.get("/exchanges/2024-10-18").json()["data"]
    assert (data["returned_to_ukraine"], data["returned_to_russia"], data["running_total_after"]) == (
        95,
        95,
        3767,
    )
    assert "190" in data["note"]


def test_unreported_handover_is_null_not_zero(client: TestClient) -> None:
    data = client.get("/exchanges/2024-09-13").json()["data"]
    assert data["returned_to_russia"] is None
    assert data["returned_to_russia_note"] == "not disclosed by either side"


def test_dec_30_breakdown_by_service(client: TestClient) -> None:
    body = client.get("/exchanges/2024-12-30/units").json()
    assert [(r["unit"], r["people"], r["part_of"]) for r in body["data"]] == [
        ("armed_forces", 87, None),
        ("territorial_defence", 17, "armed_forces"),
        ("national_guard", 43, None),
        ("border_guard", 33, None),
        ("navy", 24, None),
        ("civilians", 2, None),
    ]
    assert body["data"][0]["label"] == "Armed Forces of Ukraine"
    assert body["data"][0]["label_uk"] == "Збройні Сили України"
    meta = body["meta"]
    assert (meta["total"], meta["accounted_for"], meta["unattributed"]) == (189, 189, 0)
    assert meta["dimension"] == "service" and meta["exchange_id"] == "2024-12-30"


def test_dec_30_breakdown_by_rank(client: TestClient) -> None:
    body = client.get("/exchanges/2024-12-30/units", params={"dimension": "rank"}).json()
    assert [(r["unit"], r["people"]) for r in body["data"]] == [
        ("privates_and_sergeants", 173),
        ("officers", 14),
        ("civilians", 2),
    ]
    assert body["meta"]["unattributed"] == 0


def test_oct_18_breakdown_by_rank_and_missing_service_breakdown(client: TestClient) -> None:
    rank = client.get("/exchanges/2024-10-18/units", params={"dimension": "rank"}).json()
    assert [(r["unit"], r["people"]) for r in rank["data"]] == [
        ("privates_and_sergeants", 69),
        ("officers", 26),
    ]
    service = client.get("/exchanges/2024-10-18/units").json()
    assert service["data"] == []
    assert (service["meta"]["accounted_for"], service["meta"]["unattributed"]) == (0, 95)


def test_partial_breakdown_states_the_unattributed(client: TestClient) -> None:
    meta = client.get("/exchanges/2024-08-24/units").json()["meta"]
    assert (meta["total"], meta["accounted_for"], meta["unattributed"]) == (115, 3, 112)


def test_part_of_rows_are_not_added_to_their_parent(client: TestClient) -> None:
    meta = client.get("/exchanges/2024-01-03/units").json()["meta"]
    # 130 Armed Forces (14 territorial defence and 14 navy inside) + 55 + 38 + 1 + 6
    assert (meta["accounted_for"], meta["unattributed"]) == (230, 0)


def test_2024_holds_twelve_events_and_eleven_exchanges(client: TestClient) -> None:
    body = client.get("/exchanges", params={"year": 2024}).json()
    rows = body["data"]
    assert body["meta"]["total"] == 12
    assert sum(r["returned_to_ukraine"] for r in rows) == 1358
    assert len({r["exchange_ordinal"] for r in rows}) == 11
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_53rd_exchange_came_in_two_stages(client: TestClient) -> None:
    rows = client.get("/exchanges", params={"date_from": "2024-06-01", "date_to": "2024-06-30"}).json()["data"]
    assert [
        (r["id"], r["exchange_ordinal"], r["exchange_stage"], r["returned_to_ukraine"], r["mediator"]) for r in rows
    ] == [("2024-06-25", 53, 1, 90, "UAE"), ("2024-06-28", 53, 2, 10, "Vatican")]


def test_mediator_filter_is_case_insensitive(client: TestClient) -> None:
    body = client.get("/exchanges", params={"mediator": "vatican"}).json()
    assert [r["id"] for r in body["data"]] == ["2024-06-28"]


def test_paging_reports_the_total(client: TestClient) -> None:
    body = client.get("/exchanges", params={"limit": 5, "offset": 80}).json()
    assert [r["id"] for r in body["data"]] == ["2026-03-05", "2026-03-06", "2026-05-15"]
    assert {k: body["meta"][k] for k in ("total", "limit", "offset")} == {
        "total": 83,
        "limit": 5,
        "offset": 80,
    }
    assert body["meta"]["years_with_event_records"] == [2022, 2023, 2024, 2025, 2026]


def test_years_without_event_records_give_an_empty_list(client: TestClient) -> None:
    body = client.get("/exchanges", params={"year": 2021}).json()
    assert (body["data"], body["meta"]["total"]) == ([], 0)


def test_every_year_holds_its_events(client: TestClient) -> None:
    counts = {
        year: client.get("/exchanges", params={"year": year}).json()["meta"]["total"] for year in range(2022, 2027)
    }
    assert counts == {2022: 32, 2023: 13, 2024: 12, 2025: 22, 2026: 4}


def test_istanbul_2_stages_are_null_and_left_out_of_every_sum(client: TestClient) -> None:
    rows = client.get("/exchanges", params={"agreement": "istanbul-2"}).json()["data"]
    assert [(r["exchange_stage"], r["returned_to_ukraine"], r["evidence"], r["exchange_ordinal"]) for r in rows] == [
        (stage, None, "undisclosed", None) for stage in range(1, 10)
    ]
    year = client.get("/stats/yearly/2025").json()["data"]
    # 2,090 is the exchanges with figures; nine unknown stages add nothing, never zero each.
    assert (year["on_record_returned_to_ukraine"], year["events_undisclosed"]) == (2090, 10)
    assert client.get("/exchanges.csv", params={"agreement": "istanbul-2"}).text.count(",undisclosed,") == 9


def test_releases_outside_exchanges_are_apart(client: TestClient) -> None:
    rows = client.get("/exchanges", params={"kind": "release"}).json()["data"]
    assert [(r["id"], r["returned_to_ukraine"], r["exchange_ordinal"], r["running_total_after"]) for r in rows] == [
        ("2025-03-19-2", 22, None, None),
        ("2025-04-19-2", 31, None, None),
    ]
    year = client.get("/stats/yearly/2025").json()["data"]
    assert year["on_record_released_outside_exchanges"] == 53
    # The 62nd exchange's running total counts the exchange only: 4,131 + 175, not + 197.
    assert client.get("/exchanges/2025-03-19").json()["data"]["running_total_after"] == 4306


def test_a_local_swap_of_2022(client: TestClient) -> None:
    rows = client.get("/exchanges", params={"kind": "local_swap"}).json()["data"]
    assert [(r["id"], r["returned_to_ukraine"], r["returned_to_russia"], r["exchange_ordinal"]) for r in rows] == [
        ("2022-03-01", 5, 1, None),
        ("2022-04-15", 5, 4, None),
    ]
    units = client.get("/exchanges/2022-03-01/units").json()["data"]
    assert [(u["unit"], u["people"]) for u in units] == [("territorial_defence", 5)]


def test_undisclosed_event_keeps_its_disclosed_breakdown(client: TestClient) -> None:
    body = client.get("/exchanges/2025-08-24/units").json()
    assert [(r["unit"], r["people"]) for r in body["data"]] == [("civilians", 8)]
    meta = body["meta"]
    assert (meta["total"], meta["accounted_for"], meta["unattributed"]) == (None, 8, None)


def test_the_military_category_and_the_istanbul_1_stages(client: TestClient) -> None:
    rows = client.get("/exchanges", params={"agreement": "istanbul-1"}).json()["data"]
    assert [(r["id"], r["exchange_ordinal"], r["exchange_stage"], r["returned_to_ukraine"]) for r in rows] == [
        ("2025-05-23", 65, 1, 390),
        ("2025-05-24", 65, 2, 307),
        ("2025-05-25", 65, 3, 303),
    ]
    units = client.get("/exchanges/2025-05-23/units").json()["data"]
    assert ("military", "military (branch not given)", "військовослужбовці (службу не вказано)") in {
        (u["unit"], u["label"], u["label_uk"]) for u in units
    }


def test_evidence_filter_and_unknown_values_are_400s(client: TestClient) -> None:
    conflicts = client.get("/exchanges", params={"evidence": "conflict"}).json()["data"]
    assert [r["id"] for r in conflicts] == ["2023-07-06", "2025-10-02"]
    for name, value in (("kind", "swap"), ("agreement", "minsk"), ("evidence", "rumour")):
        response = client.get("/exchanges", params={name: value})
        assert response.status_code == 400
        assert response.json()["errors"][0]["name"] == name


def test_unknown_exchange_is_a_404_naming_it(client: TestClient) -> None:
    response = client.get("/exchanges/2024-12-31")
    assert response.status_code == 404
    assert "2024-12-31" in response.json()["detail"]


def test_unknown_exchange_units_is_a_404(client: TestClient) -> None:
    assert client.get("/exchanges/2023-01-02/units").status_code == 404


def test_bad_dimension_is_a_400_naming_it(client: TestClient) -> None:
    response = client.get("/exchanges/2024-12-30/units", params={"dimension": "shoe_size"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "dimension"


FILTERS = {
    "year": st.sampled_from([2022, 2024, 2025, 2026]),
    "mediator": st.sampled_from(["UAE", "uae", "Vatican", "USA", "nobody"]),
    "kind": st.sampled_from(["exchange", "local_swap", "release"]),
    "evidence": st.sampled_from(["confirmed", "single_source", "conflict", "undisclosed"]),
    "agreement": st.sampled_from(["istanbul-1", "istanbul-2"]),
    "date_from": st.sampled_from(["2022-06-01", "2025-01-01"]),
    "as_of": st.sampled_from(["2024-12-31", "2026-05-15"]),
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(asked=st.fixed_dictionaries({}, optional=FILTERS), offset=st.integers(0, 30), limit=st.integers(1, 20))
def test_filters_together_keep_the_events_that_match_every_one(
    client: TestClient, asked: dict[str, object], offset: int, limit: int
) -> None:
    every = client.get("/exchanges", params={"limit": 1000}).json()["data"]

    def matches(row: dict[str, object]) -> bool:
        date = str(row["date"])
        return (
            ("year" not in asked or date[:4] == str(asked["year"]))
            and ("mediator" not in asked or str(row["mediator"]).lower() == str(asked["mediator"]).lower())
            and all(row[name] == asked[name] for name in ("kind", "evidence", "agreement") if name in asked)
            and ("date_from" not in asked or date >= str(asked["date_from"]))
            and ("as_of" not in asked or date <= str(asked["as_of"]))
        )

    expected = [row["id"] for row in every if matches(row)]
    body = client.get("/exchanges", params={**asked, "offset": offset, "limit": limit}).json()
    assert body["meta"]["total"] == len(expected)
    assert [row["id"] for row in body["data"]] == expected[offset : offset + limit]
