from __future__ import annotations

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from khabar.errors import (
    FeedDiscoveryError,
    InvalidInputError,
    NotFoundError,
    SourceExistsError,
    StorageError,
)
from khabar.web.auth import SessionSigner
from khabar.web.problems import problem_for


def test_session_round_trip_and_forgery() -> None:
    signer = SessionSigner("secret")
    session = signer.new(1000.0, admin=True)
    value = signer.dumps(session)
    assert signer.loads(value, 1001.0) == session
    nonce, _, expires, sig = value.split(".")
    assert signer.loads(f"{nonce}.1.{expires}.{'0' * len(sig)}", 1001.0) is None
    assert signer.loads(value, session.expires + 1) is None
    assert SessionSigner("other").loads(value, 1001.0) is None
    assert signer.loads("garbage", 1001.0) is None


def test_csrf_is_bound_to_the_session() -> None:
    signer = SessionSigner("secret")
    one, two = signer.new(0), signer.new(0)
    assert signer.check_csrf(one, signer.csrf_token(one))
    assert not signer.check_csrf(two, signer.csrf_token(one))
    assert not signer.check_csrf(None, signer.csrf_token(one))
    assert not signer.check_csrf(one, None)


def test_disabled_signer_accepts_nothing() -> None:
    signer = SessionSigner("")
    assert not signer.enabled
    assert not signer.check_token("")
    assert signer.loads("a.1.9999999999.b", 0) is None


def test_problem_mapping() -> None:
    assert problem_for(NotFoundError("article 3")).status == 404
    assert problem_for(InvalidInputError("x")).status == 400
    assert problem_for(SourceExistsError("u", "m")).code == "source_exists"
    assert problem_for(SourceExistsError("u", "m")).status == 409
    assert problem_for(FeedDiscoveryError("u", "m")).status == 422
    assert problem_for(StorageError("disk full")).status == 500
    assert problem_for(RuntimeError("boom")).code == "internal_error"
    assert problem_for(HTTPException(404)).code == "not_found"
    path_error = RequestValidationError([{"loc": ("path", "id"), "msg": "x", "type": "int"}])
    assert problem_for(path_error).status == 404


def test_problem_messages_never_carry_exception_text() -> None:
    problem = problem_for(StorageError("SELECT secret FROM users"))
    assert "secret" not in problem.message_en and "secret" not in problem.message_ar
