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
