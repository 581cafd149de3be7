"""Return events and their breakdowns, against the seeded facts."""

from fastapi.testclient import TestClient


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
    assert body["data"][0]["label_uk"] == "Збройні сили України"
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
    body = client.get("/exchanges", params={"limit": 5, "offset": 10}).json()
    assert [r["id"] for r in body["data"]] == ["2024-10-18", "2024-12-30"]
    assert {k: body["meta"][k] for k in ("total", "limit", "offset")} == {
        "total": 12,
        "limit": 5,
        "offset": 10,
    }
    assert body["meta"]["years_with_event_records"] == [2024]


def test_years_without_event_records_give_an_empty_list(client: TestClient) -> None:
    body = client.get("/exchanges", params={"year": 2023}).json()
    assert (body["data"], body["meta"]["total"]) == ([], 0)


def test_unknown_exchange_is_a_404_naming_it(client: TestClient) -> None:
    response = client.get("/exchanges/2024-12-31")
    assert response.status_code == 404
    assert "2024-12-31" in response.json()["detail"]


def test_unknown_exchange_units_is_a_404(client: TestClient) -> None:
    assert client.get("/exchanges/2023-01-01/units").status_code == 404


def test_bad_dimension_is_a_400_naming_it(client: TestClient) -> None:
    response = client.get("/exchanges/2024-12-30/units", params={"dimension": "age"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "dimension"
