"""Password hashing (scrypt via Werkzeug) and the password policy."""
from __future__ import annotations

from flask_babel import gettext
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10


def policy_problem(password: str) -> str | None:
    """What is wrong with the password (Danish, or the request's language), or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return gettext("Adgangskoden skal have mindst %(n)s tegn.", n=MIN_LENGTH)
    if password.isdigit() or password.isalpha():
        return gettext("Adgangskoden skal blande bogstaver med tal eller tegn.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


_DUMMY: list[str] = []


def spend_as_if_checking(password: str) -> None:
    """Check the password against a hash of nothing, so a login for an unknown or blocked user takes as long as
    one for a real user (scrypt), and the answer's timing does not tell which usernames exist."""
    if not _DUMMY:
        _DUMMY.append(hash_password("ikke en rigtig adgangskode 0"))
    check_password_hash(_DUMMY[0], password)
