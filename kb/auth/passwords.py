"""Password hashing (scrypt via Werkzeug) and the password policy."""
from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10


def policy_problem(password: str) -> str | None:
    """A Danish explanation of what is wrong with the password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Adgangskoden skal have mindst {MIN_LENGTH} tegn."
    if password.isdigit() or password.isalpha():
        return "Adgangskoden skal blande bogstaver med tal eller tegn."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
