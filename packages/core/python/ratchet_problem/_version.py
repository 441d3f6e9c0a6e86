"""The package's version and the line protocol's: the package's major version is the protocol's
version (ratchet-problem 1.x speaks protocol 1), so `pip install 'ratchet-problem==1.*'` is the
package for a Ratchet that speaks protocol 1."""
__version__ = "1.0.0"
PROTOCOL = 1
