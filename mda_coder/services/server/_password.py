"""Set a role's password as a SCRAM-SHA-256 verifier made here, so the password never travels or lands in a log in clear.

PostgreSQL takes ``ALTER ROLE r PASSWORD 'SCRAM-SHA-256$…'`` as the stored verifier itself, as
libpq's ``PQencryptPasswordConn`` sends it (RFC 5802, RFC 7677). mda-coder keeps no password:
the user puts it in ``~/.pgpass`` (or ``PGPASSFILE``, or a service file) to log in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.server._team import _on
from mda_coder.store import server as team

ITERATIONS = 4096
"""PostgreSQL's own default (``scram_iterations``)."""

_VERIFIER = re.compile(r"^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$")


def scram_verifier(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for ``password``: ``SCRAM-SHA-256$i:salt$StoredKey:ServerKey``."""
    salt = os.urandom(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def set_password(url: str, role: str, password: str) -> None:
    """Give ``role`` the password (sent as its verifier); a role may set its own, the server decides who else may."""
    if not password:
        raise MdaError(Message("an empty password cannot be set"))
    if not team.valid_role(role):
        raise MdaError(Message("'{role}' is not a role name mda-coder made", role=role))
    verifier = scram_verifier(password)
    assert _VERIFIER.match(verifier)  # only base64, digits and separators go into the statement
    # ALTER ROLE takes no bound parameters; the verifier is checked above and holds no quote.
    _on(url, lambda conn: conn.exec_driver_sql(f"ALTER ROLE {team.quoted(role)} PASSWORD '{verifier}'"))
