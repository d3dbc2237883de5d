"""The rules and alerts pages, the rules API, and what rules do to the reader's pages."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.integration.rules.conftest import TOKEN, Newsroom
from tests.support.events import FINAL, QUAKE_A, QUAKE_B

from khabar.rules import RuleBook
from khabar.service import Khabar
from khabar.settings import Settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUAKE_RULE = {
    "name": "زلازل",
    "action": "mark",
    "label": "زلزال",
    "conditions": [{"kind": "keyword", "values": ["الزلزال"]}],
}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def _login(client: TestClient) -> str:
    token = _csrf(client.get("/login").text)
    response = client.post("/login", data={"token": TOKEN, "csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    return _csrf(client.get("/rules").text)


# --- the reader --------------------------------------------------------------------------


def test_hidden_articles_leave_home_and_search_and_marked_ones_show_their_mark(
    client: TestClient, newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    book = RuleBook(service.storage, settings)
    book.add(QUAKE_RULE)
    book.add(
        {
            "name": "بلا كرة",
            "action": "hide",
            "conditions": [{"kind": "keyword", "values": ["ريال مدريد"]}],
        }
    )
    final = newsroom.publish("العربية", "f1", "ريال مدريد بطلا لأوروبا", FINAL)
    quake = newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A, hours=1)
    home = client.get("/").text
    assert "ريال مدريد بطلا لأوروبا" not in home and "زلزال جنوب تركيا" in home
    assert '<span class="badge mark-label" dir="auto">زلزال</span>' in home
    search = client.get("/search", params={"q": "ريال مدريد"}).text
    assert "ريال مدريد بطلا لأوروبا" not in search
    found = client.get("/search", params={"q": "هاتاي"}).text
    assert "زلزال جنوب تركيا" in found and 'mark-label" dir="auto">زلزال<' in found
    page = client.get(f"/articles/{quake.id}").text
    assert 'mark-label" dir="auto">زلزال<' in page
    api = client.get("/api/v1/articles").json()["articles"]
    assert [a["id"] for a in api] == [quake.id] and final.id not in [a["id"] for a in api]
    assert api[0]["marks"] == ["زلزال"]


# --- admin pages -------------------------------------------------------------------------


def test_rules_and_alerts_pages_need_an_admin(client: TestClient) -> None:
    for path in ("/rules", "/alerts"):
        html = client.get(path).text
        assert '<html lang="ar" dir="rtl">' in html
        assert "سجّل الدخول مشرفاً" in html and 'action="/rules"' not in html
    assert 'href="/rules"' not in client.get("/").text


def test_an_admin_adds_lists_and_deletes_a_rule_through_the_forms(
    client: TestClient, newsroom: Newsroom, service: Khabar
) -> None:
    source = newsroom.source("بي بي سي")
    csrf = _login(client)
    assert 'href="/rules"' in client.get("/").text and 'href="/alerts"' in client.get("/").text
    form = {
        "csrf": csrf,
        "name": "هاتاي",
        "action": "alert",
        "on": "article",
        "keywords": "هاتاي\nأنطاكية\n",
        "regexes": r"ست\s+درجات",
        "sources": str(source.id),
        "webhook_url": "https://hooks.example/khabar",
        "webhook_secret": "own-secret",
    }
    response = client.post("/rules", data=form)
    assert response.status_code == 200 and "أُضيفت القاعدة." in response.text
    [rule] = service.storage.rules.list_rules()
    assert rule.spec.sources == (source.id,) and rule.spec.webhook_secret == "own-secret"
    assert [c.values for c in rule.spec.conditions] == [("هاتاي", "أنطاكية"), (r"ست\s+درجات",)]
    html = response.text
    assert f'id="rule-{rule.id}"' in html and "https://hooks.example/khabar" in html
    assert "own-secret" not in html and "(بسرّ خاص)" in html
    deleted = client.post(f"/rules/{rule.id}/delete", data={"csrf": csrf})
    assert deleted.status_code == 200 and "حُذفت القاعدة." in deleted.text
    assert service.storage.rules.list_rules() == []


def test_a_bad_rule_is_shown_with_its_field_and_the_form_kept(
    client: TestClient, service: Khabar
) -> None:
    csrf = _login(client)
    form = {"csrf": csrf, "name": "أنماط", "action": "hide", "regexes": "(a|aa)+$\n([غزة"}
    response = client.post("/rules", data=form)
    assert response.status_code == 400
    assert "conditions[0].values[1]" in response.text and "النمط غير صالح" in response.text
    assert "([غزة" in response.text  # what was typed is kept
    ssrf = {"csrf": csrf, "name": "x", "action": "alert", "keywords": "غزة"}
    ssrf["webhook_url"] = "http://169.254.169.254/"
    refused = client.post("/rules", data=ssrf)
    assert refused.status_code == 400 and "webhook_url" in refused.text
    assert service.storage.rules.list_rules() == []


def test_rule_forms_need_the_csrf_token(client: TestClient, service: Khabar) -> None:
    _login(client)
    response = client.post("/rules", data={"name": "x", "action": "hide", "keywords": "غزة"})
    assert response.status_code == 403 and "أعد تحميل الصفحة" in response.text
    assert service.storage.rules.list_rules() == []


def test_the_alerts_page_shows_each_alert_with_its_delivery_state(
    client: TestClient, newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    book = RuleBook(service.storage, settings)
    book.add(
        {
            "name": "تنبيه الزلازل",
            "action": "alert",
            "conditions": [{"kind": "keyword", "values": ["زلزال"]}],
        }
    )
    book.add(
        {
            "name": "إلى الخطاف",
            "action": "alert",
            "conditions": [{"kind": "keyword", "values": ["هاتاي"]}],
            "webhook_url": "https://hooks.example/khabar",
        }
    )
    quake = newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    newsroom.publish("بي بي سي", "q2", "انهيار مبان في أنطاكيا", QUAKE_B, hours=1)
    _login(client)
    html = client.get("/alerts").text
    assert f'href="/articles/{quake.id}" dir="auto">زلزال جنوب تركيا<' in html
    assert "تنبيه الزلازل" in html and "في التطبيق فقط" in html
    assert "بانتظار الإرسال" in html and "https://hooks.example/khabar" in html
    assert '<mark dir="auto">زلزال</mark>' in html


# --- the API -----------------------------------------------------------------------------


def test_the_rules_api_needs_the_admin_token(client: TestClient) -> None:
    assert client.get("/api/v1/rules").status_code == 401
    assert client.get("/api/v1/alerts").status_code == 401
    wrong = client.get("/api/v1/rules", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert client.post("/api/v1/rules", json=QUAKE_RULE).status_code == 401


def test_rules_api_crud(client: TestClient, service: Khabar) -> None:
    body = QUAKE_RULE | {"action": "alert", "webhook_url": "https://hooks.example/k"}
    body = body | {"webhook_secret": "own", "label": None}
    created = client.post("/api/v1/rules", json=body, headers=AUTH)
    assert created.status_code == 201
    rule = created.json()
    assert rule["name"] == "زلازل" and rule["has_webhook_secret"] is True
    assert "webhook_secret" not in rule and "own" not in created.text
    assert rule["conditions"] == [{"kind": "keyword", "values": ["الزلزال"], "match": "any"}]
    assert client.get(f"/api/v1/rules/{rule['id']}", headers=AUTH).json() == rule
    assert client.get("/api/v1/rules", headers=AUTH).json() == {"rules": [rule]}
    assert client.delete(f"/api/v1/rules/{rule['id']}", headers=AUTH).status_code == 204
    missing = client.delete(f"/api/v1/rules/{rule['id']}", headers=AUTH)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert service.storage.rules.list_rules() == []


def test_a_rule_the_api_refuses_names_its_field(client: TestClient) -> None:
    bad = QUAKE_RULE | {"conditions": [{"kind": "regex", "values": [r"(\w)\1"]}]}
    response = client.post("/api/v1/rules", json=bad, headers=AUTH)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_rule"
    assert error["message_en"].startswith("conditions[0].values[0]: backreferences")
    assert error["message_ar"].startswith("conditions[0].values[0]: ")
    unknown = client.post("/api/v1/rules", json=QUAKE_RULE | {"colour": 1}, headers=AUTH)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid_input"


def test_alerts_api_pages_newest_first(
    client: TestClient, newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    RuleBook(service.storage, settings).add(
        {
            "name": "كل زلزال",
            "action": "alert",
            "conditions": [{"kind": "keyword", "values": ["زلزال"]}],
        }
    )
    first = newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    second = newsroom.publish("بي بي سي", "q2", "زلزال في هاتاي", QUAKE_B, hours=1)
    page = client.get("/api/v1/alerts", params={"limit": 1}, headers=AUTH).json()
    [newest] = page["alerts"]
    assert newest["subject_id"] == second.id and newest["state"] == "in_app"
    assert newest["matched"] == ["زلزال"] and newest["kind"] == "article"
    after = {"limit": 1, "before": page["next_before"]}
    rest = client.get("/api/v1/alerts", params=after, headers=AUTH).json()
    assert [a["subject_id"] for a in rest["alerts"]] == [first.id]
    assert rest["next_before"] is None
    schema = client.get("/openapi.json").json()
    assert {"/api/v1/rules", "/api/v1/rules/{rule_id}", "/api/v1/alerts"} <= set(schema["paths"])
