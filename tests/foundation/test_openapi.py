from flask.testing import FlaskClient
from openapi_spec_validator import validate


def test_openapi_document_validates(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/me" in document["paths"]


def test_error_responses_are_documented_as_problem_json(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert "application/problem+json" in default["content"]


def test_interactive_docs_are_served(client: FlaskClient) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.data
