"""`python -m ratchet_problem`: which copy of the package this interpreter imports, its version and
the protocol it speaks (what Ratchet checks at hello)."""
from ratchet_problem._server import PACKAGE
from ratchet_problem._version import PROTOCOL

print(f"{PACKAGE['name']} {PACKAGE['version']} (protocol {PROTOCOL}) at {PACKAGE['path']}")
