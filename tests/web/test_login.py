"""Login, logout and the page guards."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.web.conftest import PASSWORD, csrf_of


def test_pages_send_anonymous_visitors_to_the_login_page(client: FlaskClient) -> None:
    response = client.get("/queue?origin=IN")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/queue?origin%3DIN")


def test_login_with_the_right_password_opens_the_requested_page(
    client: FlaskClient, people: dict[str, str]
) -> None:
    token = csrf_of(client.get("/login?next=/dashboard").get_data(as_text=True))
    response = client.post(
        "/login",
        data={
            "name": people["officer"],
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/dashboard",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "web-officer" in page


def test_wrong_password_and_unknown_user_get_the_same_answer(
    client: FlaskClient, people: dict[str, str]
) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    for name, password in ((people["officer"], "wrong password"), ("nobody", PASSWORD)):
        response = client.post(
            "/login", data={"name": name, "password": password, "csrf_token": token}
        )
        assert response.status_code == 401
        assert "Unknown name or wrong password." in response.get_data(as_text=True)
    assert client.get("/inspect").status_code == 302


def test_a_user_without_a_password_cannot_log_in(
    client: FlaskClient, tokens: dict[str, str]
) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"name": "test-officer", "password": "", "csrf_token": token}
    )
    assert response.status_code == 401


def test_login_never_redirects_off_site(client: FlaskClient, people: dict[str, str]) -> None:
    token = csrf_of(client.get("/login").get_data(as_text=True))
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            "/login",
            data={
                "name": people["inspector"],
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
        )
        assert response.headers["Location"] == "/inspect"
        token = csrf_of(client.get("/inspect").get_data(as_text=True))


def test_logout_ends_the_session(client: FlaskClient, login: Callable[[str], str]) -> None:
    token = login("inspector")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/inspect").status_code == 302


def test_officer_pages_are_refused_to_inspectors(
    client: FlaskClient, login: Callable[[str], str]
) -> None:
    login("inspector")
    for path in ("/queue", "/dashboard", "/cases/1"):
        response = client.get(path)
        assert response.status_code == 403
        assert "needs the &#39;officer&#39; role" in response.get_data(as_text=True)
