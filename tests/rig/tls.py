"""A throw-away certificate authority per test run, and server TLS contexts signed by it.

Browsers are told to trust the CA by pinning its public key (Chromium) or by accepting the
run's certificates (Firefox), so nothing on the machine's trust store changes."""
import base64
import hashlib
import os
import ssl

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization


class TestCertificates:
    __test__ = False  # not a pytest test class despite the name

    def __init__(self, hostnames, directory):
        self.hostnames = list(hostnames)
        os.makedirs(directory, exist_ok=True)
        self._ca = trustme.CA()
        self._leaf = self._ca.issue_cert(*self.hostnames)
        self.ca_pem_path = os.path.join(directory, "test-ca.pem")
        self._ca.cert_pem.write_to_path(self.ca_pem_path)
        self._chain_path = os.path.join(directory, "server-key-and-chain.pem")
        with open(self._chain_path, "wb") as chain:
            chain.write(self._leaf.private_key_pem.bytes())
            for pem in self._leaf.cert_chain_pems:
                chain.write(pem.bytes())
            chain.write(self._ca.cert_pem.bytes())
        ca_cert = x509.load_pem_x509_certificate(self._ca.cert_pem.bytes())
        spki = ca_cert.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.ca_spki_sha256_b64 = base64.b64encode(hashlib.sha256(spki).digest()).decode()

    def server_ssl_context(self):
        """A context that presents the leaf followed by the CA: Chromium's SPKI pin on the CA needs the CA
        in the chain the server sends."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self._chain_path)
        return context

    def client_ssl_context(self):
        context = ssl.create_default_context()
        self._ca.configure_trust(context)
        return context
