"""Which web addresses count as an official text of the law (officiel kilde), and so may verify a provision.

A provision is *verified* only when its wording was checked against the law's own text or an authority's guidance:
Retsinformation and Lovtidende, Folketinget, the ministry, Styrelsen for Patientsikkerhed, Sundhedsstyrelsen,
Sundhedsdatastyrelsen, Lægemiddelstyrelsen, Styrelsen for Patientklager, or a region's instruction portal (for
organisational rules also the municipality's own site). Private consolidations (elov.dk, danskelove.dk),
associations and encyclopaedias may be read, never cited as the verification. Pure Python: the seed schema, the
editing forms and the importer all ask here, so the three refuse the same addresses.
"""
from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["OFFICIAL_DOMAINS", "is_official", "official_problem"]

# A host counts when it is one of these or a subdomain of one (www.retsinformation.dk, admin.stps.dk, pri.rn.dk).
OFFICIAL_DOMAINS: tuple[str, ...] = (
    "retsinformation.dk", "lovtidende.dk", "ft.dk", "folketingstidende.dk",
    "eu.dk",  # Folketingets EU-Oplysning: it publishes Folketinget's bills and papers too
    "ism.dk", "sum.dk", "stps.dk", "sst.dk", "sundhedsdatastyrelsen.dk", "laegemiddelstyrelsen.dk", "stpk.dk",
    "regionh.dk", "rm.dk", "rn.dk", "regionsjaelland.dk", "regionsyddanmark.dk",
)
# Organisational rules (a municipality's own instruction) may be verified on a municipality's site.
MUNICIPAL_SUFFIX = ".dk"


def _host(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme != "https" and parts.scheme != "http":
        return ""
    return (parts.hostname or "").lower().rstrip(".")


def is_official(url: str, organisational: bool = False) -> bool:
    """True when ``url`` is on an official host; ``organisational`` also accepts a municipality's own site
    (any Danish host that is not a private law collection or an association), which publishes its own
    instructions."""
    host = _host(url or "")
    if not host:
        return False
    if any(host == d or host.endswith("." + d) for d in OFFICIAL_DOMAINS):
        return True
    return organisational and host.endswith(MUNICIPAL_SUFFIX) and not _private(host)


_PRIVATE = ("elov.dk", "danskelove.dk", "lex.dk", "socialjura.dk", "krim.dk", "docplayer.dk", "wikipedia.org",
            "dsr.dk", "foa.dk", "laeger.dk", "jordemoderforeningen.dk", "lovguiden.dk", "transviden.dk",
            "regioner.dk", "kl.dk")  # interest organisations: publishers, not authorities


def _private(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in _PRIVATE)


def official_problem(verified: bool, source: str, checked_on, organisational: bool = False) -> str | None:
    """The Danish message when a provision marked verified lacks its official source or date, else None."""
    if not verified:
        return None
    if not (source or "").strip():
        return "En verificeret bestemmelse skal have den officielle kilde (verified_source), den er kontrolleret mod"
    if not is_official(source, organisational):
        return ("Kilden er ikke en officiel tekst (fx retsinformation.dk, ft.dk, stps.dk, sst.dk, ism.dk eller en "
                "regions instruksportal); private lovsamlinger kan ikke verificere en bestemmelse")
    if checked_on is None:
        return "En verificeret bestemmelse skal have datoen for kontrollen (verified_on)"
    return None
